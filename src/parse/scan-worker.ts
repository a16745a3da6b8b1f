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
import { TimeResolver, type PendingEvent } from './event.js';
import { logCount, logScan, repeatedPending, type RepeatedEvent } from './log-scan.js';
import { NdjsonWriter } from './ndjson.js';
import type { RangeResult, RangeTask } from './parallel-scan.js';
import { isoFromEpochMs, type PartialTime } from './time.js';

const CHUNK = 1 << 20;
const buffer = Buffer.allocUnsafe(CHUNK);

/** The worker's finished NDJSON, its chunks handed to the main thread with each run's result. */
const ndjson = new NdjsonWriter({ transfer: true });

function scanRange(task: RangeTask): RangeResult {
  const counts: Partial<Record<EventKind, number>> = {};
  const events: (PendingEvent | Uint8Array)[] = [];
  let latestMs = Number.NaN;
  const finish = task.finish;
  const linesBefore = task.linesBefore ?? 0;
  const resolver = finish ? new TimeResolver(finish.context) : null;
  const anchorKnown = finish?.context.year !== undefined || finish?.context.anchorMs !== undefined;
  const kinds = finish?.kinds ? new Set(finish.kinds) : null;
  /** An event's instant (NaN: none) when its time has a year and is the latest so far. */
  const track = (time: PartialTime | null, instantMs: number) => {
    if (time?.year !== undefined && !Number.isNaN(instantMs) && !(instantMs <= latestMs))
      latestMs = instantMs;
  };
  /** An event of this time is finished here unless its year waits for the collection anchor. */
  const finishedHere = (time: PartialTime | null) => anchorKnown || time === null || time.year !== undefined;
  const take = (pending: PendingEvent) => {
    if (!finish || !resolver || !finishedHere(pending.time)) {
      events.push(...ndjson.take(), pending);
      return;
    }
    // Finished here, as the main thread would, numbered from the lines the main thread counted before the run.
    const resolved = resolver.resolve(pending.time, pending.origin);
    track(pending.time, resolver.lastMs);
    if (kinds && !kinds.has(pending.kind)) return;
    ndjson.event(finish.name, pending.line + linesBefore, pending, resolved);
  };
  const repeated = (hit: RepeatedEvent, text: string, line: number, bytes: Uint8Array, start: number) => {
    if (!finish || !resolver || !finishedHere(hit.time)) {
      take(repeatedPending(hit, task.file, text, line));
      return;
    }
    const resolved = resolver.place(hit.time, hit.origin);
    track(hit.time, resolver.lastMs);
    if (kinds && !kinds.has(hit.answer.kind)) return;
    ndjson.repeated(finish.name, line + linesBefore, hit, bytes, start, resolved, resolver);
  };
  const scan =
    task.mode === 'count'
      ? logCount(task.type, task.limits, (kind) => {
          counts[kind] = (counts[kind] ?? 0) + 1;
        })
      : logScan(task.file, task.type, task.limits, take, {
          messages: task.messages ?? true,
          onRepeat: repeated,
        });
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
  // The ISO text of a resolved time is isoFromEpochMs of its instant.
  const latest = Number.isNaN(latestMs) ? null : isoFromEpochMs(latestMs);
  const input = task.bytes?.buffer as ArrayBuffer | undefined;
  return { index: task.index, counts, events, linesBefore: task.linesBefore, latest, summary, input };
}

parentPort?.on('message', (task: RangeTask) => {
  if (task.spare) ndjson.give(task.spare);
  try {
    const result = scanRange(task);
    const memory = ndjson.release();
    parentPort?.postMessage(result, result.input ? [...memory, result.input] : memory);
  } catch (error) {
    ndjson.release();
    parentPort?.postMessage({ index: task.index, error: (error as Error).message });
  }
});
