/**
 * A worker thread of the parallel log scan (src/parse/parallel-scan.ts): reads one run of whole lines
 * of a log file (read-only, by byte range; or the run's bytes themselves, for a streamed member) and
 * classifies it. Line numbers of pending events count from the run's first line (the main thread
 * adds the lines of the runs before it); finished NDJSON lines carry the file's own numbers
 * (`linesBefore`, counted by the main thread when it cut the run).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { EventKind } from '../types/index.js';
import type { Repeat } from './classify/index.js';
import { TimeResolver, type PendingEvent } from './event.js';
import { logCount, logScan } from './log-scan.js';
import { NdjsonWriter } from './ndjson.js';
import type { RangeResult, RangeTask } from './parallel-scan.js';

const CHUNK = 1 << 20;
const buffer = Buffer.allocUnsafe(CHUNK);

/** The worker's finished NDJSON, its chunks handed to the main thread with each run's result. */
const ndjson = new NdjsonWriter({ transfer: true });

function scanRange(task: RangeTask): RangeResult {
  const counts: Partial<Record<EventKind, number>> = {};
  const events: (PendingEvent | Uint8Array)[] = [];
  let latest: string | null = null;
  let latestMs = Number.NaN;
  const finish = task.finish;
  const linesBefore = task.linesBefore ?? 0;
  const resolver = finish ? new TimeResolver(finish.context) : null;
  const anchorKnown = finish?.context.year !== undefined || finish?.context.anchorMs !== undefined;
  const kinds = finish?.kinds ? new Set(finish.kinds) : null;
  const take = (pending: PendingEvent, repeated: Repeat | null) => {
    if (!finish || !resolver || !(anchorKnown || pending.time === null || pending.time.year !== undefined)) {
      events.push(...ndjson.take(), pending);
      return;
    }
    // Finished here, as the main thread would, numbered from the lines the main thread counted before the run.
    const resolved = resolver.resolve(pending.time, pending.origin);
    // As `later(resolved.ts, latest)`, by the instants (ISO text in order is time in order).
    if (
      pending.time?.year !== undefined &&
      resolved.ts !== null &&
      (latest === null || resolver.lastMs > latestMs)
    ) {
      latest = resolved.ts;
      latestMs = resolver.lastMs;
    }
    if (kinds && !kinds.has(pending.kind)) return;
    ndjson.event(finish.name, pending.line + linesBefore, pending, resolved, repeated);
  };
  const scan =
    task.mode === 'count'
      ? logCount(task.type, task.limits, (kind) => {
          counts[kind] = (counts[kind] ?? 0) + 1;
        })
      : logScan(task.file, task.type, task.limits, take, { messages: task.messages ?? true });
  if (task.bytes) scan.push(Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength));
  else {
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
  }
  const summary = scan.end();
  events.push(...ndjson.take());
  return { index: task.index, counts, events, linesBefore: task.linesBefore, latest, summary };
}

parentPort?.on('message', (task: RangeTask) => {
  try {
    const result = scanRange(task);
    parentPort?.postMessage(result, ndjson.release());
  } catch (error) {
    ndjson.release();
    parentPort?.postMessage({ index: task.index, error: (error as Error).message });
  }
});
