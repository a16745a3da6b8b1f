import { digitAt } from '../time.js';

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
  const whole = wholeMs(text);
  if (whole >= 0) return whole;
  const single = SINGLE.exec(text);
  if (single) return Math.round(Number(single[1]) * (UNIT_MS[single[2] as string] as number) * 1000) / 1000;
  if (!DURATION.test(text)) return null;
  let total = 0;
  for (const part of text.matchAll(PART)) total += Number(part[1]) * (UNIT_MS[part[2] as string] as number);
  return Math.round(total * 1000) / 1000;
}

/**
 * Whole milliseconds (`5004ms`, every apiserver trace's total since 1.27) read by hand, -1 for
 * anything else: the regex's match and `Number` cost more than the rest of a trace header's rule. Up
 * to twelve digits, where the general path's `Math.round(ms * 1000) / 1000` gives the number back.
 */
function wholeMs(text: string): number {
  const digits = text.length - 2;
  if (digits < 1 || digits > 12 || text.charCodeAt(digits) !== 109 || text.charCodeAt(digits + 1) !== 115)
    return -1;
  let value = 0;
  for (let at = 0; at < digits; at++) {
    const digit = digitAt(text, at);
    if (digit < 0) return -1;
    value = value * 10 + digit;
  }
  return value;
}
