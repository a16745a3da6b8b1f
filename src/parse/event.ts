import type { EvidenceEvent } from '../types/index.js';
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

/**
 * `resolveTime` for a stream of events, remembering the last second resolved: events of one second
 * differ only in their milliseconds, and `resolveTime` builds a Date and an ISO string per call.
 * The epoch of a time is whole seconds (date, clock and offset are integers) plus its `ms`, so the
 * cached second plus `Math.floor(ms)` is exactly what `resolveTime` gives. A year-less time placed
 * by the anchor is not cached: the year depends on where the time falls against the anchor.
 */
export class TimeResolver {
  private last: PartialTime | null = null;
  private lastOrigin: TimeOrigin | null = null;
  private secondPrefix = '';
  private lastSource: ResolvedTime['tsSource'] = 'none';

  constructor(readonly context: TimeContext) {}

  resolve(time: PartialTime | null, origin: TimeOrigin): ResolvedTime {
    if (!time || (time.year === undefined && this.context.year === undefined))
      return resolveTime(time, origin, this.context);
    const last = this.last;
    if (
      last !== null &&
      origin === this.lastOrigin &&
      time.second === last.second &&
      time.minute === last.minute &&
      time.hour === last.hour &&
      time.day === last.day &&
      time.month === last.month &&
      time.year === last.year &&
      time.offsetMinutes === last.offsetMinutes
    ) {
      const ms = Math.floor(time.ms);
      if (ms >= 0 && ms < 1000)
        return { ts: `${this.secondPrefix}${String(ms).padStart(3, '0')}Z`, tsSource: this.lastSource };
    }
    const resolved = resolveTime(time, origin, this.context);
    this.last = null;
    // `YYYY-MM-DDTHH:MM:SS.mmmZ` only; other years have another ISO shape and are not cached.
    const ms = Math.floor(time.ms);
    if (resolved.ts !== null && resolved.ts.length === 24 && ms >= 0 && ms < 1000) {
      this.last = time;
      this.lastOrigin = origin;
      this.secondPrefix = resolved.ts.slice(0, 20);
      this.lastSource = resolved.tsSource;
    }
    return resolved;
  }
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
 * What `JSON.stringify(finalizeEvent(pending, …))` writes after `{"file":…,"line":N`, without
 * building the event object: the worker threads finish an event per line this way. Keys in
 * finalizeEvent's order; the time, its source, the kind and the severity are written unquoted-safe
 * (ISO digits and fixed names), the rest through JSON.stringify.
 */
export function eventJsonTail(pending: PendingEvent, resolved: ResolvedTime): string {
  const ts = resolved.ts === null ? 'null' : `"${resolved.ts}"`;
  const attrs =
    pending.attrs && Object.keys(pending.attrs).length > 0 ? `,"attrs":${JSON.stringify(pending.attrs)}` : '';
  return `,"ts":${ts},"tsSource":"${resolved.tsSource}","kind":"${pending.kind}","subject":${JSON.stringify(pending.subject)},"source":${JSON.stringify(pending.source)},"severity":"${pending.severity}","message":${JSON.stringify(pending.message)}${attrs}}`;
}
