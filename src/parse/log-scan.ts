/**
 * The needle scan and classification of log lines, apart from the document parsers: the scan
 * workers import only this (the document readers and their dependencies were most of a worker's
 * start-up).
 */
import type { EventKind } from '../types/index.js';
import { DEFAULT_LIMIT_VALUES, raiseWith } from '../limits.js';
import {
  classifyAfresh,
  classifyLogLine,
  EVENT_NEEDLE_MASKS,
  EVENT_NEEDLE_SET,
  EVENT_NEEDLES,
  logLineKind,
  ownEvent,
  recallEvent,
  recallLineKind,
  type Classified,
  type RecalledClock,
  type Repeat,
} from './classify/index.js';
import { eventMessage, repeatedMessage, type PendingEvent } from './event.js';
import { NeedleScanner, NeedleSet, type ScanCallbacks } from './scan.js';
import type { FileType } from './sniff.js';
import type { LineReading } from './logs/index.js';

export interface ParseLimits {
  /** Longest log line read; longer ones are skipped and reported. */
  maxLineBytes: number;
  /** Largest document (JSON/YAML dump, listing, CSV) read whole. */
  maxDocumentBytes: number;
}

export const DEFAULT_LIMITS: ParseLimits = {
  maxLineBytes: DEFAULT_LIMIT_VALUES.maxLineBytes,
  maxDocumentBytes: DEFAULT_LIMIT_VALUES.maxDocumentBytes,
};

/**
 * The event of a log line, when it is one. `mask`: its needle mask in `needles`, when the scanner
 * has it; `message: false` leaves the message out.
 */
export function eventFromLine(
  text: string,
  file: string,
  line: number,
  defaultSubject: string | null = null,
  options: { mask?: number; needles?: NeedleSet; message?: boolean } = {},
): PendingEvent | null {
  const { classified } = classifyLogLine(text, options.mask, options.needles);
  if (!classified) return null;
  const message =
    options.message === false
      ? ''
      : ((classified.repeat && repeatedMessage(text, classified.repeat)) ?? eventMessage(text));
  const { reading, event } = classified;
  return pendingEvent(reading, event, file, line, defaultSubject, message);
}

/** What an event takes from its line's reading: its time, where the time came from, its source. */
type EventReading = Pick<LineReading, 'time' | 'origin' | 'source'>;

function pendingEvent(
  reading: EventReading,
  event: Classified,
  file: string,
  line: number,
  defaultSubject: string | null,
  message: string,
): PendingEvent {
  const pending: PendingEvent = {
    file,
    line,
    time: reading.time,
    origin: reading.origin,
    kind: event.kind,
    subject: event.subject ?? defaultSubject,
    source: reading.source,
    severity: event.severity,
    message,
  };
  if (event.attrs) pending.attrs = event.attrs;
  return pending;
}

/** What a log scan found besides events: lines read, the first over-long line, cut-off JSON lines. */
export interface LogScanSummary {
  lines: number;
  overlong: { line: number; bytes: number } | null;
  notJson: number;
  firstNotJson: number;
}

let journaldJsonSet: NeedleSet | null = null;

/** journald keeps a message with control bytes as an array of numbers: such a line is a candidate too. */
function journaldJsonNeedles(): NeedleSet {
  journaldJsonSet ??= new NeedleSet([...EVENT_NEEDLES, '"MESSAGE":['], [...EVENT_NEEDLE_MASKS, 0]);
  return journaldJsonSet;
}

/** A log scan: its lines pushed in chunks, in order; `end` when there are no more. */
export interface LogScan {
  push(chunk: Buffer): void;
  end(): LogScanSummary;
}

/**
 * A line answered from a kept one whose message is the line itself (`repeatedMessage`), handed on
 * as it was recalled: its event is `hit.answer`, its time `hit.time`, its source `hit.kept.source`,
 * its clocks where `hit.repeat` says. Only ASCII lines are kept: its bytes, from `bytes[start]`, are
 * its text's characters.
 */
export type RepeatedEvent = RecalledClock<Classified>;

/**
 * The needle scan and classification of one log file (or of a run of its whole lines, for a worker:
 * line numbers then count from the run's first line). Events go to `onEvent` as they are found; with
 * `onRepeat`, the events of lines answered from a kept one whose message is the line itself
 * (`repeatedMessage`) go there instead, as they were recalled, without a PendingEvent
 * (`repeatedPending` makes one): a scan worker writes their JSON from the kept line's
 * (`repeatedMessageJson`) and their clocks.
 */
export function logScan(
  file: string,
  type: FileType,
  limits: ParseLimits,
  onEvent: (event: PendingEvent) => void,
  options: {
    messages?: boolean;
    onRepeat?: (hit: RepeatedEvent, text: string, line: number, bytes: Uint8Array, start: number) => void;
  } = {},
): LogScan {
  // A count needs no message; redacting one costs as much as classifying.
  const messages = options.messages !== false;
  const onRepeat = options.onRepeat;
  const emit = (
    reading: EventReading,
    event: Classified,
    text: string,
    line: number,
    repeat: Repeat | null,
  ) => {
    const message = !messages ? '' : ((repeat && repeatedMessage(text, repeat)) ?? eventMessage(text));
    onEvent(pendingEvent(reading, event, file, line, null, message));
  };
  const recalled = (
    hit: RecalledClock<Classified | null>,
    text: string,
    line: number,
    bytes: Uint8Array,
    start: number,
  ) => {
    const event = hit.answer;
    if (!event) return;
    if (onRepeat && messages && repeatedMessage(text, hit.repeat) !== null) {
      onRepeat(hit as RepeatedEvent, text, line, bytes, start);
      return;
    }
    emit(hitReading(hit), ownEvent(event), text, line, hit.repeat);
  };
  return scanLines(type, limits, (needles) => ({
    candidate(text, line, mask, bytes, start) {
      const hit = recallEvent(text, mask, needles, bytes, start);
      if (hit && 'answer' in hit) {
        recalled(hit, text, line, bytes, start);
        return true;
      }
      const classified = classifyAfresh(text, mask, needles, hit);
      if (classified) emit(classified.reading, classified.event, text, line, null);
      return false;
    },
    known(text, start, end, line, bytes) {
      // A line asked by its latin1 view: only ASCII lines are kept, so a known one is its text.
      const lineText = text.slice(start, end);
      const hit = recallEvent(lineText, undefined, needles, bytes, start);
      if (!hit || !('answer' in hit)) return false;
      recalled(hit, lineText, line, bytes, start);
      return true;
    },
  }));
}

/** The PendingEvent of a repeat `logScan` handed to `onRepeat`: its message is its line. */
export function repeatedPending(hit: RepeatedEvent, file: string, text: string, line: number): PendingEvent {
  return pendingEvent(hitReading(hit), hit.answer, file, line, null, text);
}

/** What an event takes from a recalled line's reading. */
function hitReading(hit: RecalledClock<unknown>): EventReading {
  return { time: hit.time, origin: hit.origin, source: hit.kept.source };
}

/**
 * `logScan` for a count: the kind of each event to `onKind`, in order. The same lines are events of
 * the same kinds (`test/parse/log-scan.test.ts`), but a repeated line's reading is not built.
 */
export function logCount(type: FileType, limits: ParseLimits, onKind: (kind: EventKind) => void): LogScan {
  return scanLines(type, limits, (needles) => ({
    candidate(text, _line, mask) {
      const { kind, known } = logLineKind(text, mask, needles);
      if (kind) onKind(kind);
      return known;
    },
    known(text, start, end, _line, bytes) {
      const kind = recallLineKind(text.slice(start, end), needles, bytes, start);
      if (kind === undefined) return false;
      if (kind) onKind(kind);
      return true;
    },
  }));
}

/** The needle scan of a log's lines, its candidates and known lines classified by `classify`'s. */
function scanLines(
  type: FileType,
  limits: ParseLimits,
  classify: (needles: NeedleSet) => Pick<ScanCallbacks, 'candidate' | 'known'>,
): LogScan {
  const summary: LogScanSummary = { lines: 0, overlong: null, notJson: 0, firstNotJson: 0 };
  const needles = type.id === 'journald-json' ? journaldJsonNeedles() : EVENT_NEEDLE_SET;
  const scanner = new NeedleScanner(
    needles,
    {
      ...classify(needles),
      overlong(line, bytes) {
        summary.overlong = { line, bytes };
      },
      // A file of JSON lines may carry other formats too (klog from client-go beside zap, a Go panic):
      // every line goes through the format sniffers anyway. Only a JSON object cut short is a problem.
      notJson(line, text) {
        if (!text.startsWith('{')) return;
        if (summary.notJson === 0) summary.firstNotJson = line;
        summary.notJson++;
      },
    },
    { maxLineBytes: limits.maxLineBytes, jsonLines: type.id === 'json-log' || type.id === 'journald-json' },
  );
  return {
    push: (chunk) => scanner.push(chunk),
    end() {
      scanner.end();
      summary.lines = scanner.lines;
      return summary;
    },
  };
}

/** The problems a log scan's summary names, in the words ingest records. */
export function logProblems(summary: LogScanSummary, limits: ParseLimits): string[] {
  const problems: string[] = [];
  if (summary.overlong) {
    const { line, bytes } = summary.overlong;
    problems.push(
      `line ${line} is longer than ${limits.maxLineBytes} bytes (${bytes}+); skipped (${raiseWith('maxLineBytes')})`,
    );
  }
  if (summary.notJson > 0) {
    problems.push(
      `${summary.notJson} of ${summary.lines} lines are cut-off JSON objects (first: line ${summary.firstNotJson}); read as text`,
    );
  }
  return problems;
}
