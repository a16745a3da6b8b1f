/**
 * A worker thread of the parallel log scan (src/parse/parallel-scan.ts): reads one run of whole lines
 * of a log file (read-only, by byte range) and classifies it. Line numbers count from the run's first
 * line; the main thread adds the lines of the runs before it.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { EventKind } from '../types/index.js';
import type { PendingEvent } from './event.js';
import { logScan } from './file.js';
import type { RangeResult, RangeTask } from './parallel-scan.js';

const CHUNK = 1 << 20;
const buffer = Buffer.allocUnsafe(CHUNK);

function scanRange(task: RangeTask): RangeResult {
  const counts: Partial<Record<EventKind, number>> = {};
  const events: PendingEvent[] = [];
  const scan = logScan(task.file, task.type, task.limits, (event) => {
    if (task.mode === 'count') counts[event.kind] = (counts[event.kind] ?? 0) + 1;
    else events.push(event);
  });
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
  return { index: task.index, counts, events, summary: scan.end() };
}

parentPort?.on('message', (task: RangeTask) => {
  try {
    parentPort?.postMessage(scanRange(task));
  } catch (error) {
    parentPort?.postMessage({ index: task.index, error: (error as Error).message });
  }
});
