/**
 * Scans one large log file on disk with every core: the file is cut at line ends into runs of about
 * 1 MiB, the pool's worker threads (one per core, kept for the process) classify runs as they free
 * up (each reads its own byte range, read-only), and the results are handed on strictly in file
 * order — each run's line numbers shifted by the lines of the runs before it — so the events, their
 * order and the problems are those of the one-thread scan (test/parse/parallel-scan.test.ts). At
 * most two runs per worker are in flight, so memory does not grow with the file.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { EventKind } from '../types/index.js';
import { later, type PendingEvent } from './event.js';
import type { TimeContext } from './time.js';
import type { LogScanSummary, ParseLimits } from './log-scan.js';
import { detectFileType, SNIFF_BYTES, type FileType } from './sniff.js';

export interface RangeTask {
  index: number;
  path: string;
  start: number;
  end: number;
  file: string;
  type: FileType;
  limits: ParseLimits;
  /** 'count' returns counts per kind only; 'events' returns the pending events. */
  mode: 'count' | 'events';
  /**
   * Finish events in the worker as NDJSON (time resolved in `context`, file named `name`, only
   * `kinds`), when their time does not wait for the collection anchor; the others stay pending.
   */
  finish?: { context: TimeContext; name: string; kinds: EventKind[] | null };
  /** With `finish`: the lines of the file before the run (counted by the main thread). */
  linesBefore?: number;
}

export interface RangeResult {
  index: number;
  counts: Partial<Record<EventKind, number>>;
  /**
   * Pending events, and between them the finished NDJSON lines as whole text (line numbers of the
   * file, newline-terminated), one string per stretch of finished lines.
   */
  events: (PendingEvent | string)[];
  /** The task's `linesBefore`, which the finished lines' numbers count from. */
  linesBefore?: number;
  /** The latest year-bearing time among the run's finished events (for the anchor). */
  latest: string | null;
  summary: LogScanSummary;
}

/** Files smaller than this are scanned on the main thread: starting workers costs more. */
export const PARALLEL_MIN_BYTES = 32 << 20;
const RUN_BYTES = 1 << 20;

/**
 * The type of the file at `path` (named `name` in its bundle) when it is a plain log the workers can
 * cut at line ends, else null: archives and compressed files go through the bundle reader, which
 * unpacks them as it streams.
 */
export function plainLogType(path: string, name: string): FileType | null {
  const head = Buffer.alloc(SNIFF_BYTES);
  const fd = openSync(path, 'r');
  let read: number;
  try {
    read = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  const sniffed = head.subarray(0, read);
  if ((sniffed[0] === 0x1f && sniffed[1] === 0x8b) || sniffed.toString('latin1', 257, 262) === 'ustar')
    return null;
  const type = detectFileType(basename(name), sniffed);
  return type.handling === 'log' ? type : null;
}

/** Where the line that contains byte `at` ends (the offset after its newline), or `size`. */
function lineEndAfter(fd: number, at: number, size: number): number {
  const window = Buffer.allocUnsafe(64 * 1024);
  for (let from = at; from < size; from += window.length) {
    const read = readSync(fd, window, 0, window.length, from);
    if (read === 0) break;
    const newline = window.subarray(0, read).indexOf(10);
    if (newline >= 0) return from + newline + 1;
  }
  return size;
}

/**
 * The newlines in `[start, end)` of the file. Counting them ahead lets a worker write the file's
 * own line numbers into finished NDJSON, so the main thread only passes text on: on a dense log,
 * touching each event on the main thread cost about as much as a third worker would.
 */
function newlinesIn(fd: number, start: number, end: number, scratch: Buffer): number {
  let count = 0;
  for (let from = start; from < end;) {
    const read = readSync(fd, scratch, 0, Math.min(scratch.length, end - from), from);
    if (read === 0) break;
    for (let at = scratch.indexOf(10, 0); at >= 0 && at < read; at = scratch.indexOf(10, at + 1)) count++;
    from += read;
  }
  return count;
}

/**
 * A worker running scan-worker: the compiled JavaScript, or — run from source (tests) — the
 * TypeScript file through tsx, registered inside the worker (a worker does not inherit loaders).
 */
function startWorker(): Worker {
  // A run's finished NDJSON (about 2 MB) stays live until the run ends, and every scavenge copies it:
  // at 8 MB a quarter of a worker's time was GC on `--json`; at 32 MB about a tenth, with peak RSS
  // on 512 MB of the bench's bundle log 249 MB instead of 235 MB (64 MB reached 294 MB).
  const resourceLimits = { maxYoungGenerationSizeMb: 32 };
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./scan-worker.js', import.meta.url), { resourceLimits });
  const source = new URL('./scan-worker.ts', import.meta.url).href;
  return new Worker(
    `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); });`,
    { eval: true, resourceLimits },
  );
}

/**
 * The scan workers, one per core, started on first use and kept for every later file of the process
 * (starting one is 65–140 ms of module loading, paid once instead of per file). A worker is unref'd
 * while idle, so the pool never keeps the process alive; a worker that fails is dropped and a new one
 * started for the next run.
 */
class ScanPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Job>();
  private readonly queue: Job[] = [];

  constructor(readonly size: number) {}

  /** Runs one task on the next free worker. */
  run(task: RangeTask): Promise<RangeResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let worker = this.idle.pop();
      if (!worker) {
        if (this.busy.size >= this.size) return;
        worker = this.start();
      }
      const job = this.queue.shift() as Job;
      this.busy.set(worker, job);
      worker.ref();
      worker.postMessage(job.task);
    }
  }

  private start(): Worker {
    const worker = startWorker();
    worker.on('message', (message: RangeResult | { index: number; error: string }) => {
      const job = this.busy.get(worker);
      this.busy.delete(worker);
      worker.unref();
      this.idle.push(worker);
      if ('error' in message) job?.reject(new Error(message.error));
      else job?.resolve(message);
      this.dispatch();
    });
    worker.on('error', (error) => {
      const job = this.busy.get(worker);
      this.busy.delete(worker);
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
      void worker.terminate();
      job?.reject(error);
      this.dispatch();
    });
    return worker;
  }
}

interface Job {
  task: RangeTask;
  resolve: (result: RangeResult) => void;
  reject: (error: Error) => void;
}

let pool: ScanPool | null = null;

/** The process's scan workers (see ScanPool). */
function scanPool(): ScanPool {
  pool ??= new ScanPool(Math.max(1, availableParallelism()));
  return pool;
}

export interface ParallelScanResult {
  counts: Partial<Record<EventKind, number>>;
  summary: LogScanSummary;
  /** The latest year-bearing time among events finished in the workers. */
  latest: string | null;
}

/**
 * Classifies the log file at `path` (of `size` bytes, read as `type`, events named `file`) in the
 * scan workers. `onEvents` receives each run's events, in file order, with file line numbers.
 */
export async function scanFileInParallel(options: {
  path: string;
  size: number;
  file: string;
  type: FileType;
  limits: ParseLimits;
  mode: 'count' | 'events';
  onEvents?: (events: PendingEvent[]) => void;
  /** With `finish`: finished NDJSON lines, each in its place among `onEvents`' events. */
  finish?: RangeTask['finish'];
  onText?: (line: string) => void;
  onProgress?: (bytes: number) => void;
  /** Bytes per run (tests use small runs to cut a small file many times). */
  runBytes?: number;
}): Promise<ParallelScanResult> {
  const { path, size } = options;
  const workers = scanPool();
  const runBytes = options.runBytes ?? RUN_BYTES;
  const fd = openSync(path, 'r');
  const counts: Partial<Record<EventKind, number>> = {};
  const summary: LogScanSummary = { lines: 0, overlong: null, notJson: 0, firstNotJson: 0 };
  let latest: string | null = null;
  const scratch = options.finish ? Buffer.allocUnsafe(runBytes + (64 << 10)) : null;
  let linesAssigned = 0;
  const deliver = (result: RangeResult) => {
    const base = summary.lines;
    for (const [kind, count] of Object.entries(result.counts) as [EventKind, number][])
      counts[kind] = (counts[kind] ?? 0) + count;
    if (result.latest !== null && (latest === null || later(result.latest, latest))) latest = result.latest;
    if (result.linesBefore !== undefined && result.linesBefore !== base)
      throw new Error(
        `run ${result.index} was numbered from line ${result.linesBefore + 1}, not ${base + 1}`,
      );
    let pending: PendingEvent[] = [];
    for (const item of result.events) {
      if (typeof item !== 'string') {
        item.line += base;
        pending.push(item);
        continue;
      }
      if (pending.length > 0) options.onEvents?.(pending);
      pending = [];
      options.onText?.(item);
    }
    if (pending.length > 0) options.onEvents?.(pending);
    const part = result.summary;
    if (part.overlong && !summary.overlong)
      summary.overlong = { line: part.overlong.line + base, bytes: part.overlong.bytes };
    if (part.notJson > 0 && summary.notJson === 0) summary.firstNotJson = part.firstNotJson + base;
    summary.notJson += part.notJson;
    summary.lines += part.lines;
  };
  try {
    // Runs are handed out ahead and delivered strictly in file order; two per worker bound the
    // results that wait for the ones before them.
    const inFlight: Promise<RangeResult>[] = [];
    let next = 0;
    let index = 0;
    while (next < size || inFlight.length > 0) {
      while (next < size && inFlight.length < 2 * workers.size) {
        const start = next;
        next = Math.min(size, lineEndAfter(fd, Math.min(size, start + runBytes) - 1, size));
        const linesBefore = linesAssigned;
        if (scratch) linesAssigned += newlinesIn(fd, start, next, scratch);
        const result = workers.run({
          index: index++,
          path,
          start,
          end: next,
          file: options.file,
          type: options.type,
          limits: options.limits,
          mode: options.mode,
          finish: options.finish,
          linesBefore: scratch ? linesBefore : undefined,
        });
        // Awaited below, in order; if an earlier run fails, this one's failure is not unhandled.
        result.catch(() => undefined);
        inFlight.push(result);
      }
      deliver(await (inFlight.shift() as Promise<RangeResult>));
      options.onProgress?.(Math.min(size, next));
    }
  } finally {
    closeSync(fd);
  }
  return { counts, summary, latest };
}
