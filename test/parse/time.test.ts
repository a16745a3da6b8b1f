import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/analyze/correlate.js';
import {
  fractionAt,
  fromEpochNumber,
  isoFromEpochMs,
  parseIsoPartial,
  resolveTime,
  zoneOffsetMinutes,
  type PartialTime,
} from '../../src/parse/time.js';
import { expectChangesReadAlike, isoByRegex } from './_clock-references.js';

const klogTime = { month: 12, day: 31, hour: 23, minute: 59, second: 58, ms: 500 };

describe('resolveTime', () => {
  it('keeps a full time with zone as the line says', () => {
    expect(resolveTime(parseIsoPartial('2026-04-01T09:12:33.5+10:00'), 'line', {})).toEqual({
      ts: '2026-03-31T23:12:33.500Z',
      tsSource: 'line',
    });
  });

  it('uses --year and --tz for klog times and says so', () => {
    expect(resolveTime(klogTime, 'line', { year: 2025, tz: '+10:00' })).toEqual({
      ts: '2025-12-31T13:59:58.500Z',
      tsSource: 'override',
    });
    expect(resolveTime(klogTime, 'line', { year: 2025, tz: 'Australia/Brisbane' }).ts).toBe(
      '2025-12-31T13:59:58.500Z',
    );
  });

  it('infers the year from the collection time, rolling back over New Year', () => {
    const collected = Date.parse('2026-01-02T08:00:00Z');
    expect(resolveTime(klogTime, 'line', { anchorMs: collected })).toEqual({
      ts: '2025-12-31T23:59:58.500Z',
      tsSource: 'year-zone-assumed',
    });
    expect(resolveTime({ ...klogTime, month: 1, day: 1 }, 'line', { anchorMs: collected }).ts).toBe(
      '2026-01-01T23:59:58.500Z',
    );
  });

  it('gives no time without a year and without an anchor', () => {
    expect(resolveTime(klogTime, 'line', {})).toEqual({ ts: null, tsSource: 'none' });
    expect(resolveTime(null, 'line', { year: 2024 })).toEqual({ ts: null, tsSource: 'none' });
  });

  it('marks a year-bearing time without zone as zone-assumed (read as UTC)', () => {
    expect(resolveTime(parseIsoPartial('2024-01-12 10:00:01.123'), 'line', {})).toEqual({
      ts: '2024-01-12T10:00:01.123Z',
      tsSource: 'zone-assumed',
    });
  });

  it('names only the part that was assumed', () => {
    const withZone = { ...klogTime, offsetMinutes: 600 };
    expect(resolveTime(withZone, 'journald', { anchorMs: Date.parse('2026-01-02T08:00:00Z') }).tsSource).toBe(
      'year-assumed',
    );
    expect(resolveTime(klogTime, 'line', { year: 2023 }).tsSource).toBe('zone-assumed');
    expect(resolveTime(klogTime, 'line', { year: 2023, tz: 'UTC' }).tsSource).toBe('override');
  });
});

describe('epoch numbers', () => {
  it('reads seconds, milliseconds and microseconds by magnitude', () => {
    const want = '2024-01-12T10:00:01.123Z';
    for (const value of [1705053601.123, 1705053601123, 1705053601123000]) {
      expect(resolveTime(fromEpochNumber(value), 'line', {}).ts).toBe(want);
    }
  });
});

describe('zones', () => {
  it('reads offsets and IANA names, and rejects nonsense', () => {
    expect(zoneOffsetMinutes('-07:00', 0)).toBe(-420);
    expect(zoneOffsetMinutes('Australia/Brisbane', Date.parse('2026-04-01T00:00:00Z'))).toBe(600);
    expect(zoneOffsetMinutes('Mars/Olympus', 0)).toBeNull();
  });
});

describe('resolveTime without Date (years 1970–9999)', () => {
  /** What the Date setters and toISOString give: the calendar the hand count must follow. */
  function byDate(time: PartialTime, offsetMinutes: number): string | null {
    const date = new Date(0);
    date.setUTCFullYear(time.year as number, time.month - 1, time.day);
    date.setUTCHours(time.hour, time.minute, time.second, Math.floor(time.ms));
    const ms = date.getTime() - offsetMinutes * 60_000;
    return Number.isFinite(ms) ? new Date(Math.floor(ms)).toISOString() : null;
  }

  it('gives what a Date gives for generated times, rolled-over days, leap seconds and the range edges', () => {
    // mulberry32: an LCG's low bits repeat too soon to reach every month with every other field.
    const random = seededRandom(7);
    const next = (n: number) => Math.floor(random() * n);
    const years = [1969, 1970, 1971, 1999, 2000, 2024, 2025, 2100, 2400, 9998, 9999, 10000];
    for (let i = 0; i < 50_000; i++) {
      const time: PartialTime = {
        year: i % 3 === 0 ? (years[next(years.length)] as number) : 1970 + next(8030),
        month: 1 + next(12),
        day: 1 + next(31),
        hour: next(24),
        minute: next(60),
        second: next(61),
        ms: next(1000) + next(1000) / 1000,
        offsetMinutes: next(2) === 0 ? 0 : next(24 * 60 * 2) - 24 * 60,
      };
      const resolved = resolveTime(time, 'line', {});
      expect(resolved.ts, JSON.stringify(time)).toBe(byDate(time, time.offsetMinutes as number));
      expect(isoFromEpochMs(i * 7_654_321_987)).toBe(new Date(i * 7_654_321_987).toISOString());
    }
    // Every day from 1970 to 2517, so each place in the 400-year cycle's leap rules is met.
    for (let day = 0; day < 200_000; day++) {
      const ms = day * 86_400_000 + 43_200_123;
      expect(isoFromEpochMs(ms)).toBe(new Date(ms).toISOString());
    }
    for (const ms of [0, -1, 253_402_300_799_999, 253_402_300_800_000, 951_782_400_000, 1.5])
      expect(isoFromEpochMs(ms)).toBe(new Date(ms).toISOString());
  });
});

describe('fractionAt', () => {
  it('is Number(`0.${digits}`) * 1000 for every fraction of up to four digits and generated longer ones', () => {
    const check = (digits: string) =>
      expect(fractionAt(`x${digits}Z`, 1), digits).toEqual({
        digits: digits.length,
        ms: Number(`0.${digits}`) * 1000,
      });
    for (let width = 1; width <= 4; width++)
      for (let value = 0; value < 10 ** width; value++) check(String(value).padStart(width, '0'));
    let state = 3;
    for (let i = 0; i < 100_000; i++) {
      state = (Math.imul(state ^ (state >>> 15), 2246822507) + i) >>> 0;
      const width = 5 + (i % 5);
      check(String(state % 10 ** width).padStart(width, '0'));
    }
  });
});

describe('parseIsoPartial', () => {
  const STAMPS = [
    '2024-01-12T10:00:01.123456789Z',
    '2024-01-12 10:00:01,5+05:30',
    '2026-03-31T22:00:17.000005+00:00',
    '2024-01-12T10:00:01-0700',
    '2024-01-12 10:00:01 UTC',
    '2024-01-12T10:00:01',
  ];
  const EDGES = [
    '2023-02-29T10:00:00Z',
    '2024-02-30T10:00:00Z',
    '2024-01-12T23:59:60Z',
    '2024-01-12T23:59:61Z',
    '2024-01-12T24:00:00Z',
    '2024-00-12T10:00:00Z',
    '2024-01-00T10:00:00Z',
    '2024-01-32T10:00:00Z',
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59.999999999Z',
    ...['1', '12', '123', '1234', '12345', '123456', '1234567', '12345678', '123456789', '1234567890'].map(
      (fraction) => `2024-01-12T10:00:00.${fraction}Z`,
    ),
    '2024-01-12T10:00:00.Z',
    '2024-01-12T10:00:00 ',
    '2024-01-12T10:00:00  Z',
    '2024-01-12T10:00:00\u00a0+01:00',
    '2024-01-12T10:00:00\u2028Z',
    '2024-01-12T10:00:00\ufeffZ',
    '2024-01-12T10:00:00-00:00',
    '2024-01-12T10:00:00+23:59',
    '2024-01-12T10:00:00+24:00',
    '2024-01-12T10:00:00-12:60',
    '2024-01-12T10:00:00+100',
    '2024-01-12T10:00:00+10:0',
    '2024-01-12T10:00:00+10000',
    '2024-01-12T10:00:00GMT',
    '2024-01-12T10:00:00utc',
    '2024-01-12T10:00:00Zx',
    '2024-01-12t10:00:00Z',
    '2024-01-12T10:00',
    '２０２４-01-12T10:00:00Z',
    '',
  ];

  it('reads as the regex it replaced, at the edges of each part', () => {
    for (const text of [...STAMPS, ...EDGES]) expect(parseIsoPartial(text), text).toEqual(isoByRegex(text));
  });

  it('keeps what the lines say at the edges: no calendar check, a leap second, the zone as written', () => {
    expect(parseIsoPartial('2023-02-29T10:00:00Z')).toMatchObject({ month: 2, day: 29 });
    expect(parseIsoPartial('2024-01-12T23:59:60Z')?.second).toBe(60);
    expect(parseIsoPartial('2024-01-12T24:00:00Z')).toBeNull();
    expect(Object.is(parseIsoPartial('2024-01-12T10:00:00-00:00')?.offsetMinutes, -0)).toBe(true);
    expect(parseIsoPartial('2024-01-12T10:00:00+24:00')).toBeNull();
    expect(parseIsoPartial('2024-01-12T10:00:00.1234567890Z')).toBeNull();
    expect(parseIsoPartial('2024-01-12T10:00:01')).not.toHaveProperty('offsetMinutes');
  });

  it('reads every one-character change of a stamp as the regex does, whatever was read before it', () => {
    const checked = expectChangesReadAlike(
      STAMPS,
      (stamp) => stamp.length,
      parseIsoPartial,
      isoByRegex,
      '1999-12-31T23:59:59Z',
    );
    expect(checked).toBeGreaterThan(1000);
  });

  it('gives a fresh time per call', () => {
    const first = parseIsoPartial('2024-01-12T10:00:01.5Z');
    const second = parseIsoPartial('2024-01-12T10:00:01.5Z');
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
  });
});
