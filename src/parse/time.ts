/**
 * Timestamps as log lines give them: often without a year (klog, syslog/journald short) or a zone
 * (klog: the process's local time). A `PartialTime` keeps what the line said; `resolveTime` turns it
 * into UTC once the ingest knows an anchor (a `--year`/`--tz` override, the bundle's collection time,
 * object timestamps, file mtimes). See docs/formats.md, "Time".
 */
import type { TimestampSource } from '../types/index.js';

export interface PartialTime {
  /** Absent when the line has no year. */
  year?: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Fraction of a second in ms (may carry sub-ms digits). */
  ms: number;
  /** Offset east of UTC in minutes; absent when the line has no zone (local time of the writer). */
  offsetMinutes?: number;
}

/** How an event's time is known before resolution. */
export type TimeOrigin = Exclude<
  TimestampSource,
  'override' | 'year-assumed' | 'zone-assumed' | 'year-zone-assumed' | 'none'
>;

export interface TimeContext {
  /** --year: the year of year-less lines. */
  year?: number;
  /** --tz: zone of zone-less lines, as '+10:00', 'UTC' or an IANA name such as 'Australia/Brisbane'. */
  tz?: string;
  /** Best guess of when the evidence was collected (ms since epoch); year-less times are placed at or before it. */
  anchorMs?: number;
}

export interface ResolvedTime {
  ts: string | null;
  tsSource: TimestampSource;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function monthFromName(name: string): number | null {
  const index = MONTHS.indexOf(name);
  return index < 0 ? null : index + 1;
}

/** Parses `Z`, `+10:00`, `+1000`, `-0700`, `UTC` into minutes east of UTC. */
export function parseOffset(text: string): number | null {
  if (text === 'Z' || text === 'UTC' || text === 'GMT') return 0;
  const match = /^([+-])(\d\d):?(\d\d)$/.exec(text);
  // RFC 3339: hours 00–23, minutes 00–59; `+99:99` is not an offset.
  if (!match || Number(match[2]) > 23 || Number(match[3]) > 59) return null;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

const ISO = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?\s?(Z|[+-]\d\d:?\d\d|UTC)?$/;
/** What follows the seconds in ISO above, matched from position 19. */
const ISO_TAIL = /(?:[.,](\d{1,9}))?\s?(Z|[+-]\d\d:?\d\d|UTC)?$/y;

/**
 * Lines of one log share their second, so the date and clock of the last second seen are kept and
 * only the fraction and zone are read again (the event fast path parses a time per event).
 */
let lastSecond = '';
let lastClock: PartialTime | null = null;

/** RFC 3339 / ISO 8601 with or without fraction and zone (`2024-01-12T10:00:01.123456789Z`). */
export function parseIsoPartial(text: string): PartialTime | null {
  if (lastClock !== null && text.length >= 19 && text.startsWith(lastSecond)) {
    ISO_TAIL.lastIndex = 19;
    const tail = ISO_TAIL.exec(text);
    if (!tail) return null;
    return withTail(lastClock, tail[1], tail[2]);
  }
  const match = ISO.exec(text);
  if (!match) return null;
  const clock = {
    year: Number(match[1]),
    month: Number(match[2]),
    day: Number(match[3]),
    hour: Number(match[4]),
    minute: Number(match[5]),
    second: Number(match[6]),
    ms: 0,
  };
  if (!valid(clock)) return null;
  lastSecond = text.slice(0, 19);
  lastClock = clock;
  return withTail(clock, match[7], match[8]);
}

function withTail(clock: PartialTime, fraction: string | undefined, zone: string | undefined) {
  // One literal shape for every time: spreading the cached clock made slow dictionary objects.
  const time: PartialTime = {
    year: clock.year,
    month: clock.month,
    day: clock.day,
    hour: clock.hour,
    minute: clock.minute,
    second: clock.second,
    ms: fraction ? Number(`0.${fraction}`) * 1000 : 0,
  };
  if (zone) {
    const offset = parseOffset(zone);
    if (offset === null) return null;
    time.offsetMinutes = offset;
  }
  return time;
}

export function fromEpochMs(ms: number): PartialTime | null {
  if (!Number.isFinite(ms)) return null;
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return null;
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    ms: date.getUTCMilliseconds() + (ms - Math.floor(ms)),
    offsetMinutes: 0,
  };
}

/**
 * Epoch numbers as loggers write them: zap float seconds, component-base float milliseconds,
 * journald microseconds. Picks the unit by magnitude (valid for dates 2001–2286).
 */
export function fromEpochNumber(value: number): PartialTime | null {
  if (value > 1e17) return fromEpochMs(value / 1e6);
  if (value > 1e14) return fromEpochMs(value / 1e3);
  if (value > 1e11) return fromEpochMs(value);
  if (value > 1e8) return fromEpochMs(value * 1000);
  return null;
}

function valid(time: PartialTime): boolean {
  return (
    time.month >= 1 &&
    time.month <= 12 &&
    time.day >= 1 &&
    time.day <= 31 &&
    time.hour <= 23 &&
    time.minute <= 59 &&
    time.second <= 60
  );
}

export function isValidPartial(time: PartialTime): boolean {
  return valid(time);
}

/**
 * ms since epoch of `time` read in `offsetMinutes`; the year must be known. Years 0–99 are taken as
 * written (Date.UTC would make 0000 into 1900), and the fraction is cut to whole milliseconds before
 * it is added: at year 9999 a double cannot hold .999999999 of a second and would round into 10000.
 */
function toEpoch(time: PartialTime, year: number, offsetMinutes: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, time.month - 1, time.day);
  date.setUTCHours(time.hour, time.minute, time.second, Math.floor(time.ms));
  return date.getTime() - offsetMinutes * 60_000;
}

/** Minutes east of UTC of `tz` at the instant `approxMs` (IANA names via Intl). */
export function zoneOffsetMinutes(tz: string, approxMs: number): number | null {
  const fixed = parseOffset(tz);
  if (fixed !== null) return fixed;
  try {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    }).formatToParts(new Date(approxMs));
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    const local = Date.UTC(
      get('year'),
      get('month') - 1,
      get('day'),
      get('hour'),
      get('minute'),
      get('second'),
    );
    return Math.round((local - Math.floor(approxMs / 1000) * 1000) / 60_000);
  } catch {
    return null;
  }
}

/** Throws on a --tz that is neither an offset nor an IANA zone, so a typo is a usage error. */
export function checkTimeZone(tz: string): boolean {
  return zoneOffsetMinutes(tz, Date.now()) !== null;
}

/**
 * Turns a partial time into UTC. A missing zone is read in `--tz` (else UTC); a missing year comes
 * from `--year`, else the latest year that does not put the time after the anchor (logs precede
 * their collection), else the anchor's year. `origin` names the wrapper the time came from; the
 * source says which part was assumed, so the PIR can list every assumption.
 */
export function resolveTime(
  time: PartialTime | null,
  origin: TimeOrigin,
  context: TimeContext,
): ResolvedTime {
  if (!time) return { ts: null, tsSource: 'none' };
  let overridden = false;
  let yearAssumed = false;
  let year = time.year;
  if (year === undefined) {
    if (context.year !== undefined) {
      year = context.year;
      overridden = true;
    } else if (context.anchorMs !== undefined) {
      const anchorYear = new Date(context.anchorMs).getUTCFullYear();
      // A day of slack so a zone difference does not push a line into the previous year.
      year = toEpoch(time, anchorYear, 0) > context.anchorMs + 86_400_000 ? anchorYear - 1 : anchorYear;
      yearAssumed = true;
    } else {
      return { ts: null, tsSource: 'none' };
    }
  }
  let zoneAssumed = false;
  let offset = time.offsetMinutes;
  if (offset === undefined) {
    if (context.tz) {
      offset = zoneOffsetMinutes(context.tz, toEpoch(time, year, 0)) ?? 0;
      overridden = true;
    } else {
      offset = 0;
      zoneAssumed = true;
    }
  }
  const ms = toEpoch(time, year, offset);
  if (!Number.isFinite(ms)) return { ts: null, tsSource: 'none' };
  const tsSource: TimestampSource =
    yearAssumed && zoneAssumed
      ? 'year-zone-assumed'
      : yearAssumed
        ? 'year-assumed'
        : zoneAssumed
          ? 'zone-assumed'
          : overridden
            ? 'override'
            : origin;
  return { ts: new Date(Math.floor(ms)).toISOString(), tsSource };
}
