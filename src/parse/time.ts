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

/**
 * `YYYY-MM-DD?HH:MM:SS` at the start of `text`: a fresh time of its date and clock (`ms` 0, no
 * zone: the caller's to set), or null when a digit, dash or colon is missing or the fields are no
 * valid time. The character at 10 (`T`, or a space where the stamp allows one) is the caller's to
 * check. Not kept for the next line: comparing a stamp with the last one (`startsWith`, a slice's
 * `===`) cost as much as reading its digits when every line shares its second, and more on the
 * bundle's log, where one line in four does.
 */
export function isoSecond(text: string): PartialTime | null {
  const century = digitPair(text, 0);
  const year = digitPair(text, 2);
  const second: PartialTime = {
    year: century * 100 + year,
    month: digitPair(text, 5),
    day: digitPair(text, 8),
    hour: digitPair(text, 11),
    minute: digitPair(text, 14),
    second: digitPair(text, 17),
    ms: 0,
  };
  if (
    (century | year | second.hour | second.minute | second.second) < 0 ||
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58 ||
    !isValidPartial(second)
  )
    return null;
  return second;
}

/**
 * The two ASCII digits at `at` of `text` as a number, or -1 when either is not a digit (or is past
 * the end). Clocks are read a pair at a time, each character once: on the event path reading a
 * character is most of what a clock costs.
 */
export function digitPair(text: string, at: number): number {
  // Not two digitAt calls: that nesting spent TurboFan's inlining budget, and a profile of the bundle
  // log showed digitAt called, not inlined (3.7% of the scan).
  const tens = text.charCodeAt(at) - 48;
  const ones = text.charCodeAt(at + 1) - 48;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : -1;
}

/** The ASCII digit at `at` of `text` as a number, or -1. */
export function digitAt(text: string, at: number): number {
  const value = text.charCodeAt(at) - 48;
  return value >= 0 && value <= 9 ? value : -1;
}

/**
 * RFC 3339 / ISO 8601 with or without fraction and zone (`2024-01-12T10:00:01.123456789Z`), read
 * as `^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?\s?(Z|[+-]\d\d:?\d\d|UTC)?$` reads it
 * (test/parse/time.test.ts compares both): no part of it can give back characters the next part
 * could use, so reading left to right decides as the regex does. A zone the regex takes but
 * `parseOffset` refuses (`+24:00`) makes null.
 */
export function parseIsoPartial(text: string): PartialTime | null {
  const separator = text.charCodeAt(10);
  if (separator !== 84 && separator !== 32) return null;
  const time = isoSecond(text);
  if (!time) return null;
  let at = 19;
  const mark = text.charCodeAt(at);
  if (mark === 46 || mark === 44) {
    const fraction = fractionAt(text, at + 1);
    if (fraction.digits === 0 || fraction.digits > 9) return null;
    time.ms = fraction.ms;
    at += 1 + fraction.digits;
  }
  if (isWhitespace(text.charCodeAt(at))) at++;
  if (at === text.length) return time;
  const offset = zoneToEnd(text, at);
  if (offset === null) return null;
  time.offsetMinutes = offset;
  return time;
}

const WHITESPACE = /\s/;

/** What the regex `\s` matches (ASCII asked by hand: the regex costs more than the whole stamp). */
function isWhitespace(code: number): boolean {
  return (
    code === 32 || (code >= 9 && code <= 13) || (code >= 160 && WHITESPACE.test(String.fromCharCode(code)))
  );
}

/** `Z`, `UTC`, `±hh:mm` or `±hhmm` from `at` to the end of `text`: minutes east of UTC, else null. */
function zoneToEnd(text: string, at: number): number | null {
  const rest = text.length - at;
  const first = text.charCodeAt(at);
  if (rest === 1) return first === 90 ? 0 : null;
  if (rest === 3) return text.endsWith('UTC') ? 0 : null;
  if (rest === 5) return numericZone(text, at, false);
  return rest === 6 && text.charCodeAt(at + 3) === 58 ? numericZone(text, at, true) : null;
}

/**
 * `±hh:mm` (`colon`) or `±hhmm` at `at`: minutes east of UTC, or null when a sign or digit is
 * missing or the offset is past 23:59, as `parseOffset` reads it.
 */
export function numericZone(text: string, at: number, colon: boolean): number | null {
  return zoneMinutes(text.charCodeAt(at), digitPair(text, at + 1), digitPair(text, colon ? at + 4 : at + 3));
}

/** A zone's sign (`+` or `-`), hours and minutes (-1: not two digits) as minutes east of UTC, or null. */
export function zoneMinutes(sign: number, hours: number, minutes: number): number | null {
  if ((sign !== 43 && sign !== 45) || hours < 0 || minutes < 0 || hours > 23 || minutes > 59) return null;
  return sign === 45 ? -(hours * 60 + minutes) : hours * 60 + minutes;
}

/**
 * The run of digits from `at`, each read once: how many, and when there are 1–9 the fraction of a
 * second they write in ms, `Number(\`0.${digits}\`) * 1000` without making the string: the digits
 * as an integer over a power of ten is one correctly rounded division of two exact doubles, the same
 * double the string's parse rounds to.
 */
export function fractionAt(text: string, at: number): { digits: number; ms: number } {
  let value = 0;
  let end = at;
  for (let code = text.charCodeAt(end); code >= 48 && code <= 57; code = text.charCodeAt(++end))
    value = value * 10 + code - 48;
  const digits = end - at;
  return { digits, ms: digits >= 1 && digits <= 9 ? fractionMs(value, digits) : 0 };
}

/** The ms a fraction of 1–9 `digits` digits, read as the integer `value`, writes. */
export function fractionMs(value: number, digits: number): number {
  return (value / (POWERS_OF_TEN[digits] as number)) * 1000;
}

const POWERS_OF_TEN = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000];

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

export function isValidPartial(time: PartialTime): boolean {
  return isValidClock(time.month, time.day, time.hour, time.minute, time.second);
}

/** `isValidPartial` of a time's parts (NaN fails), for a reader that has not built the time. */
export function isValidClock(
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 60;
}

/**
 * ms since epoch of `time` read in `offsetMinutes`; the year must be known. Years 0–99 are taken as
 * written (Date.UTC would make 0000 into 1900), and the fraction is cut to whole milliseconds before
 * it is added: at year 9999 a double cannot hold .999999999 of a second and would round into 10000.
 * Years 1970–9999 are counted by hand (the event path resolves a time per event and a Date's setters
 * were most of that); the count is the calendar arithmetic of ECMAScript's MakeDay/MakeTime, so an
 * overflowing day (Feb 31) or a leap second rolls over as a Date would.
 */
function toEpoch(time: PartialTime, year: number, offsetMinutes: number): number {
  if (year >= 1970 && year <= 9999) {
    const clock = time.hour * 3_600_000 + time.minute * 60_000 + time.second * 1000 + Math.floor(time.ms);
    return daysFromCivil(year, time.month, time.day) * 86_400_000 + clock - offsetMinutes * 60_000;
  }
  const date = new Date(0);
  date.setUTCFullYear(year, time.month - 1, time.day);
  date.setUTCHours(time.hour, time.minute, time.second, Math.floor(time.ms));
  return date.getTime() - offsetMinutes * 60_000;
}

/** Days from 1970-01-01 to `year`-`month`-`day` (proleptic Gregorian; H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

const LAST_4_DIGIT_MS = 253_402_300_799_999;
const pad2 = (value: number) => (value < 10 ? `0${value}` : `${value}`);

/**
 * `new Date(ms).toISOString()` for whole ms; 1970–9999 written by hand (H. Hinnant's
 * civil_from_days), which is the only shape of the event path.
 */
export function isoFromEpochMs(ms: number): string {
  if (!(ms >= 0 && ms <= LAST_4_DIGIT_MS) || ms !== Math.floor(ms)) return new Date(ms).toISOString();
  const days = Math.floor(ms / 86_400_000);
  let rest = ms - days * 86_400_000;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shifted = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shifted + 2) / 5) + 1;
  const month = shifted < 10 ? shifted + 3 : shifted - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  const milli = rest - second * 1000;
  return `${year}-${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(minute)}:${pad2(second)}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
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
  return { ts: isoFromEpochMs(Math.floor(ms)), tsSource };
}
