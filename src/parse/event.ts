import type { EvidenceEvent } from '../types/index.js';
import { redact } from './redact.js';
import { resolveTime, type PartialTime, type TimeContext, type TimeOrigin } from './time.js';

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

export function finalizeEvent(pending: PendingEvent, context: TimeContext): EvidenceEvent {
  const { ts, tsSource } = resolveTime(pending.time, pending.origin, context);
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

/** Time order, then file and line, so output is stable across runs. Events without time go last. */
export function compareEvents(a: EvidenceEvent, b: EvidenceEvent): number {
  if (a.ts !== b.ts) {
    if (a.ts === null) return 1;
    if (b.ts === null) return -1;
    return a.ts < b.ts ? -1 : 1;
  }
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line;
}
