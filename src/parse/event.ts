import type { EvidenceEvent } from '../types/index.js';
import type { Repeat } from './classify/index.js';
import { redact } from './redact.js';
import {
  resolveTime,
  type PartialTime,
  type ResolvedTime,
  type TimeContext,
  type TimeOrigin,
} from './time.js';

/** An event whose time may still lack a year or zone; `finalizeEvent` resolves it once the anchor is known. */
export interface PendingEvent extends Omit<EvidenceEvent, 'ts' | 'tsSource'> {
  time: PartialTime | null;
  origin: TimeOrigin;
}

/** Longest message kept per event: enough for any lease/trace line, bounded for pathological lines. */
export const MAX_MESSAGE_CHARS = 2000;

export function eventMessage(text: string): string {
  const redacted = redact(text);
  return redacted.length > MAX_MESSAGE_CHARS ? `${redacted.slice(0, MAX_MESSAGE_CHARS)}…` : redacted;
}

/** What `repeatedMessage` keeps in a repeat's memo: the first line's JSON, cut around its clocks. */
interface MessageMemo {
  /** The line is its own message (redaction left it as it is, and it is not cut short). */
  plain: boolean;
  /** Its JSON between the wrapper clock and the message clock, and after the message clock. */
  between: string;
  after: string;
}

/**
 * The message of a line answered from one seen before (the line itself), from the memo of the first
 * such line: null when the line's clocks differ from the kept line's in more than digits, or the
 * first line's message was not the line itself (it was redacted or cut short). Redaction treats
 * every digit alike (see redact.ts), so it leaves such a line as it is when it left the first one
 * so. Its JSON is the first line's with this line's clocks in their places (`repeatedMessageJson`):
 * clocks have nothing JSON escapes.
 */
export function repeatedMessage(line: string, repeat: Repeat): string | null {
  if (!repeat.digitsOnly) return null;
  return messageMemo(line, repeat).plain ? line : null;
}

function messageMemo(line: string, repeat: Repeat): MessageMemo {
  return (repeat.memo.message as MessageMemo | undefined) ?? newMessageMemo(line, repeat);
}

/** Made once per kept line, apart from the lookup: see ndjson.ts's newRepeatTemplate for why. */
function newMessageMemo(line: string, repeat: Repeat): MessageMemo {
  const plain = line.length <= MAX_MESSAGE_CHARS && redact(line) === line;
  const json = plain ? jsonString(line) : '';
  // Clocks have nothing JSON escapes: in the JSON the message clock starts after the escaped text
  // before it.
  const jsonMessageClock = plain ? jsonString(line.slice(0, repeat.messageClock)).length - 1 : 0;
  const memo: MessageMemo = {
    plain,
    between: json.slice(1 + repeat.clockEnd, jsonMessageClock),
    after: json.slice(jsonMessageClock + repeat.messageClockEnd - repeat.messageClock),
  };
  repeat.memo.message = memo;
  return memo;
}

/**
 * The JSON of a message `repeatedMessage` gave for `repeat`, around the line's own clocks: the text
 * between the wrapper clock and the message clock, and after the message clock (closing quote
 * included). The line's JSON is `"`, its wrapper clock, `between`, its message clock, `after`.
 */
export function repeatedMessageJson(repeat: Repeat): { between: string; after: string } {
  const { between, after } = repeat.memo.message as MessageMemo;
  return { between, after };
}

/**
 * `resolveTime` for a stream of events, remembering the local date of the last time resolved: a log's
 * events mostly share their date with the one before, and `resolveTime` does calendar arithmetic and
 * builds an ISO string per call. Within one local date, zone and origin, `resolveTime`'s instant is
 * linear in the hour, minute, second and whole milliseconds (ECMAScript's MakeTime, which toEpoch
 * follows), so it is the date's base instant plus those; the offset is whole minutes, so the UTC
 * second and milliseconds are the local ones, and while the instant falls in the cached UTC date its
 * ISO text is that date's `YYYY-MM-DDT` and the UTC clock. Not cached: a year-less time placed by the
 * anchor (its year depends on where it falls against the anchor), a leap second (60 rolls into the
 * next minute), a zone-less time read in a --tz zone (the zone's offset may change at any instant),
 * and years whose ISO text has another shape.
 */
export class TimeResolver implements UtcClock {
  /** A time of the cached local date (its year, month, day and offset are the key), and its origin. */
  private dayTime: PartialTime | null = null;
  private dayOrigin: TimeOrigin | null = null;
  /** The instant of 00:00:00.000 of the cached local date. */
  private dayBaseMs = 0;
  /** The start of the UTC date whose `YYYY-MM-DDT` is `datePrefix`. */
  private utcDayMs = 0;
  /** The time's source of every time of the cached date. */
  daySource: ResolvedTime['tsSource'] = 'none';
  datePrefix = Buffer.alloc(0);
  private datePrefixText = '';
  hour = 0;
  minute = 0;
  second = 0;
  milli = 0;
  /**
   * The instant of the last time resolved (NaN when it has none): comparing it is cheaper than
   * comparing the ISO text.
   */
  lastMs = Number.NaN;

  constructor(readonly context: TimeContext) {}

  resolve(time: PartialTime | null, origin: TimeOrigin): ResolvedTime {
    const resolved = this.place(time, origin);
    if (resolved) return resolved;
    const { hour, minute, second, milli } = this;
    return {
      ts: `${this.datePrefixText}${TWO_DIGITS[hour]}:${TWO_DIGITS[minute]}:${TWO_DIGITS[second]}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`,
      tsSource: this.daySource,
    };
  }

  /**
   * `resolve` without building the ISO text where it can: null when the time fell in the cached
   * date, whose text is then this resolver's `UtcClock` (`datePrefix`, `hour` … `milli`) and its
   * source `daySource`; else the resolved time.
   */
  place(time: PartialTime | null, origin: TimeOrigin): ResolvedTime | null {
    if (!time || (time.year === undefined && this.context.year === undefined))
      return this.resolved(resolveTime(time, origin, this.context));
    const ms = Math.floor(time.ms);
    if (time.second > 59 || ms < 0 || ms >= 1000 || (time.offsetMinutes === undefined && this.context.tz))
      return this.resolved(resolveTime(time, origin, this.context));
    const clockMs = time.hour * 3_600_000 + time.minute * 60_000 + time.second * 1000 + ms;
    const day = this.dayTime;
    if (day !== null && origin === this.dayOrigin && sameDate(time, day)) {
      const rest = this.dayBaseMs + clockMs - this.utcDayMs;
      if (rest >= 0 && rest < 86_400_000) {
        this.hour = Math.floor(rest / 3_600_000);
        this.minute = Math.floor((rest - this.hour * 3_600_000) / 60_000);
        this.second = time.second;
        this.milli = ms;
        this.lastMs = this.dayBaseMs + clockMs;
        return null;
      }
    }
    const resolved = this.resolved(resolveTime(time, origin, this.context));
    this.dayTime = null;
    // `YYYY-MM-DDTHH:MM:SS.mmmZ` only; other years have another ISO shape and are not cached.
    if (resolved.ts !== null && resolved.ts.length === 24) {
      const at = this.lastMs;
      this.dayTime = time;
      this.dayOrigin = origin;
      this.daySource = resolved.tsSource;
      this.dayBaseMs = at - clockMs;
      const utcDayMs = Math.floor(at / 86_400_000) * 86_400_000;
      if (utcDayMs !== this.utcDayMs || this.datePrefixText === '') {
        this.utcDayMs = utcDayMs;
        this.datePrefixText = resolved.ts.slice(0, 11);
        this.datePrefix = Buffer.from(this.datePrefixText, 'latin1');
      }
    }
    return resolved;
  }

  private resolved(resolved: ResolvedTime): ResolvedTime {
    this.lastMs = resolved.ts === null ? Number.NaN : Date.parse(resolved.ts);
    return resolved;
  }
}

/**
 * A resolved time's ISO text in parts, for writing it as bytes without building it:
 * `<datePrefix>HH:MM:SS.mmmZ`, the date's `YYYY-MM-DDT` as ASCII bytes.
 */
export interface UtcClock {
  datePrefix: Uint8Array;
  hour: number;
  minute: number;
  second: number;
  milli: number;
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, value) => String(value).padStart(2, '0'));

/** The same local date in the same zone (or both zone-less). */
function sameDate(a: PartialTime, b: PartialTime): boolean {
  return a.day === b.day && a.month === b.month && a.year === b.year && a.offsetMinutes === b.offsetMinutes;
}

/** Two resolved ISO times in order: as text when both have the common 24-character shape. */
export function later(a: string, b: string): boolean {
  return a.length === 24 && b.length === 24 ? a > b : Date.parse(a) > Date.parse(b);
}

export function finalizeEvent(
  pending: PendingEvent,
  context: TimeContext,
  resolver?: TimeResolver,
): EvidenceEvent {
  const { ts, tsSource } = resolver
    ? resolver.resolve(pending.time, pending.origin)
    : resolveTime(pending.time, pending.origin, context);
  const event: EvidenceEvent = {
    file: pending.file,
    line: pending.line,
    ts,
    tsSource,
    kind: pending.kind,
    subject: pending.subject,
    source: pending.source,
    severity: pending.severity,
    message: pending.message,
  };
  if (pending.attrs && Object.keys(pending.attrs).length > 0) event.attrs = pending.attrs;
  return event;
}

/**
 * What JSON.stringify escapes in a string besides quotes: backslash, control characters, surrogates
 * (lone ones; paired ones are matched too, and left to JSON.stringify).
 */
const ESCAPED_BESIDES_QUOTES = /[\\\u0000-\u001f\ud800-\udfff]/;

/**
 * `JSON.stringify(text)`: a string without anything to escape is only quoted, and one whose only
 * escapes are quotes has them escaped by `replaceAll`. JSON.stringify's set-up per call cost as much
 * as the whole of a short subject or source (three calls an event), and on the quotes of klog's
 * structured lines and apiserver traces it took twice replaceAll's time (2.1 / 1.1 µs a trace line).
 */
export function jsonString(text: string): string {
  if (ESCAPED_BESIDES_QUOTES.test(text)) return JSON.stringify(text);
  return text.includes('"') ? `"${text.replaceAll('"', '\\"')}"` : `"${text}"`;
}

/**
 * `jsonString` of the last subject and source written: both repeat from event to event (a log's
 * lease, its format), and comparing a short string is cheaper than scanning it for escapes.
 */
const lastJson = { subject: '', subjectJson: '""', source: '', sourceJson: '""' };

/**
 * What `JSON.stringify(finalizeEvent(pending, …))` writes after `{"file":…,"line":N`, without
 * building the event object: the worker threads finish an event per line this way. Keys in
 * finalizeEvent's order; the time, its source, the kind and the severity are written unquoted-safe
 * (ISO digits and fixed names), the strings through `jsonString`, attrs through JSON.stringify.
 */
export function eventJsonTail(pending: PendingEvent, resolved: ResolvedTime): string {
  const ts = resolved.ts === null ? 'null' : `"${resolved.ts}"`;
  return `,"ts":${ts}${eventJsonFields(pending, resolved.tsSource)}${jsonString(pending.message)}${eventJsonAttrs(pending)}}`;
}

/** What an event's JSON holds besides its file, line, time and message. */
export type EventJsonFields = Pick<PendingEvent, 'kind' | 'subject' | 'source' | 'severity' | 'attrs'>;

/** The event's JSON from its time's source to the key of its message: `,"tsSource":…,"message":`. */
export function eventJsonFields(pending: EventJsonFields, tsSource: ResolvedTime['tsSource']): string {
  let subject = 'null';
  if (pending.subject !== null) {
    if (pending.subject !== lastJson.subject) {
      lastJson.subject = pending.subject;
      lastJson.subjectJson = jsonString(pending.subject);
    }
    subject = lastJson.subjectJson;
  }
  if (pending.source !== lastJson.source) {
    lastJson.source = pending.source;
    lastJson.sourceJson = jsonString(pending.source);
  }
  return `,"tsSource":"${tsSource}","kind":"${pending.kind}","subject":${subject},"source":${lastJson.sourceJson},"severity":"${pending.severity}","message":`;
}

/** The event's attrs as JSON after its message (`,"attrs":{…}`), or nothing when it has none. */
export function eventJsonAttrs(pending: EventJsonFields): string {
  return pending.attrs && Object.keys(pending.attrs).length > 0
    ? `,"attrs":${JSON.stringify(pending.attrs)}`
    : '';
}
