/**
 * The event fast path's reading of a line's wrappers. `readLine` tries every wrapper format's regex in
 * turn, twice (wrappers nest), and each regex reads the whole line; most event lines are one of four
 * shapes (kubectl --timestamps, CRI, journald short-iso, journald short) whose prefix can be read by
 * hand in a few dozen character checks, the body being the rest. Anything off those shapes — or a
 * change to the wrapper list, which this order of checks depends on — goes back to the formats
 * (`undefined`), so the result is always what `readLine` alone gives (test/parse/line-reader.test.ts
 * compares both on every format and rule sample and on the sample bundle).
 */
import { peel, WRAPPER_IDS, type WrapperLayer } from './logs/index.js';
import {
  fractionAt,
  digitAt,
  digitPair,
  isoSecond,
  isValidPartial,
  monthFromName,
  numericZone,
  type PartialTime,
} from './time.js';

/** The wrapper order the checks below were written against. */
const KNOWN_WRAPPERS = [
  'journald-json',
  'cri',
  'kubectl-timestamps',
  'kubectl-prefix',
  'journald-iso',
  'journald-short',
  'docker-json',
];

export const FAST_WRAPPERS =
  WRAPPER_IDS.length === KNOWN_WRAPPERS.length &&
  WRAPPER_IDS.every((id, index) => id === KNOWN_WRAPPERS[index]);

const SPACE = 32;
const COLON = 58;
const OPEN = 91;
const CLOSE = 93;

const isDigit = (code: number) => code >= 48 && code <= 57;

/**
 * False when no known wrapper can read `text`: journald-json and docker-json need `{` (and their
 * keys), cri / kubectl --timestamps / short-iso a digit, kubectl --prefix `[`, journald short `Mon `.
 */
function mayBeWrapped(text: string): boolean {
  const first = text.charCodeAt(0);
  if (isDigit(first) || first === OPEN) return true;
  if (first === 123) return text.startsWith('{"log":') || text.includes('"__REALTIME_TIMESTAMP"');
  if (first >= 65 && first <= 90) {
    const second = text.charCodeAt(1);
    const third = text.charCodeAt(2);
    return second >= 97 && second <= 122 && third >= 97 && third <= 122 && text.charCodeAt(3) === SPACE;
  }
  return false;
}

/**
 * The wrapper layers of `line` as `readLine` would peel them, or undefined when the line is not one
 * of the shapes read here.
 */
export function wrapperLayers(line: string): WrapperLayer[] | undefined {
  if (!FAST_WRAPPERS) return undefined;
  if (!mayBeWrapped(line)) return [];
  const first = isDigit(line.charCodeAt(0)) ? isoWrapper(line) : journaldShort(line);
  if (!first) return undefined;
  const body = first.parsed.body;
  if (!mayBeWrapped(body)) return [first];
  const second = peel(body);
  return second ? [first, second] : [first];
}

/** An ISO stamp at the start of a line: its time, where the space after it is, its fraction digits and zone form. */
interface IsoStamp {
  time: PartialTime;
  end: number;
  fraction: number;
  colonZone: boolean;
}

/**
 * `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±hh:mm|±hhmm) ` at the start of `line`, each character read once:
 * its time as `parseIsoPartial` gives it; null when the line starts otherwise or the time or zone is
 * not valid.
 */
function isoStamp(line: string): IsoStamp | null {
  if (line.charCodeAt(10) !== 84) return null;
  const time = isoSecond(line);
  if (!time) return null;
  let at = 19;
  let fraction = 0;
  if (line.charCodeAt(at) === 46) {
    const read = fractionAt(line, at + 1);
    fraction = read.digits;
    if (fraction === 0 || fraction > 9) return null;
    time.ms = read.ms;
    at += 1 + fraction;
  }
  let offset: number | null = 0;
  let colonZone = true;
  if (line.charCodeAt(at) === 90) at++;
  else {
    colonZone = line.charCodeAt(at + 3) === COLON;
    offset = numericZone(line, at, colonZone);
    if (offset === null) return null;
    at += colonZone ? 6 : 5;
  }
  if (line.charCodeAt(at) !== SPACE) return null;
  time.offsetMinutes = offset;
  return { time, end: at, fraction, colonZone };
}

/**
 * `stdout ` or `stderr ` at `at`, compared by hand: `startsWith` at an offset cost about 90 ns a line
 * (V8 in Node 20), a third of reading the whole wrapper.
 */
export function isCriStream(line: string, at: number): boolean {
  if (
    line.charCodeAt(at) !== 115 ||
    line.charCodeAt(at + 1) !== 116 ||
    line.charCodeAt(at + 2) !== 100 ||
    line.charCodeAt(at + 6) !== SPACE
  )
    return false;
  const a = line.charCodeAt(at + 3);
  const b = line.charCodeAt(at + 4);
  const c = line.charCodeAt(at + 5);
  return (a === 111 && b === 117 && c === 116) || (a === 101 && b === 114 && c === 114);
}

/** CRI, kubectl --timestamps or journald short-iso, tried in the wrapper order. */
function isoWrapper(line: string): WrapperLayer | null {
  const stamp = isoStamp(line);
  if (!stamp) return null;
  const { time } = stamp;
  const rest = stamp.end + 1;
  if (isCriStream(line, rest)) {
    const tag = line.charCodeAt(rest + 7);
    if (!stamp.colonZone || (tag !== 70 && tag !== 80) || line.charCodeAt(rest + 8) !== SPACE) return null;
    return {
      id: 'cri',
      parsed: {
        time,
        origin: 'cri',
        body: line.slice(rest + 9),
        source: 'cri',
        fields: { stream: line.slice(rest, rest + 6), tag: tag === 70 ? 'F' : 'P' },
      },
    };
  }
  if (stamp.fraction === 9 && stamp.colonZone) {
    return {
      id: 'kubectl-timestamps',
      parsed: { time, origin: 'kubectl', body: line.slice(rest), source: 'kubectl-logs' },
    };
  }
  return journaldTail(line, rest, time, 'journald-iso');
}

/** journald `short`: `Mon DD HH:MM:SS[.f{1,6}] host ident[pid]: message`, no year. */
function journaldShort(line: string): WrapperLayer | null {
  const clock = shortClock(line);
  return clock && journaldTail(line, clock.end + 1, clock.time, 'journald-short');
}

/**
 * journald `short`'s clock `Mon DD HH:MM:SS[.f{1,6}]` and the space after it, each character read
 * once: its time and where the space is.
 */
function shortClock(line: string): { time: PartialTime; end: number; fraction: number } | null {
  // The space after the month too: `leadingClock` is asked of lines `mayBeWrapped` has not seen.
  if (line.charCodeAt(3) !== SPACE) return null;
  const month = monthFromName(line.slice(0, 3));
  // The day may be written ` 1`.
  const day = line.charCodeAt(4) === SPACE ? digitAt(line, 5) : digitPair(line, 4);
  const hour = digitPair(line, 7);
  const minute = digitPair(line, 10);
  const second = digitPair(line, 13);
  if (
    month === null ||
    (day | hour | minute | second) < 0 ||
    line.charCodeAt(6) !== SPACE ||
    line.charCodeAt(9) !== COLON ||
    line.charCodeAt(12) !== COLON
  )
    return null;
  let at = 15;
  let fraction = 0;
  let ms = 0;
  if (line.charCodeAt(at) === 46) {
    const read = fractionAt(line, at + 1);
    fraction = read.digits;
    if (fraction === 0 || fraction > 6) return null;
    ms = read.ms;
    at += 1 + fraction;
  }
  if (line.charCodeAt(at) !== SPACE) return null;
  const time: PartialTime = { month, day, hour, minute, second, ms };
  return isValidPartial(time) ? { time, end: at, fraction } : null;
}

/**
 * The clock a line starts with, read as the fast wrappers read it (an ISO stamp for CRI, kubectl
 * --timestamps and journald short-iso; journald short's): its time, where the space after it is,
 * and its shape — the stamp's fraction digits and zone form, which with the text after the clock
 * decide which wrapper reads the line. Null when the line starts with no valid clock of theirs.
 */
export function leadingClock(line: string): { time: PartialTime; end: number; shape: number } | null {
  if (isDigit(line.charCodeAt(0))) {
    const stamp = isoStamp(line);
    return (
      stamp && { time: stamp.time, end: stamp.end, shape: stamp.fraction * 2 + (stamp.colonZone ? 1 : 0) }
    );
  }
  const clock = shortClock(line);
  return clock && { time: clock.time, end: clock.end, shape: 100 + clock.fraction };
}

/** `host ident[pid]: message` from `at`, as the journald formats' regexes read it (ASCII only here). */
function journaldTail(line: string, at: number, time: PartialTime, id: string): WrapperLayer | null {
  const length = line.length;
  const hostStart = at;
  for (; at < length; at++) {
    const code = line.charCodeAt(at);
    if (code === SPACE) break;
    if (code < SPACE || code >= 127) return null;
  }
  if (at === hostStart || at >= length) return null;
  const host = line.slice(hostStart, at);
  const identStart = ++at;
  for (; at < length; at++) {
    const code = line.charCodeAt(at);
    if (code === OPEN || code === COLON) break;
    if (code <= SPACE || code >= 127) return null;
  }
  if (at === identStart || at >= length) return null;
  const identifier = line.slice(identStart, at);
  if (line.charCodeAt(at) === OPEN) {
    const pidStart = ++at;
    while (isDigit(line.charCodeAt(at))) at++;
    if (at === pidStart || line.charCodeAt(at) !== CLOSE) return null;
    at++;
  }
  if (line.charCodeAt(at) !== COLON) return null;
  at++;
  let body: string;
  if (at === length) body = '';
  else if (line.charCodeAt(at) === SPACE) body = line.slice(at + 1);
  else return null;
  return {
    id,
    parsed: {
      time,
      origin: 'journald',
      body,
      source: `journald:${identifier}`,
      fields: { host, identifier },
    },
  };
}
