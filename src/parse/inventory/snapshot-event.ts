import { parseSnapshotName } from '../dqlite/name.js';
import { KIND_SEVERITY } from '../classify/index.js';
import { eventMessage, type PendingEvent } from '../event.js';
import type { PartialTime, TimeOrigin } from '../time.js';

/**
 * A `snapshot` event for a dqlite snapshot file seen in a listing or an inventory: the listing's
 * wall-clock time (file names carry only a monotonic clock) and its size.
 */
export function snapshotEvent(options: {
  file: string;
  line: number;
  path: string;
  bytes: number | null;
  time: PartialTime | null;
  origin: TimeOrigin;
  source: string;
  text: string;
  subject?: string | null;
  approximateSize?: boolean;
}): PendingEvent | null {
  const name = options.path.slice(options.path.lastIndexOf('/') + 1);
  const parsed = parseSnapshotName(name);
  if (!parsed) return null;
  const attrs: Record<string, string | number | boolean | null> = {
    bytes: options.bytes,
    name,
    term: parsed.term,
    index: parsed.index,
  };
  if (options.approximateSize) attrs.approximateSize = true;
  return {
    file: options.file,
    line: options.line,
    time: options.time,
    origin: options.origin,
    kind: 'snapshot',
    subject: options.subject ?? null,
    source: options.source,
    severity: KIND_SEVERITY.snapshot,
    message: eventMessage(options.text),
    attrs,
  };
}
