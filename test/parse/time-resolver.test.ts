import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/analyze/correlate.js';
import { TimeResolver } from '../../src/parse/event.js';
import { resolveTime, type PartialTime, type TimeContext, type TimeOrigin } from '../../src/parse/time.js';

/**
 * A stream of times as logs give them: runs within a minute (and a second), minute, hour, day and
 * year boundaries, leap seconds, sub-millisecond fractions, offsets, year-less and zone-less times,
 * origins changing mid-run.
 */
function stream(seed: number): { time: PartialTime | null; origin: TimeOrigin }[] {
  const next = seededRandom(seed);
  const pick = <T>(values: T[]) => values[Math.floor(next() * values.length)] as T;
  const times: { time: PartialTime | null; origin: TimeOrigin }[] = [];
  let time: PartialTime = { year: 2026, month: 3, day: 31, hour: 23, minute: 59, second: 58, ms: 0 };
  for (let i = 0; i < 4000; i++) {
    const roll = next();
    if (roll < 0.5) time = { ...time, second: Math.min(60, time.second + (next() < 0.5 ? 0 : 1)) };
    else if (roll < 0.6) time = { ...time, minute: (time.minute + 1) % 60, second: Math.floor(next() * 61) };
    else if (roll < 0.65) time = { ...time, year: pick([1969, 1970, 2025, 2026, 9999, 10000]) };
    else if (roll < 0.7) time = { ...time, month: pick([1, 2, 3, 10, 12]), day: pick([1, 28, 29, 31]) };
    else if (roll < 0.75) time = { ...time, hour: pick([0, 1, 2, 3, 23]) };
    const variant: PartialTime = { ...time, ms: pick([0, 0.5, 1, 9.999, 99.5, 123.456789, 999, 999.9999]) };
    const offset = pick([undefined, 0, 600, -420, 330]);
    if (offset === undefined) delete variant.offsetMinutes;
    else variant.offsetMinutes = offset;
    if (next() < 0.1) delete variant.year;
    const origin = pick<TimeOrigin>(['line', 'line', 'journald', 'kubectl']);
    times.push({ time: next() < 0.02 ? null : variant, origin });
  }
  return times;
}

/**
 * Lines minutes to hours apart within a few dates, files interleaving (origins and offsets taking
 * turns), local dates that straddle UTC midnight, years 0–99 written as such.
 */
function sparseStream(seed: number): { time: PartialTime; origin: TimeOrigin }[] {
  const next = seededRandom(seed);
  const pick = <T>(values: T[]) => values[Math.floor(next() * values.length)] as T;
  const times: { time: PartialTime; origin: TimeOrigin }[] = [];
  const file = () => ({
    date: {
      year: pick([2026, 2026, 2024, 1969, 99, 9999]),
      month: pick([2, 3, 12]),
      day: pick([28, 29, 31]),
    },
    offset: pick<number | undefined>([0, 0, 600, -420, 330, -720, 840, undefined]),
    origin: pick<TimeOrigin>(['line', 'journald', 'cri']),
  });
  const files = [file(), file(), file()];
  for (let i = 0; i < 4000; i++) {
    if (next() < 0.02) files[Math.floor(next() * files.length)] = file();
    const { date, offset, origin } = pick(files);
    const time: PartialTime = {
      ...date,
      hour: Math.floor(next() * 24),
      minute: Math.floor(next() * 60),
      second: Math.floor(next() * 60),
      ms: pick([0, 0.25, 999.999, 123.456]),
    };
    if (offset !== undefined) time.offsetMinutes = offset;
    times.push({ time, origin });
  }
  return times;
}

/** `place`'s answer as text: the resolved time, or the ISO text its UTC clock parts spell. */
function placed(resolver: TimeResolver, time: PartialTime | null, origin: TimeOrigin) {
  const resolved = resolver.place(time, origin);
  if (resolved) return resolved;
  const { datePrefix, hour, minute, second, milli } = resolver;
  const two = (value: number) => String(value).padStart(2, '0');
  const ts = `${Buffer.from(datePrefix).toString('latin1')}${two(hour)}:${two(minute)}:${two(second)}.${String(milli).padStart(3, '0')}Z`;
  return { ts, tsSource: resolver.daySource };
}

describe('TimeResolver', () => {
  const contexts: TimeContext[] = [
    {},
    { year: 2025 },
    { tz: '+10:00' },
    { tz: 'Australia/Sydney', year: 2026 },
    { tz: 'America/New_York' },
    { anchorMs: Date.UTC(2026, 3, 1) },
  ];
  for (const context of contexts) {
    it(`gives what resolveTime gives, event by event (${JSON.stringify(context)})`, () => {
      const resolver = new TimeResolver(context);
      for (const { time, origin } of stream(JSON.stringify(context).length)) {
        const expected = resolveTime(time, origin, context);
        expect(resolver.resolve(time, origin), JSON.stringify({ time, origin })).toEqual(expected);
        expect(resolver.lastMs).toBe(expected.ts === null ? Number.NaN : Date.parse(expected.ts));
      }
    });

    it(`places times as resolveTime does, in its UTC clock parts when it keeps the date (${JSON.stringify(context)})`, () => {
      const resolver = new TimeResolver(context);
      let inParts = 0;
      for (const { time, origin } of [...stream(3), ...sparseStream(5)]) {
        const expected = resolveTime(time, origin, context);
        if (resolver.place(time, origin) === null) inParts++;
        expect(placed(new TimeResolver(context), time, origin)).toEqual(expected);
        expect(placed(resolver, time, origin), JSON.stringify({ time, origin })).toEqual(expected);
        expect(resolver.lastMs).toBe(expected.ts === null ? Number.NaN : Date.parse(expected.ts));
      }
      if (!context.tz && context.anchorMs === undefined) expect(inParts).toBeGreaterThan(1000);
    });
  }

  for (const context of [{}, { year: 2025 }, { tz: '+10:00' }])
    it(`gives what resolveTime gives on times hours apart in a few dates (${JSON.stringify(context)})`, () => {
      const resolver = new TimeResolver(context);
      for (const { time, origin } of sparseStream(7)) {
        const expected = resolveTime(time, origin, context);
        expect(resolver.resolve(time, origin), JSON.stringify({ time, origin })).toEqual(expected);
        expect(resolver.lastMs).toBe(expected.ts === null ? Number.NaN : Date.parse(expected.ts));
      }
    });

  it('across a daylight-saving change read in a --tz zone', () => {
    const context = { tz: 'Australia/Sydney', year: 2026 };
    const resolver = new TimeResolver(context);
    // Sydney leaves daylight time at 03:00 local on 5 April 2026: 02:59 happens twice.
    for (const hour of [1, 2, 3])
      for (let minute = 55; minute < 60; minute++)
        for (const second of [0, 30, 59]) {
          const time: PartialTime = { month: 4, day: 5, hour, minute, second, ms: 250 };
          expect(resolver.resolve(time, 'line')).toEqual(resolveTime(time, 'line', context));
        }
  });
});
