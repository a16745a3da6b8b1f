import { describe, expect, it } from 'vitest';
import { fromEpochNumber, parseIsoPartial, resolveTime, zoneOffsetMinutes } from '../../src/parse/time.js';

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
