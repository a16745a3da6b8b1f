/** Go `time.Duration.String()` text (`1.203941s`, `612.4ms`, `2m40s`, `1h0m5s`, `253ns`, `8µs`) in milliseconds; null when it is not one. */
const UNIT_MS: Record<string, number> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ns: 1e-6,
};
const DURATION = /^(?:\d+(?:\.\d+)?(?:h|ms|m|s|us|µs|μs|ns))+$/;
const PART = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|μs|ns)/g;

/** One part alone (`5004ms`, `1.2s`), which is how most durations are written: one match, no iterator. */
const SINGLE = /^(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|μs|ns)$/;

export function goDurationMs(text: string | undefined): number | null {
  if (!text) return null;
  const single = SINGLE.exec(text);
  if (single) return Math.round(Number(single[1]) * (UNIT_MS[single[2] as string] as number) * 1000) / 1000;
  if (!DURATION.test(text)) return null;
  let total = 0;
  for (const part of text.matchAll(PART)) total += Number(part[1]) * (UNIT_MS[part[2] as string] as number);
  return Math.round(total * 1000) / 1000;
}
