/**
 * Times of events as a column: milliseconds in a typed array (8 bytes each, outside the garbage-
 * collected heap, where an ISO string costs 40 in it), given back as the very text they were set
 * from. A time that does not survive the round trip (not `toISOString`'s shape) is kept as its text.
 */
export class IsoTimes {
  /** Milliseconds since the epoch; NaN for no time. */
  ms: Float64Array;
  /** Times that do not survive a round trip through milliseconds, by index. */
  readonly odd = new Map<number, string>();

  /** Every index starts with no time. */
  constructor(capacity = 16) {
    this.ms = new Float64Array(capacity).fill(NaN);
  }

  set(index: number, ts: string | null): void {
    if (index >= this.ms.length) {
      // Doubled: the lease tallies meet a lease at a time, without knowing how many come.
      const grown = new Float64Array(Math.max(index + 1, this.ms.length * 2)).fill(NaN);
      grown.set(this.ms);
      this.ms = grown;
    }
    const ms = ts === null ? NaN : Date.parse(ts);
    this.ms[index] = ms;
    if (ts !== null && (Number.isNaN(ms) || isoOf(ms) !== ts)) this.odd.set(index, ts);
    else if (this.odd.size > 0) this.odd.delete(index);
  }

  get(index: number): string | null {
    const ms = this.ms[index]!;
    return this.odd.get(index) ?? (Number.isNaN(ms) ? null : isoOf(ms));
  }

  /**
   * Orders two dated entries as `localeCompare` orders their texts: by milliseconds when both are
   * `toISOString`'s 24 characters (four-digit years: the text's order is the time's), else by text.
   */
  compare(a: number, b: number): number {
    const ma = this.ms[a]!;
    const mb = this.ms[b]!;
    if (fourDigitYear(ma) && fourDigitYear(mb) && !this.odd.has(a) && !this.odd.has(b))
      return ma === mb ? 0 : ma < mb ? -1 : 1;
    return (this.get(a) ?? '').localeCompare(this.get(b) ?? '');
  }

  /**
   * How `ts` compares (`<`, `>`) with the time at `index`: negative before it, positive after, 0
   * the same; null when `index` has no time. In milliseconds when both are `toISOString`'s text of a
   * four-digit year, whose order is their text's: formatting the time at `index` again for each
   * line compared took a second per million lines.
   */
  compareText(index: number, ts: string): number | null {
    const here = this.ms[index]!;
    const oddHere = this.odd.get(index);
    if (oddHere === undefined && Number.isNaN(here)) return null;
    const ms = Date.parse(ts);
    if (oddHere === undefined && fourDigitYear(here) && isCanonical(ts, ms)) return ms - here;
    const text = oddHere ?? isoOf(here);
    return ts < text ? -1 : ts > text ? 1 : 0;
  }
}

const YEAR_0 = Date.parse('0000-01-01T00:00:00.000Z');
const YEAR_10000 = Date.parse('+010000-01-01T00:00:00.000Z');
const fourDigitYear = (ms: number) => ms >= YEAR_0 && ms < YEAR_10000;

/**
 * Whether `ts` is `toISOString`'s own text of `ms` (its `Date.parse`) in a four-digit year: such
 * texts are all 24 characters of one shape, so they order as text as their times do.
 */
export const isCanonical = (ts: string, ms: number) => fourDigitYear(ms) && isoOf(ms) === ts;

// Events of one burst share their millisecond: the last formatted time is kept.
let lastMs = NaN;
let lastIso = '';
export function isoOf(ms: number): string {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
}
