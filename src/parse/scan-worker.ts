/**
 * A worker thread of the parallel log scan (src/parse/parallel-scan.ts): reads one run of whole lines
 * of a log file (read-only, by byte range) and classifies it. Line numbers count from the run's first
 * line; the main thread adds the lines of the runs before it.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { EventKind } from '../types/index.js';
import { eventJsonTail, later, TimeResolver, type PendingEvent } from './event.js';
import { logScan } from './file.js';
import type { RangeResult, RangeTask } from './parallel-scan.js';

const CHUNK = 1 << 20;
const buffer = Buffer.allocUnsafe(CHUNK);

function scanRange(task: RangeTask): RangeResult {
  const counts: Partial<Record<EventKind, number>> = {};
  const events: (PendingEvent | string)[] = [];
  const lines: number[] = [];
  let latest: string | null = null;
  const finish = task.finish;
  const resolver = finish ? new TimeResolver(finish.context) : null;
  const anchorKnown = finish?.context.year !== undefined || finish?.context.anchorMs !== undefined;
  const kinds = finish?.kinds ? new Set(finish.kinds) : null;
  const take = (pending: PendingEvent) => {
    if (task.mode === 'count') {
      counts[pending.kind] = (counts[pending.kind] ?? 0) + 1;
      return;
    }
    if (!resolver || !(anchorKnown || pending.time === null || pending.time.year !== undefined)) {
      events.push(pending);
      return;
    }
    // Finished here, as the main thread would: only the line number waits for the runs before.
    const resolved = resolver.resolve(pending.time, pending.origin);
    const ts = resolved.ts;
    if (pending.time?.year !== undefined && ts !== null && (latest === null || later(ts, latest)))
      latest = ts;
    if (kinds && !kinds.has(pending.kind)) return;
    events.push(eventJsonTail(pending, resolved));
    lines.push(pending.line);
  };
  const scan = logScan(task.file, task.type, task.limits, take, { messages: task.mode !== 'count' });
  const fd = openSync(task.path, 'r');
  try {
    for (let at = task.start; at < task.end;) {
      const read = readSync(fd, buffer, 0, Math.min(CHUNK, task.end - at), at);
      if (read === 0) break;
      scan.push(buffer.subarray(0, read));
      at += read;
    }
  } finally {
    closeSync(fd);
  }
  return { index: task.index, counts, events, lines, latest, summary: scan.end() };
}

parentPort?.on('message', (task: RangeTask) => {
  try {
    parentPort?.postMessage(scanRange(task));
  } catch (error) {
    parentPort?.postMessage({ index: task.index, error: (error as Error).message });
  }
});
