import type { Correlation, CorrelationGroup, DatedEvidence, ProgressCallback } from '../types/index.js';
import { firstAtOrAfter } from '../bounded.js';
import { plain } from '../model/column-rows.js';
import { isCanonical } from '../iso-times.js';

export interface CorrelateOptions {
  /** Seconds after a snapshot write in which a failure counts as near it (default 10: the renewDeadline). */
  windowSeconds?: number;
  /** Number of circular shifts for the permutation p-value (default 9999). */
  permutations?: number;
  /** Seed of the shift generator, so the p-value is reproducible (default 1). */
  seed?: number;
  /** Words saying how the snapshot times were placed on wall-clock time. */
  wallClockAnchor?: string;
  /** Progress of the permutation test, the one long step (millions of failures × shifts). */
  onProgress?: ProgressCallback;
}

export const DEFAULT_WINDOW_SECONDS = 10;
export const DEFAULT_PERMUTATIONS = 9999;
export const DEFAULT_SEED = 1;

/** mulberry32: a small, well-distributed 32-bit PRNG; enough for shift offsets and reproducible by seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Index of the last element ≤ value in an ascending array, or -1. */
function lastAtOrBefore(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= value) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Seconds since the latest snapshot at or before `t` (both in ms), or null when none precedes it. */
export function lagSeconds(snapshotMs: number[], t: number): number | null {
  const i = lastAtOrBefore(snapshotMs, t);
  return i < 0 ? null : (t - snapshotMs[i]!) / 1000;
}

/** Length (ms) of the union of [s, s + window] for all snapshots, clipped to [start, end]. */
export function unionCoverageMs(snapshotMs: number[], windowMs: number, start: number, end: number): number {
  let covered = 0;
  let reach = start;
  for (const s of snapshotMs) {
    const from = Math.max(s, reach);
    const to = Math.min(s + windowMs, end);
    if (to > from) {
      covered += to - from;
      reach = to;
    }
  }
  return covered;
}

function countWithin(snapshotMs: number[], failuresMs: number[], windowMs: number): number {
  let n = 0;
  for (const t of failuresMs) {
    const i = lastAtOrBefore(snapshotMs, t);
    if (i >= 0 && t - snapshotMs[i]! <= windowMs) n++;
  }
  return n;
}

/**
 * Failures in [from, to) of an ascending run, each shifted by `offset`, that fall within the window
 * after a snapshot. One merge-walk over both sorted lists: O(failures + snapshots), no allocation.
 */
function countShiftedRun(
  snapshotMs: number[],
  failuresMs: number[],
  from: number,
  to: number,
  offset: number,
  windowMs: number,
): number {
  let n = 0;
  let j = -1;
  for (let i = from; i < to; i++) {
    const t = failuresMs[i]! + offset;
    while (j + 1 < snapshotMs.length && snapshotMs[j + 1]! <= t) j++;
    if (j >= 0 && t - snapshotMs[j]! <= windowMs) n++;
  }
  return n;
}

/**
 * One-sided p-value of "this many failures fall within the window" under the null hypothesis that
 * failure times are unrelated to snapshot times. Each permutation shifts all failure times by the same
 * random offset around the span (circularly), which keeps the failures' own clustering intact — a plain
 * shuffle would not. p = (1 + #{shifted ≥ observed}) / (1 + permutations).
 */
export function circularShiftPValue(
  snapshotMs: number[],
  failuresMs: number[],
  windowMs: number,
  span: { start: number; end: number },
  permutations: number,
  seed: number,
  onProgress?: ProgressCallback,
): number {
  const observed = countWithin(snapshotMs, failuresMs, windowMs);
  const length = span.end - span.start;
  const sorted = [...failuresMs].sort((a, b) => a - b);
  const random = seededRandom(seed);
  let atLeast = 0;
  for (let p = 0; p < permutations; p++) {
    const offset = random() * length;
    // A shift splits the sorted failures into two sorted runs: those that stay before the span's end
    // and those that wrap around to its start.
    const wrapAt = firstAtOrAfter(sorted, span.end - offset);
    const shifted =
      countShiftedRun(snapshotMs, sorted, 0, wrapAt, offset, windowMs) +
      countShiftedRun(snapshotMs, sorted, wrapAt, sorted.length, offset - length, windowMs);
    if (shifted >= observed) atLeast++;
    if (onProgress && p % 256 === 0) onProgress(p, permutations, 'permutation test');
  }
  return (1 + atLeast) / (1 + permutations);
}

/** Sorts `values` in place (a typed array sorts by number). */
function median(values: Float64Array): number | null {
  if (values.length === 0) return null;
  const sorted = values.sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The in-span rows per lease: counts, share and median lag. Tallied in typed arrays by group number,
 * not in a list of rows per lease: 300,000 leases made 300,000 lists, each with room for 17 rows.
 */
function subjectGroups(
  rows: (DatedEvidence & { lagSeconds: number | null; withinWindow: boolean })[],
): CorrelationGroup[] {
  const numberOf = new Map<string, number>();
  const subjects: string[] = [];
  const group = new Uint32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const key = rows[i]!.subject ?? rows[i]!.evidence.file;
    let n = numberOf.get(key);
    if (n === undefined) {
      n = subjects.length;
      numberOf.set(key, n);
      subjects.push(key);
    }
    group[i] = n;
  }
  const failures = new Uint32Array(subjects.length);
  const near = new Uint32Array(subjects.length);
  // Each group's lags side by side: `from[g]` is where group g's begin.
  const from = new Uint32Array(subjects.length + 1);
  rows.forEach((r, i) => {
    failures[group[i]!]!++;
    if (r.withinWindow) near[group[i]!]!++;
    if (r.lagSeconds !== null) from[group[i]! + 1]!++;
  });
  for (let g = 0; g < subjects.length; g++) from[g + 1]! += from[g]!;
  const lags = new Float64Array(from[subjects.length]!);
  const filled = from.slice(0, subjects.length);
  rows.forEach((r, i) => {
    if (r.lagSeconds !== null) lags[filled[group[i]!]!++] = r.lagSeconds;
  });
  return subjects
    .map((subject, g) => ({
      subject,
      failures: failures[g]!,
      withinWindow: near[g]!,
      share: near[g]! / failures[g]!,
      medianLagSeconds: median(lags.subarray(from[g]!, from[g + 1]!)),
    }))
    .sort((a, b) => b.failures - a.failures || a.subject.localeCompare(b.subject));
}

/**
 * Items in time order as their texts order (`<`), then by subject, with their times in milliseconds.
 * Compared in milliseconds where both texts are canonical (their order is their times'): the model's
 * failures format their time when asked for, and 600,000 of them kept as text for the sort were
 * 24 MB to let go again.
 */
function inTimeOrder<T extends DatedEvidence>(items: readonly T[]): { sorted: T[]; ms: number[] } {
  const ms = new Float64Array(items.length);
  const byText = new Uint8Array(items.length);
  items.forEach((item, i) => {
    const ts = item.ts;
    ms[i] = Date.parse(ts);
    byText[i] = isCanonical(ts, ms[i]!) ? 0 : 1;
  });
  const byTime = (a: number, b: number): number => {
    if (!byText[a] && !byText[b]) return ms[a]! - ms[b]!;
    const ta = items[a]!.ts;
    const tb = items[b]!.ts;
    return ta < tb ? -1 : ta > tb ? 1 : 0;
  };
  const order = items
    .map((_, i) => i)
    .sort((a, b) => byTime(a, b) || (items[a]!.subject ?? '').localeCompare(items[b]!.subject ?? ''));
  return { sorted: order.map((i) => items[i]!), ms: order.map((i) => ms[i]!) };
}

/**
 * Lease failures against snapshot writes. The span is the time both records cover — from the later of
 * (first snapshot, first failure) to the earlier of (last snapshot + window, last failure) — so that a
 * record that stops early cannot inflate or deflate the shares. The failures given become the rows
 * of `failures` (each gets `lagSeconds`, `withinWindow` and `inSpan`).
 */
export function correlate<T extends DatedEvidence>(
  snapshotsIn: DatedEvidence[],
  failuresIn: T[],
  options: CorrelateOptions = {},
  undated = 0,
): Correlation {
  const windowSeconds = options.windowSeconds ?? DEFAULT_WINDOW_SECONDS;
  const permutations = options.permutations ?? DEFAULT_PERMUTATIONS;
  const seed = options.seed ?? DEFAULT_SEED;
  const windowMs = windowSeconds * 1000;
  const { sorted: snapshots, ms: snapshotMs } = inTimeOrder(snapshotsIn);
  const { sorted: failures, ms: failureMs } = inTimeOrder(failuresIn);
  const notes: string[] = [];

  let span: { start: number; end: number } | null = null;
  if (snapshotMs.length === 0)
    notes.push('No snapshot write has a wall-clock time, so no lag can be measured.');
  if (failureMs.length === 0) notes.push('No dated lease failure was found.');
  if (snapshotMs.length > 0 && failureMs.length > 0) {
    const start = Math.max(snapshotMs[0]!, failureMs[0]!);
    const end = Math.min(snapshotMs[snapshotMs.length - 1]! + windowMs, failureMs[failureMs.length - 1]!);
    if (end > start) span = { start, end };
    else notes.push('The snapshot record and the failure record do not overlap in time.');
  }

  const rows = failures.map((f, i) => {
    const t = failureMs[i]!;
    const lag = lagSeconds(snapshotMs, t);
    const inSpan = span !== null && t >= span.start && t <= span.end;
    // The failures themselves become the rows: a copy of each cost 128 bytes, 77 MB for 600,000
    // failures, where three more fields cost 40 (the model's failures keep them in their
    // columns). A failure that is a row of another correlation already (its lag set) is copied, so
    // that neither changes the other.
    const row: T = (f as { lagSeconds?: unknown }).lagSeconds !== undefined ? plain(f) : f;
    return Object.assign(row, {
      lagSeconds: lag,
      withinWindow: lag !== null && lag <= windowSeconds,
      inSpan,
    });
  });
  const inSpan = rows.filter((r) => r.inSpan);
  const inSpanMs = failureMs.filter((_, i) => rows[i]!.inSpan);
  const withinWindow = inSpan.filter((r) => r.withinWindow).length;

  let observedShare: number | null = null;
  let expectedShare: number | null = null;
  let pValue: number | null = null;
  if (span && inSpan.length > 0) {
    observedShare = withinWindow / inSpan.length;
    expectedShare = unionCoverageMs(snapshotMs, windowMs, span.start, span.end) / (span.end - span.start);
    if (inSpan.length >= 2 && permutations > 0) {
      pValue = circularShiftPValue(
        snapshotMs,
        inSpanMs,
        windowMs,
        span,
        permutations,
        seed,
        options.onProgress,
      );
    } else notes.push('Fewer than two failures inside the span: no p-value.');
  }

  // The other direction: snapshot writes that no failure followed (they keep the picture honest).
  const spanSnapshots = span ? snapshotMs.filter((t) => t >= span.start && t <= span.end) : [];
  const snapshotsWithoutFailure = spanSnapshots.filter((s) => {
    const next = inSpanMs[firstAtOrAfter(inSpanMs, s)];
    return next === undefined || next - s > windowMs;
  }).length;

  const perSubject = subjectGroups(inSpan);

  return {
    windowSeconds,
    wallClockAnchor: options.wallClockAnchor ?? 'not stated',
    snapshots,
    failures: rows,
    excluded: { undated, outsideSpan: rows.length - inSpan.length },
    span: span ? { start: new Date(span.start).toISOString(), end: new Date(span.end).toISOString() } : null,
    failuresInSpan: inSpan.length,
    snapshotsInSpan: spanSnapshots.length,
    snapshotsWithoutFailure,
    withinWindow,
    observedShare,
    expectedShare,
    lift: observedShare !== null && expectedShare ? observedShare / expectedShare : null,
    pValue,
    permutations,
    seed,
    perSubject,
    notes,
  };
}
