/** Scales and axis ticks for the charts: UTC time on x, bytes or counts on y. */

export interface Scale {
  (value: number): number;
  domain: [number, number];
}

/** Maps [d0, d1] linearly onto [r0, r1]; a zero-width domain maps to the middle of the range. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): Scale {
  const span = d1 - d0;
  const scale = ((value: number) =>
    span === 0 ? (r0 + r1) / 2 : r0 + ((value - d0) / span) * (r1 - r0)) as Scale;
  scale.domain = [d0, d1];
  return scale;
}

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;
const timeSteps = [
  second,
  2 * second,
  5 * second,
  10 * second,
  15 * second,
  30 * second,
  minute,
  2 * minute,
  5 * minute,
  10 * minute,
  15 * minute,
  30 * minute,
  hour,
  2 * hour,
  3 * hour,
  6 * hour,
  12 * hour,
  day,
  2 * day,
  7 * day,
];

export interface Tick {
  value: number;
  label: string;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * Ticks on round UTC instants (every 2 min, every 6 h, …), at most about `maxTicks` of them. Labels
 * show the date when the span crosses a day, and seconds when the step is under a minute.
 */
export function timeTicks(start: number, end: number, maxTicks = 8): Tick[] {
  const span = Math.max(end - start, 1);
  const step = timeSteps.find((s) => span / s <= maxTicks) ?? Math.ceil(span / maxTicks / day) * day;
  const withDate = new Date(start).toISOString().slice(0, 10) !== new Date(end).toISOString().slice(0, 10);
  const ticks: Tick[] = [];
  for (let value = Math.ceil(start / step) * step; value <= end; value += step) {
    const d = new Date(value);
    const clock =
      step < minute
        ? `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
        : `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
    const label = withDate
      ? step >= day
        ? `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
        : `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${clock}`
      : clock;
    ticks.push({ value, label });
  }
  return ticks;
}

/** Round ticks 0, 1·10^k, 2·10^k, 5·10^k… covering [0, max]; `max` is raised to the last tick. */
export function countTicks(max: number, maxTicks = 5): { ticks: number[]; top: number } {
  if (max <= 0) return { ticks: [0, 1], top: 1 };
  const rough = max / maxTicks;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => max / s <= maxTicks) ?? 10 * power;
  const top = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let value = 0; value <= top + step / 2; value += step) ticks.push(value);
  return { ticks, top };
}

/**
 * Byte ticks on round decimal multiples (0, 50 MB, 100 MB…), in the units the PIR quotes sizes in
 * (render/format.ts formatBytes: decimal, as `ls -h` and the reference PIR), so chart and text agree.
 */
export function byteTicks(max: number, maxTicks = 5): { ticks: number[]; top: number } {
  if (max <= 0) return { ticks: [0, 1000], top: 1000 };
  const unit = 1000 ** Math.max(0, Math.floor(Math.log10(max) / 3));
  const scaled = countTicks(max / unit, maxTicks);
  return { ticks: scaled.ticks.map((t) => t * unit), top: scaled.top * unit };
}

/**
 * Byte ticks on round decimal steps covering [min, max] without starting at 0: for sizes that vary
 * by a few percent, where an axis from 0 would flatten every point into one line.
 */
export function byteRangeTicks(
  min: number,
  max: number,
  maxTicks = 5,
): { ticks: number[]; bottom: number; top: number } {
  const unit = 1000 ** Math.max(0, Math.floor(Math.log10(Math.max(max, 1)) / 3));
  const spread = Math.max((max - min) / unit, 1e-9);
  const power = 10 ** Math.floor(Math.log10(spread / maxTicks));
  const step = ([1, 2, 5, 10].map((m) => m * power).find((s) => spread / s <= maxTicks) ?? 10 * power) * unit;
  const bottom = Math.floor(min / step) * step;
  const top = Math.max(Math.ceil(max / step) * step, bottom + step);
  const ticks: number[] = [];
  for (let value = bottom; value <= top + step / 2; value += step) ticks.push(value);
  return { ticks, bottom, top };
}

/** `2026-04-01 09:12:33 UTC` */
export function formatInstant(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
