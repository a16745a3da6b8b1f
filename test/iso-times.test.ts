import { describe, expect, it } from 'vitest';
import { isCanonical, IsoTimes } from '../src/iso-times.js';

// toISOString's shape, one outside it (no milliseconds), microseconds, an offset, and text no date parse reads.
const TIMES = [
  '2026-03-31T22:04:43.996Z',
  '2026-03-31T22:04:44Z',
  '2026-03-31T22:04:43.996123Z',
  '2026-03-31T22:04:43.996+10:00',
  'not a time',
  '2026-03-31T22:04:43.997Z',
  '2026-03-31T22:04:43.996Z',
];

const sign = (n: number | null) => (n === null ? null : Math.sign(n));

describe('IsoTimes', () => {
  it('gives back each time as the text it was set from, and none where none was set', () => {
    const times = new IsoTimes(2);
    TIMES.forEach((ts, i) => times.set(i, ts));
    times.set(TIMES.length + 3, null);
    expect(TIMES.map((_, i) => times.get(i))).toEqual(TIMES);
    // Grown past its capacity, the indexes between hold no time.
    expect(times.get(TIMES.length + 1)).toBeNull();
    // Set again in its shape, a time once kept as text is text no more.
    times.set(1, '2026-03-31T22:04:45.000Z');
    expect(times.get(1)).toBe('2026-03-31T22:04:45.000Z');
    expect(times.odd.has(1)).toBe(false);
  });

  it('orders as localeCompare and compares as < and > do on the texts', () => {
    const times = new IsoTimes();
    TIMES.forEach((ts, i) => times.set(i, ts));
    for (let a = 0; a < TIMES.length; a++) {
      for (let b = 0; b < TIMES.length; b++) {
        expect(Math.sign(times.compare(a, b))).toBe(Math.sign(TIMES[a]!.localeCompare(TIMES[b]!)));
        const text = TIMES[b]!;
        expect(sign(times.compareText(a, text))).toBe(text < TIMES[a]! ? -1 : text > TIMES[a]! ? 1 : 0);
      }
    }
    times.set(20, null);
    expect(times.compareText(20, TIMES[0]!)).toBeNull();
  });

  it("tells toISOString's own texts of four-digit years (ordered as their times) from others", () => {
    expect(TIMES.map((ts) => isCanonical(ts, Date.parse(ts)))).toEqual([
      true,
      false,
      false,
      false,
      false,
      true,
      true,
    ]);
    expect(isCanonical('+010000-01-01T00:00:00.000Z', Date.parse('+010000-01-01T00:00:00.000Z'))).toBe(false);
  });
});
