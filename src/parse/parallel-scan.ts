/**
 * Scans one large log file on disk with every core: the file is cut at line ends into runs of about
 * 1 MiB, the pool's worker threads (one per core, kept for the process) classify runs as they free
 * up (each reads its own byte range, read-only; or, when the main thread counts a run's lines, is
 * handed the bytes it read), and the results are handed on strictly in file
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
import { logScan } from './log-scan.js';
import { detachOnceEarly } from './ndjson.js';

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
  /**
   * The run itself (of a streamed member: an archive's, a compressed file's), read instead of
   * `path[start, end)`; its memory is handed to the worker.
   */
  bytes?: Uint8Array;
  /** False: events without their message (default: with; 'count' gives no events). */
  messages?: boolean;
  /** Memory of earlier runs' NDJSON the main thread is done with, for the worker to write into again. */
  spare?: ArrayBuffer[];
}

export interface RangeResult {
  index: number;
  counts: Partial<Record<EventKind, number>>;
  /**
   * Pending events, and between them the finished NDJSON lines as UTF-8 (line numbers of the file,
   * newline-terminated), in views of the chunks the worker wrote them to (see NdjsonWriter).
   */
  events: (PendingEvent | Uint8Array)[];
  /** The task's `linesBefore`, which the finished lines' numbers count from. */
  linesBefore?: number;
  /** The latest year-bearing time among the run's finished events (for the anchor). */
  latest: string | null;
  summary: LogScanSummary;
  /** The memory of the task's `bytes`, handed back (for the next runs' bytes). */
  input?: ArrayBuffer;
}

/** Files smaller than this are scanned on the main thread: starting workers costs more. */
export const PARALLEL_MIN_BYTES = 32 << 20;
const RUN_BYTES = 1 << 20;
/** Tasks given to a worker at once (see ScanPool.dispatch). */
const PER_WORKER = 2;
/** NDJSON memory handed back with a task (a run of a dense log writes about 2 MiB), and kept at most. */
const SPARE_PER_TASK = 3;
const MAX_SPARE = 12;

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
 * The bytes `[start, end)` of the file, read into memory from `free` when some is large enough (a
 * run's memory comes back from its worker: see ScanPool.inputs), and the newlines among them.
 * Counting them ahead lets a worker write the file's own line numbers into finished NDJSON, so the
 * main thread only passes text on: on a dense log, touching each event on the main thread cost
 * about as much as a third worker would. The run's bytes then go to the worker with its task, so the
 * file is read once: read again by the worker, the copies out of the page cache were ~0.25 s of CPU
 * per 512 MB.
 */
function readRun(
  fd: number,
  start: number,
  end: number,
  free: ArrayBuffer[],
): { bytes: Buffer; lines: number } {
  const length = end - start;
  const memory = free.pop();
  const room =
    memory && memory.byteLength >= length ? Buffer.from(memory, 0, length) : Buffer.allocUnsafeSlow(length);
  let filled = 0;
  // A file cut shorter while it is read gives what it still has, as a worker reading it would.
  for (let read = -1; filled < length && read !== 0; filled += read)
    read = readSync(fd, room, filled, length - filled, start + filled);
  const bytes = room.subarray(0, filled);
  return { bytes, lines: newlines(bytes) };
}

/**
 * A worker running scan-worker: the compiled JavaScript, or — run from source (tests) — the
 * TypeScript file through tsx, registered inside the worker (a worker does not inherit loaders).
 */
function startWorker(): Worker {
  // When a run's finished NDJSON (about 2 MB) was kept as strings until the run ended, every
  // scavenge copied it: at 8 MB a quarter of a worker's time was GC on `--json`; at 32 MB about a
  // tenth, with peak RSS on 512 MB of the bench's bundle log 249 MB instead of 235 MB (64 MB reached
  // 294 MB). But on the 1M lease lines of bench:hostile, 32 MB peaked at 292-319 MB (three runs),
  // over the 300 MB target; 24 MB at 246-253 MB for about 5 % more CPU. With the NDJSON written to
  // Buffers off the heap (NdjsonWriter), 8 and 16 MB were no faster on `--json` of 100 MB of the
  // bundle log (CPU 4.51 / 4.38 s against 4.36 s, medians of five) and saved ~10 MB of RSS.
  const resourceLimits = { maxYoungGenerationSizeMb: 24 };
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
  /** Each worker's jobs in the order it was given them: it answers them in that order. */
  private readonly jobs = new Map<Worker, Job[]>();
  private readonly queue: Job[] = [];
  /**
   * Memory of finished NDJSON the main thread is done with, handed back to the workers with their
   * next tasks: written into again, it costs no fresh pages (first touches of a new 1 MiB chunk per
   * MiB of NDJSON were ~3 % of a worker's time on the bundle log) and nothing for the main thread to
   * free.
   */
  readonly spare: ArrayBuffer[] = [];
  /** Memory of runs' bytes the workers are done with, for later runs (see readRun): as many as are in flight, and one. */
  readonly inputs: ArrayBuffer[] = [];

  constructor(readonly size: number) {
    // The spare memory goes back to the workers by transfer (see detachOnceEarly).
    detachOnceEarly();
  }

  /** Runs one task on the next free worker. */
  run(task: RangeTask): Promise<RangeResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.dispatch();
    });
  }

  /**
   * Gives each worker up to two tasks: the second waits in the worker's own message queue, so the
   * worker starts it as soon as it posts the first one's result instead of idling for the round trip
   * through the main thread (a quarter of a millisecond or more per 1 MiB run, 512 runs in 512 MB).
   */
  private dispatch(): void {
    while (this.queue.length > 0) {
      let worker: Worker | undefined;
      let fewest = PER_WORKER;
      for (const [candidate, given] of this.jobs) {
        if (given.length < fewest) {
          worker = candidate;
          fewest = given.length;
        }
      }
      if (!worker || fewest > 0) {
        if (this.jobs.size < this.size) worker = this.start();
        else if (!worker) return;
      }
      const job = this.queue.shift() as Job;
      const given = this.jobs.get(worker) as Job[];
      given.push(job);
      if (given.length === 1) worker.ref();
      const bytes = job.task.bytes;
      const transfer: ArrayBuffer[] = bytes ? [bytes.buffer as ArrayBuffer] : [];
      if (job.task.finish && this.spare.length > 0) {
        job.task.spare = this.spare.splice(0, SPARE_PER_TASK);
        transfer.push(...job.task.spare);
      }
      worker.postMessage(job.task, transfer);
    }
  }

  private start(): Worker {
    const worker = startWorker();
    const given: Job[] = [];
    this.jobs.set(worker, given);
    worker.on('message', (message: RangeResult | { index: number; error: string }) => {
      const job = given.shift();
      if ('input' in message && message.input && this.inputs.length <= PER_WORKER * this.size)
        this.inputs.push(message.input);
      if (given.length === 0) worker.unref();
      if ('error' in message) job?.reject(new Error(message.error));
      else job?.resolve(message);
      this.dispatch();
    });
    worker.on('error', (error) => {
      this.jobs.delete(worker);
      void worker.terminate();
      for (const job of given.splice(0)) job.reject(error);
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
  /**
   * With `finish`: finished NDJSON lines (UTF-8, whole lines), each in its place among `onEvents`'
   * events. Returning false says the bytes were consumed during the call (written out, copied): their
   * memory then goes back to a worker for later runs' NDJSON (see ScanPool.spare).
   */
  finish?: RangeTask['finish'];
  onNdjson?: (bytes: Uint8Array) => boolean | void;
  onProgress?: (bytes: number) => void;
  /** Awaited now and then while events are handed on: the consumer's output draining (see eachPaced). */
  pace?: () => Promise<void>;
  /** Bytes per run (tests use small runs to cut a small file many times). */
  runBytes?: number;
}): Promise<ParallelScanResult> {
  const { path, size } = options;
  const workers = scanPool();
  const runBytes = options.runBytes ?? RUN_BYTES;
  const fd = openSync(path, 'r');
  const merged = new RunMerger(options, workers.spare);
  let linesAssigned = 0;
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
        // With `finish`, lines are counted here (see readRun), and the worker is handed the bytes.
        const run = options.finish ? readRun(fd, start, next, workers.inputs) : null;
        if (run) linesAssigned += run.lines;
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
          linesBefore: run ? linesBefore : undefined,
          bytes: run?.bytes,
        });
        // Awaited below, in order; if an earlier run fails, this one's failure is not unhandled.
        result.catch(() => undefined);
        inFlight.push(result);
      }
      merged.deliver(await (inFlight.shift() as Promise<RangeResult>));
      options.onProgress?.(Math.min(size, next));
      await options.pace?.();
    }
  } finally {
    closeSync(fd);
  }
  return { counts: merged.counts, summary: merged.summary, latest: merged.latest };
}

/**
 * A log read as a stream (an archive member, a compressed file) classified by the pool: the stream is
 * cut at line ends into runs of about RUN_BYTES, each run's bytes handed to a worker, and the results
 * handed on in order, so `onEvent` gets the events, line numbers and problems `logScan` gives for the
 * whole stream (test/bundle/events.test.ts). The reader awaits `ready()` after each chunk, which
 * holds it while two runs per worker are out. A line longer than `--max-line` cannot end a run: from
 * such a line on, the rest of the stream is read by `logScan` on this thread, its parts pushed as
 * they came (the line is measured and reported as the one-thread scan does), and its events
 * numbered on from the runs' lines.
 */
export class PooledLogScan {
  private readonly pool = scanPool();
  private readonly merged: RunMerger;
  private readonly inFlight: Promise<RangeResult>[] = [];
  /** Copies of the chunks since the last run, as they came. */
  private held: Buffer[] = [];
  private heldBytes = 0;
  private index = 0;
  /** Lines in the runs handed out. */
  private linesOut = 0;
  /** The rest of the stream, read on this thread after an over-long line. */
  private rest: { scan: ReturnType<typeof logScan>; waiting: PendingEvent[] } | null = null;

  constructor(
    private readonly run: {
      file: string;
      type: FileType;
      limits: ParseLimits;
      /** 'count': the workers only count, and `counts` has them; 'events': to `onEvent`. */
      mode: 'count' | 'events';
      messages: boolean;
      /** Bytes per run (tests use small runs). */
      runBytes?: number;
    },
    private readonly onEvent: (event: PendingEvent) => void,
  ) {
    this.merged = new RunMerger({
      onEvents: (events) => {
        for (const event of events) onEvent(event);
      },
    });
  }

  /** The chunk may be reused by the caller once this returns. */
  push(chunk: Buffer): void {
    if (this.rest) {
      this.rest.scan.push(chunk);
      return;
    }
    this.held.push(Buffer.from(chunk));
    this.heldBytes += chunk.length;
    if (this.heldBytes >= (this.run.runBytes ?? RUN_BYTES)) this.cut(false);
  }

  /** Resolves when the next chunk may be pushed. */
  async ready(): Promise<void> {
    const limit = this.rest ? 0 : 2 * this.pool.size;
    while (this.inFlight.length > limit)
      this.merged.deliver(await (this.inFlight.shift() as Promise<RangeResult>));
    if (this.rest && this.inFlight.length === 0) {
      for (const event of this.rest.waiting.splice(0)) this.onEvent(event);
    }
  }

  /** Events per kind, in 'count' mode (of the runs; the rest read on this thread goes to `onEvent`). */
  get counts(): Partial<Record<EventKind, number>> {
    return this.merged.counts;
  }

  /** Every run's result handed on; what the one-thread scan's summary would be. */
  async end(): Promise<LogScanSummary> {
    if (!this.rest) this.cut(true);
    while (this.inFlight.length > 0)
      this.merged.deliver(await (this.inFlight.shift() as Promise<RangeResult>));
    if (this.rest) {
      const summary = this.rest.scan.end();
      for (const event of this.rest.waiting.splice(0)) this.onEvent(event);
      this.merged.add(summary);
    }
    return this.merged.summary;
  }

  /** Hands the held whole lines (all held bytes at the end) to the pool as one run. */
  private cut(final: boolean): void {
    let last = this.held.length - 1;
    let newline = -1;
    for (; last >= 0 && newline < 0; last--) newline = (this.held[last] as Buffer).lastIndexOf(10);
    last++;
    if (newline < 0 && !final) {
      if (this.heldBytes > this.run.limits.maxLineBytes) this.readRestHere();
      return;
    }
    const keep =
      final || newline < 0
        ? []
        : [(this.held[last] as Buffer).subarray(newline + 1), ...this.held.slice(last + 1)];
    const keepBytes = keep.reduce((sum, part) => sum + part.length, 0);
    const bytes = new Uint8Array(this.heldBytes - keepBytes);
    let at = 0;
    for (const part of this.held) {
      const take = Math.min(part.length, bytes.length - at);
      bytes.set(take === part.length ? part : part.subarray(0, take), at);
      at += take;
      if (at === bytes.length) break;
    }
    this.held = keep.filter((part) => part.length > 0);
    this.heldBytes = keepBytes;
    if (bytes.length === 0) return;
    this.linesOut += countLines(bytes);
    const result = this.pool.run({
      index: this.index++,
      path: '',
      start: 0,
      end: bytes.length,
      file: this.run.file,
      type: this.run.type,
      limits: this.run.limits,
      mode: this.run.mode,
      messages: this.run.messages,
      bytes,
    });
    // Awaited in order; if an earlier run fails, this one's failure is not unhandled.
    result.catch(() => undefined);
    this.inFlight.push(result);
  }

  /** The held line is over --max-line: read it and the rest of the stream on this thread. */
  private readRestHere(): void {
    const base = this.linesOut;
    const waiting: PendingEvent[] = [];
    const scan = logScan(
      this.run.file,
      this.run.type,
      this.run.limits,
      (event) => {
        event.line += base;
        // Events wait for the runs before them (`ready`, `end`).
        if (this.inFlight.length > 0 || waiting.length > 0) waiting.push(event);
        else this.onEvent(event);
      },
      { messages: this.run.messages },
    );
    this.rest = { scan, waiting };
    for (const part of this.held) scan.push(part);
    this.held = [];
    this.heldBytes = 0;
  }
}

/** Lines in a run: its newlines, and one more for an unterminated last line. */
function countLines(bytes: Uint8Array): number {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = newlines(buffer);
  return buffer.length > 0 && buffer[buffer.length - 1] !== 10 ? count + 1 : count;
}

/** How many newlines `bytes` holds. */
function newlines(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(10); at >= 0; at = bytes.indexOf(10, at + 1)) count++;
  return count;
}

/**
 * The runs' results put together in file order, as one scan of the whole would give them: events
 * (and finished NDJSON) handed on with file line numbers, counts added, the first over-long line and
 * cut-off JSON lines renumbered, the latest finished time kept.
 */
class RunMerger {
  readonly counts: Partial<Record<EventKind, number>> = {};
  readonly summary: LogScanSummary = { lines: 0, overlong: null, notJson: 0, firstNotJson: 0 };
  latest: string | null = null;

  constructor(
    private readonly to: {
      onEvents?: (events: PendingEvent[]) => void;
      onNdjson?: (bytes: Uint8Array) => boolean | void;
    },
    private readonly spare: ArrayBuffer[] = [],
  ) {}

  /** The next run's result, in file order. */
  deliver(result: RangeResult): void {
    const summary = this.summary;
    const base = summary.lines;
    for (const [kind, count] of Object.entries(result.counts) as [EventKind, number][])
      this.counts[kind] = (this.counts[kind] ?? 0) + count;
    if (result.latest !== null && (this.latest === null || later(result.latest, this.latest)))
      this.latest = result.latest;
    if (result.linesBefore !== undefined && result.linesBefore !== base)
      throw new Error(
        `run ${result.index} was numbered from line ${result.linesBefore + 1}, not ${base + 1}`,
      );
    let pending: PendingEvent[] = [];
    const done = new Set<ArrayBuffer>();
    const held = new Set<ArrayBuffer>();
    for (const item of result.events) {
      if (!(item instanceof Uint8Array)) {
        item.line += base;
        pending.push(item);
        continue;
      }
      if (pending.length > 0) this.to.onEvents?.(pending);
      pending = [];
      const memory = item.buffer as ArrayBuffer;
      if (this.to.onNdjson?.(item) === false) done.add(memory);
      else held.add(memory);
    }
    if (pending.length > 0) this.to.onEvents?.(pending);
    for (const memory of done)
      if (!held.has(memory) && this.spare.length < MAX_SPARE) this.spare.push(memory);
    this.add(result.summary);
  }

  /** A summary of lines after those merged so far, numbered from the first of them. */
  add(part: LogScanSummary): void {
    const summary = this.summary;
    const base = summary.lines;
    if (part.overlong && !summary.overlong)
      summary.overlong = { line: part.overlong.line + base, bytes: part.overlong.bytes };
    if (part.notJson > 0 && summary.notJson === 0) summary.firstNotJson = part.firstNotJson + base;
    summary.notJson += part.notJson;
    summary.lines += part.lines;
  }
}
