import { expect } from 'vitest';
import { journaldShort } from '../../src/parse/logs/journald-short.js';
import { isValidPartial, parseOffset, type PartialTime } from '../../src/parse/time.js';

/**
 * The clock readers as regexes, the way they were written before they were read by hand: the hand
 * readers must accept, refuse and return exactly what these do.
 */
const ISO = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?\s?(Z|[+-]\d\d:?\d\d|UTC)?$/;

/** `parseIsoPartial` as a regex, `Number` and `parseOffset`. */
export function isoByRegex(text: string): PartialTime | null {
  const match = ISO.exec(text);
  if (!match) return null;
  const time: PartialTime = {
    year: Number(match[1]),
    month: Number(match[2]),
    day: Number(match[3]),
    hour: Number(match[4]),
    minute: Number(match[5]),
    second: Number(match[6]),
    ms: match[7] ? Number(`0.${match[7]}`) * 1000 : 0,
  };
  if (!isValidPartial(time)) return null;
  if (match[8]) {
    const offset = parseOffset(match[8]);
    if (offset === null) return null;
    time.offsetMinutes = offset;
  }
  return time;
}

const LEADING_ISO = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.(\d{1,9}))?(?:Z|[+-]\d\d(:?)\d\d)) /;
const LEADING_SHORT = /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(?:\.(\d{1,6}))? /;

/**
 * `leadingClock`: the wrappers' ISO stamp (CRI, kubectl --timestamps, journald short-iso) or
 * journald short's clock, as their regexes read it, then a space.
 */
export function leadingClockByRegex(line: string): { time: PartialTime; end: number; shape: number } | null {
  const iso = LEADING_ISO.exec(line);
  if (iso) {
    const time = isoByRegex(iso[1] as string);
    const fraction = iso[2]?.length ?? 0;
    return time && { time, end: (iso[1] as string).length, shape: fraction * 2 + (iso[3] === '' ? 0 : 1) };
  }
  const short = LEADING_SHORT.exec(line);
  if (!short) return null;
  const end = short[0].length - 1;
  // journald short's own reader, given a host, identifier and message after the clock.
  const time = journaldShort.parse(`${line.slice(0, end)} host unit: x`)?.time;
  return time ? { time, end, shape: 100 + (short[1]?.length ?? 0) } : null;
}

const KLOG_CLOCK = /^.(\d\d)(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{6})/s;

/** `klogClock` of a header starting at 0. */
export function klogClockByRegex(line: string): PartialTime | null {
  const match = KLOG_CLOCK.exec(line);
  const time = match && klogTimeOf(match.slice(1, 7));
  return time && isValidPartial(time) ? time : null;
}

/** A klog header's time from its regex's six clock captures (month, day, hour, minute, second, µs). */
export function klogTimeOf(captures: string[]): PartialTime {
  const [month, day, hour, minute, second, micros] = captures.map(Number) as number[];
  return {
    month: month as number,
    day: day as number,
    hour: hour as number,
    minute: minute as number,
    second: second as number,
    ms: (micros as number) / 1000,
  };
}

/** Characters a clock reader must tell apart: digits, its separators, whitespace (ASCII and not), others. */
export const CLOCK_REPLACEMENTS = [
  '0',
  '9',
  'T',
  ' ',
  '\t',
  '\u00a0',
  '\u2028',
  ':',
  '-',
  '+',
  '.',
  ',',
  'Z',
  'x',
  '',
];

/** `text` with each one character in `[0, end)` replaced by each of `replacements` ('' removes it). */
export function oneCharChanges(text: string, end: number, replacements = CLOCK_REPLACEMENTS): string[] {
  const changed: string[] = [];
  for (let at = 0; at < Math.min(end, text.length); at++)
    for (const replacement of replacements)
      changed.push(text.slice(0, at) + replacement + text.slice(at + 1));
  return changed;
}

/**
 * Expects `read` to give what `reference` gives for every one-character change of each of `texts`
 * (in its first `end(text)` characters) that `keep` keeps, read right after its unchanged text (the
 * same clock so far) and after `other`: what a reader gives must not depend on what it read before.
 * Returns how many changes were checked.
 */
export function expectChangesReadAlike<T>(
  texts: string[],
  end: (text: string) => number,
  read: (text: string) => T,
  reference: (text: string) => T,
  other: string,
  keep: (changed: string) => boolean = () => true,
): number {
  let checked = 0;
  for (const text of texts) {
    for (const changed of oneCharChanges(text, end(text))) {
      if (!keep(changed)) continue;
      const expected = reference(changed);
      read(text);
      expect(read(changed), JSON.stringify(changed)).toEqual(expected);
      read(other);
      expect(read(changed), JSON.stringify(changed)).toEqual(expected);
      checked++;
    }
  }
  return checked;
}
