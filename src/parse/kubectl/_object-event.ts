import { classifyMessage } from '../classify/index.js';
import { eventMessage, type PendingEvent } from '../event.js';
import type { PartialTime } from '../time.js';

/**
 * A Kubernetes Event, however it was dumped (object, `get events` row, `describe` Events row),
 * classified on its message with the object it is about as the default subject.
 */
export function objectEvent(options: {
  file: string;
  line: number;
  /** The Event's message (`note` in events.k8s.io/v1). */
  text: string;
  reason: string;
  /** `namespace/name` (or `name`) of the involved object, when known. */
  subject: string | null;
  /** The involved object's kind, lower or upper case (`Pod`, `pod`, `Lease`). */
  objectKind: string | null;
  time: PartialTime | null;
  source: string;
  /** What `message` shows: the original row, or `reason: message` for objects. */
  shown: string;
  attrs?: Record<string, string | number | boolean | null>;
}): PendingEvent | null {
  const fields: Record<string, string> = { reason: options.reason };
  if (options.subject) {
    fields.object = options.subject;
    const kind = options.objectKind?.toLowerCase();
    if (kind === 'pod') fields.pod = options.subject;
    if (kind === 'lease') fields.lock = options.subject;
  }
  const classified = classifyMessage({ text: options.text, fields });
  if (!classified) return null;
  return {
    file: options.file,
    line: options.line,
    time: options.time,
    origin: 'kubectl',
    kind: classified.kind,
    subject: classified.subject ?? options.subject,
    source: options.source,
    severity: classified.severity,
    message: eventMessage(options.shown),
    attrs: { reason: options.reason, ...options.attrs, ...classified.attrs },
  };
}
