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
import type { Repeat } from './classify/index.js';
import type { PendingEvent } from './event.js';
import { eventJsonAttrs, eventJsonFields, eventJsonTail, repeatedMessageJson } from './event.js';
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
  /** `lastHead` as UTF-8. */
  private lastHeadBytes = Buffer.alloc(0);

  /** `transfer`: the chunks are handed to another thread (`release`), kept track of until then. */
  constructor(private readonly options: { transfer?: boolean; chunkBytes?: number } = {}) {}

  /**
   * `JSON.stringify(finalizeEvent(pending, …))` with `file` named `file` and numbered `line`, as a
   * line: the event's object is never built.
   */
  event(
    file: string,
    line: number,
    pending: PendingEvent,
    resolved: ResolvedTime,
    repeated: Repeat | null = null,
  ): void {
    if (file !== this.lastFile || this.lastHead === '') {
      this.lastFile = file;
      this.lastHead = `{"file":${JSON.stringify(file)},"line":`;
      this.lastHeadBytes = Buffer.from(this.lastHead);
    }
    if (repeated) this.repeatedEvent(line, pending, resolved, repeated);
    else this.add(`${this.lastHead}${line}${eventJsonTail(pending, resolved)}\n`);
  }

  /**
   * An event whose message is its line, answered from `repeated` (see logScan): written as bytes
   * from the repeat's template and the line's clocks (ASCII: only ASCII lines are kept). Joining its
   * dozen strings and encoding them had cost about as much as classifying the line (~1.1 µs an
   * event on the bench's bundle log).
   */
  private repeatedEvent(line: number, pending: PendingEvent, resolved: ResolvedTime, repeated: Repeat): void {
    const template = repeatTemplate(pending, resolved.tsSource, repeated);
    const text = pending.message;
    const { clockEnd, messageClock, messageClockEnd } = repeated;
    const ts = resolved.ts;
    this.flush();
    const chunk = this.room(
      this.lastHeadBytes.length +
        MAX_LINE_DIGITS +
        TS_BYTES +
        (ts === null ? 0 : ts.length) +
        template.before.length +
        clockEnd +
        template.between.length +
        (messageClockEnd - messageClock) +
        template.after.length,
    );
    let at = this.at;
    chunk.set(this.lastHeadBytes, at);
    at = writeDigits(chunk, at + this.lastHeadBytes.length, line);
    if (ts === null) {
      chunk.set(TS_NULL, at);
      at += TS_NULL.length;
    } else {
      chunk.set(TS_OPEN, at);
      at += TS_OPEN.length;
      at = writeAscii(chunk, at, ts, 0, ts.length);
      chunk[at++] = QUOTE;
    }
    chunk.set(template.before, at);
    at += template.before.length;
    at = writeAscii(chunk, at, text, 0, clockEnd);
    chunk.set(template.between, at);
    at += template.between.length;
    at = writeAscii(chunk, at, text, messageClock, messageClockEnd);
    chunk.set(template.after, at);
    this.at = at + template.after.length;
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
    const chunk = this.chunk;
    // A UTF-16 unit is at most 3 bytes of UTF-8 (JSON text has no lone surrogates: they are
    // escaped); measured exactly only when that may not fit.
    const fits =
      chunk !== null &&
      (this.at + text.length * 3 <= chunk.length || this.at + Buffer.byteLength(text) <= chunk.length);
    const into = this.room(fits ? 0 : Buffer.byteLength(text));
    this.at += into.write(text, this.at);
  }

  /** The current chunk, or a new one when `bytes` more would not fit in it. */
  private room(bytes: number): Buffer {
    let chunk = this.chunk;
    if (chunk !== null && this.at + bytes <= chunk.length) return chunk;
    if (chunk !== null && this.at > this.from) this.views.push(chunk.subarray(this.from, this.at));
    // Not pooled: its memory is its own to transfer.
    chunk = Buffer.allocUnsafeSlow(Math.max(this.options.chunkBytes ?? CHUNK_BYTES, bytes));
    this.chunk = chunk;
    if (this.options.transfer) this.memory.push(chunk.buffer as ArrayBuffer);
    this.at = 0;
    this.from = 0;
    return chunk;
  }
}

/** A line number's digits at most (2^53). */
const MAX_LINE_DIGITS = 16;
const TS_OPEN = Buffer.from(',"ts":"');
const TS_NULL = Buffer.from(',"ts":null');
/** `,"ts":"` and `"`, or `,"ts":null`. */
const TS_BYTES = 10;
const QUOTE = 0x22;

/**
 * An event's JSON around its line number, time and the line's clocks, as bytes, for every repeat of
 * one kept line: before the line (`,"tsSource":…,"message":"`), between its clocks, and after them
 * (the message's end, attrs, `}` and the newline). The classification and reading are the kept
 * line's, so only the time's source and the subject (a reader's default) may differ from one
 * repeat to the next; the template is made again when they do.
 */
interface RepeatTemplate {
  tsSource: ResolvedTime['tsSource'];
  subject: string | null;
  source: string;
  before: Buffer;
  between: Buffer;
  after: Buffer;
}

function repeatTemplate(
  pending: PendingEvent,
  tsSource: ResolvedTime['tsSource'],
  repeated: Repeat,
): RepeatTemplate {
  const kept = repeated.memo.json as RepeatTemplate | undefined;
  if (
    kept &&
    kept.tsSource === tsSource &&
    kept.subject === pending.subject &&
    kept.source === pending.source
  )
    return kept;
  const { between, after } = repeatedMessageJson(repeated);
  const template: RepeatTemplate = {
    tsSource,
    subject: pending.subject,
    source: pending.source,
    before: Buffer.from(`${eventJsonFields(pending, tsSource)}"`),
    between: Buffer.from(between),
    after: Buffer.from(`${after}${eventJsonAttrs(pending)}}\n`),
  };
  repeated.memo.json = template;
  return template;
}

/**
 * `text[from, to)`, ASCII, written at `at`; where it ends. For a clock's few characters a loop
 * cost less than `Buffer.write` (a slice and a call into C++ each: 10 % of a worker's time).
 */
function writeAscii(chunk: Buffer, at: number, text: string, from: number, to: number): number {
  for (let index = from; index < to; index++) chunk[at++] = text.charCodeAt(index);
  return at;
}

/** A non-negative integer's decimal digits written at `at`; where they end. */
function writeDigits(chunk: Buffer, at: number, value: number): number {
  let end = at + 1;
  for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) end++;
  for (let index = end - 1, rest = value; index >= at; index--, rest = Math.floor(rest / 10))
    chunk[index] = 0x30 + (rest % 10);
  return end;
}
