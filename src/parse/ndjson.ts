/**
 * A scan worker's finished events written as NDJSON without building their objects, kept as UTF-8
 * bytes from the moment they are written: they go to the main thread as Buffers moved by
 * postMessage's transfer list (not copied), and from there to stdout as they are. Posted as
 * strings, a run's NDJSON (about 2 MB per MiB of a dense log) was copied by the structured clone,
 * kept alive (and copied by every scavenge) until the run ended, then encoded to UTF-8 again by
 * the main thread's write.
 *
 * The main thread's own events (files under PARALLEL_MIN_BYTES, archive members) stay
 * `JSON.stringify(event)` (src/cli/commands/events.ts): written by this writer instead, 20 MB of
 * the bundle log took the same CPU (1.33 / 1.34 s): JSON.stringify makes a flat string at once,
 * where these lines are joined from their pieces, and chunks dropped after one write stayed in the
 * RSS until V8 next collected (+28 MB).
 */
import type { PendingEvent } from './event.js';
import { eventJsonTail } from './event.js';
import type { ResolvedTime } from './time.js';

/** Bytes per chunk: a dense log's run of 1 MiB writes about 2 MB of NDJSON. */
const CHUNK_BYTES = 1 << 20;
/**
 * Lines joined and encoded together: a call into Node's encoder per line cost more than the join,
 * and 128 lines (about 60 KB) stay in V8's young generation.
 */
const BATCH_LINES = 128;

export class NdjsonWriter {
  private lines: string[] = [];
  private chunk: Buffer | null = null;
  /** Where the next write goes in `chunk`. */
  private at = 0;
  /** The start of the bytes of `chunk` not yet taken. */
  private from = 0;
  private views: Uint8Array[] = [];
  private memory: ArrayBuffer[] = [];
  private lastFile = '';
  private lastHead = '';

  /** `transfer`: the chunks are handed to another thread (`release`), kept track of until then. */
  constructor(private readonly options: { transfer?: boolean; chunkBytes?: number } = {}) {}

  /**
   * `JSON.stringify(finalizeEvent(pending, …))` with `file` named `file` and numbered `line`, as a
   * line: the event's object is never built.
   */
  event(file: string, line: number, pending: PendingEvent, resolved: ResolvedTime): void {
    if (file !== this.lastFile || this.lastHead === '') {
      this.lastFile = file;
      this.lastHead = `{"file":${JSON.stringify(file)},"line":`;
    }
    this.add(`${this.lastHead}${line}${eventJsonTail(pending, resolved)}\n`);
  }

  /** One whole line, newline included. */
  add(line: string): void {
    this.lines.push(line);
    if (this.lines.length === BATCH_LINES) this.flush();
  }

  /** Encodes the lines added so far. */
  private flush(): void {
    if (this.lines.length === 0) return;
    this.write(this.lines.join(''));
    this.lines = [];
  }

  /** The bytes of the lines added since the last call, in order, as views of the chunks ([] if none). */
  take(): Uint8Array[] {
    this.flush();
    if (this.chunk !== null && this.at > this.from) this.views.push(this.chunk.subarray(this.from, this.at));
    this.from = this.at;
    const views = this.views;
    this.views = [];
    return views;
  }

  /**
   * With `transfer`: the memory of every chunk written to since the last call (a postMessage
   * transfer list, after which it is no longer this thread's); later lines go to new chunks.
   */
  release(): ArrayBuffer[] {
    const memory = this.memory;
    this.memory = [];
    this.lines = [];
    this.views = [];
    this.chunk = null;
    this.at = 0;
    this.from = 0;
    return memory;
  }

  /** Text of whole lines, encoded into the current chunk or a new one. */
  private write(text: string): void {
    let chunk = this.chunk;
    // A UTF-16 unit is at most 3 bytes of UTF-8 (JSON text has no lone surrogates: they are
    // escaped); measured exactly only when that may not fit.
    if (
      chunk === null ||
      (this.at + text.length * 3 > chunk.length && this.at + Buffer.byteLength(text) > chunk.length)
    ) {
      if (chunk !== null && this.at > this.from) this.views.push(chunk.subarray(this.from, this.at));
      // Not pooled: its memory is its own to transfer.
      chunk = Buffer.allocUnsafeSlow(
        Math.max(this.options.chunkBytes ?? CHUNK_BYTES, Buffer.byteLength(text)),
      );
      this.chunk = chunk;
      if (this.options.transfer) this.memory.push(chunk.buffer as ArrayBuffer);
      this.at = 0;
      this.from = 0;
    }
    this.at += chunk.write(text, this.at);
  }
}
