/**
 * Array helpers whose stack use does not grow with the input. `push(...items)`, `Math.max(...items)`
 * and `fn(...items)` pass every item as an argument, and V8 throws "Maximum call stack size exceeded"
 * somewhere past ~120,000 of them: one log with that many events took the whole run down. Use these
 * wherever the array comes from evidence.
 */

/** Appends `items` to `target` one by one; returns `target`. */
export function appendAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}

/** The largest value, or `floor` when there is none (or all are smaller). NaN values are ignored. */
export function maxOf(values: Iterable<number>, floor = -Infinity): number {
  let best = floor;
  for (const value of values) if (value > best) best = value;
  return best;
}

/** Index of the first element ≥ value in an ascending array (its length when none): a binary search. */
export function firstAtOrAfter(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The smallest value, or `ceiling` when there is none (or all are larger). NaN values are ignored. */
export function minOf(values: Iterable<number>, ceiling = Infinity): number {
  let best = ceiling;
  for (const value of values) if (value < best) best = value;
  return best;
}

/** Items between two waits of `eachPaced`: a wait per item would cost more than the work. */
const PACE_EVERY = 1024;

/**
 * `each` of every item, waiting on `pace` now and then: a synchronous source (a spill file, a
 * case's rows) read for output would otherwise queue its whole output in memory behind a slow
 * reader (`| jq`), since a stream drains only when the event loop turns.
 */
export async function eachPaced<T>(
  items: Iterable<T>,
  each: (item: T) => void,
  pace: (() => Promise<void>) | undefined,
): Promise<void> {
  let count = 0;
  for (const item of items) {
    each(item);
    if (pace && ++count % PACE_EVERY === 0) await pace();
  }
}
