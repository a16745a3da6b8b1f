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
import type { EventJsonFields, PendingEvent, TimeResolver, UtcClock } from './event.js';
import { eventJsonAttrs, eventJsonFields, eventJsonTail, repeatedMessageJson } from './event.js';
import type { RepeatedEvent } from './log-scan.js';
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
  private spare: ArrayBuffer[] = [];
  /** The current chunk as a DataView, and the last line's bytes `repeated` copied from as one. */
  private chunkView: DataView = new DataView(new ArrayBuffer(0));
  private source: Uint8Array | null = null;
  private sourceView: DataView = this.chunkView;
  private memory: ArrayBuffer[] = [];
  private lastFile = '';
  private lastHead = '';
  /** `lastHead` as UTF-8. */
  private lastHeadBytes = Buffer.alloc(0);

  /** `transfer`: the chunks are handed to another thread (`release`), kept track of until then. */
  constructor(private readonly options: { transfer?: boolean; chunkBytes?: number } = {}) {
    if (options.transfer) detachOnceEarly();
  }

  /**
   * `JSON.stringify(finalizeEvent(pending, …))` with `file` named `file` and numbered `line`, as a
   * line: the event's object is never built.
   */
  event(file: string, line: number, pending: PendingEvent, resolved: ResolvedTime): void {
    this.add(`${this.head(file)}${line}${eventJsonTail(pending, resolved)}\n`);
  }

  /**
   * The event of a line answered from a kept one whose message is the line, `bytes[start..]`
   * (logScan's `onRepeat`), as `event` writes it: written as bytes from the repeat's template, the
   * line's clocks (copied from its bytes: a loop over a sliced string's characters cost twice as
   * much) and its time — `resolved`, or when that is null the UTC clock `clock` holds (`TimeResolver.place`).
   * Joining its dozen strings and encoding them had cost about as much as classifying the line (~1.1
   * µs an event on the bench's bundle log).
   */
  repeated(
    file: string,
    line: number,
    hit: RepeatedEvent,
    bytes: Uint8Array,
    start: number,
    resolved: ResolvedTime | null,
    clock: TimeResolver,
  ): void {
    this.head(file);
    const template = repeatTemplate(hit, resolved ? resolved.tsSource : clock.daySource);
    const { clockEnd, messageClock, messageClockEnd } = hit.repeat;
    this.flush();
    const last = template.last;
    if (
      resolved === null &&
      last.chunk !== null &&
      last.chunk === this.chunk &&
      last.head === this.lastHeadBytes &&
      last.digits === digitCount(line) &&
      this.at + last.length <= last.chunk.length
    ) {
      // The template's last line, in this chunk, with this line's number, time and clocks.
      const chunk = last.chunk;
      const at = this.at;
      chunk.copyWithin(at, last.at, last.at + last.length);
      let to = writeDigits(chunk, at + last.head.length, line) + TS_OPEN.length;
      // On the same UTC date as the last line its date stays; in the same minute, all but its seconds.
      if (last.date !== clock.datePrefix) to = writeClock(chunk, to, clock);
      else if (last.hour === clock.hour && last.minute === clock.minute)
        to = writeSeconds(chunk, to + MINUTE_BYTES, clock);
      else to = writeTimeOfDay(chunk, to + DATE_BYTES, clock);
      to += 1 + template.before.length;
      to = this.copy(to, bytes, start, start + clockEnd) + template.between.length;
      this.copy(to, bytes, start + messageClock, start + messageClockEnd);
      last.at = at;
      noteMinute(last, clock);
      this.at = at + last.length;
      return;
    }
    const ts = resolved ? resolved.ts : null;
    const chunk = this.room(
      this.lastHeadBytes.length +
        MAX_LINE_DIGITS +
        TS_BYTES +
        (resolved === null ? ISO_BYTES : ts === null ? 0 : ts.length) +
        template.before.length +
        clockEnd +
        template.between.length +
        (messageClockEnd - messageClock) +
        template.after.length,
    );
    const lineStart = this.at;
    const head = this.lastHeadBytes;
    chunk.set(head, lineStart);
    let at = writeDigits(chunk, lineStart + head.length, line);
    const digits = at - lineStart - head.length;
    if (resolved !== null && ts === null) {
      chunk.set(TS_NULL, at);
      at += TS_NULL.length;
    } else {
      chunk.set(TS_OPEN, at);
      at += TS_OPEN.length;
      at = ts === null ? writeClock(chunk, at, clock) : writeAscii(chunk, at, ts, 0, ts.length);
      chunk[at++] = QUOTE;
    }
    chunk.set(template.before, at);
    at += template.before.length;
    at = this.copy(at, bytes, start, start + clockEnd);
    chunk.set(template.between, at);
    at += template.between.length;
    at = this.copy(at, bytes, start + messageClock, start + messageClockEnd);
    chunk.set(template.after, at);
    this.at = at + template.after.length;
    // Only a line whose time is 24 bytes of UTC clock is patched: other times have other lengths.
    last.chunk = resolved === null ? chunk : null;
    last.at = lineStart;
    last.length = this.at - lineStart;
    last.head = head;
    last.digits = digits;
    noteMinute(last, clock);
  }

  /**
   * `bytes[from, to)` written at `at` in the current chunk; where they end. Four bytes at a time
   * through DataViews: a loop's byte costs about what a DataView's four do (~2.5 ns), and `set` of
   * a subarray more for a clock's 15–32 bytes.
   */
  private copy(at: number, bytes: Uint8Array, from: number, to: number): number {
    if (bytes !== this.source) {
      this.source = bytes;
      this.sourceView = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    const source = this.sourceView;
    const target = this.chunkView;
    let index = from;
    for (; index + 4 <= to; index += 4, at += 4) target.setUint32(at, source.getUint32(index));
    for (; index < to; index++) target.setUint8(at++, source.getUint8(index));
    return at;
  }

  /** `{"file":<file>,"line":`, kept with its bytes while the file stays the same. */
  private head(file: string): string {
    if (file !== this.lastFile || this.lastHead === '') {
      this.lastFile = file;
      this.lastHead = `{"file":${JSON.stringify(file)},"line":`;
      this.lastHeadBytes = Buffer.from(this.lastHead);
    }
    return this.lastHead;
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

  /** Memory to write later chunks into (with `transfer`: handed back by the thread it went to). */
  give(memory: ArrayBuffer[]): void {
    this.spare.push(...memory);
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
    const size = Math.max(this.options.chunkBytes ?? CHUNK_BYTES, bytes);
    const spare = this.spare.pop();
    // Not pooled: its memory is its own to transfer.
    chunk = spare && spare.byteLength >= size ? Buffer.from(spare) : Buffer.allocUnsafeSlow(size);
    this.chunk = chunk;
    this.chunkView = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
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
const EMPTY = Buffer.alloc(0);
const COLON = 0x3a;
const DOT = 0x2e;
const ZERO = 0x30;
const ZULU = 0x5a;
/** `YYYY-MM-DDTHH:MM:SS.mmmZ`, its `YYYY-MM-DDT` and its `YYYY-MM-DDTHH:MM:`. */
const ISO_BYTES = 24;
const DATE_BYTES = 11;
const MINUTE_BYTES = 17;

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
  /**
   * The last line written from the template, when its time was a UTC clock (`TimeResolver.place`):
   * the next repeat in the same chunk, of the same file and with as many digits in its line number,
   * is that line copied (one memmove) with its number, time and clocks written over it, instead of
   * eight pieces written (0.75 µs an event on the bench's bundle log).
   */
  last: {
    chunk: Buffer | null;
    at: number;
    length: number;
    head: Buffer;
    digits: number;
    /** The UTC date, hour and minute of its time. */
    date: Uint8Array;
    hour: number;
    minute: number;
  };
}

function repeatTemplate(hit: RepeatedEvent, tsSource: ResolvedTime['tsSource']): RepeatTemplate {
  const repeat = hit.repeat;
  const kept = repeat.memo.json as RepeatTemplate | undefined;
  const subject = hit.answer.subject ?? null;
  const source = hit.kept.source;
  if (kept && kept.tsSource === tsSource && kept.subject === subject && kept.source === source) return kept;
  return newRepeatTemplate(hit, tsSource, subject, source);
}

/**
 * Made once per kept line, apart from the lookup above: inlined into the writer's hot functions, its
 * allocations (kept for good) were tenured by V8 after a second of the scan, which threw away all
 * the code they were inlined into (six functions compiled again in each worker).
 */
function newRepeatTemplate(
  hit: RepeatedEvent,
  tsSource: ResolvedTime['tsSource'],
  subject: string | null,
  source: string,
): RepeatTemplate {
  const repeat = hit.repeat;
  const { between, after } = repeatedMessageJson(repeat);
  const fields: EventJsonFields = { ...hit.answer, subject, source };
  const template: RepeatTemplate = {
    tsSource,
    subject,
    source,
    before: Buffer.from(`${eventJsonFields(fields, tsSource)}"`),
    between: Buffer.from(between),
    after: Buffer.from(`${after}${eventJsonAttrs(fields)}}\n`),
    last: { chunk: null, at: 0, length: 0, head: EMPTY, digits: 0, date: EMPTY, hour: 0, minute: 0 },
  };
  repeat.memo.json = template;
  return template;
}

/** A time in the UTC clock's parts as `YYYY-MM-DDTHH:MM:SS.mmmZ`, written at `at`; where it ends. */
function writeClock(chunk: Buffer, at: number, clock: UtcClock): number {
  chunk.set(clock.datePrefix, at);
  return writeTimeOfDay(chunk, at + clock.datePrefix.length, clock);
}

/** The `HH:MM:SS.mmmZ` of a UTC clock, written at `at`; where it ends. */
function writeTimeOfDay(chunk: Buffer, at: number, clock: UtcClock): number {
  at = writeTwoDigits(chunk, at, clock.hour);
  chunk[at++] = COLON;
  at = writeTwoDigits(chunk, at, clock.minute);
  chunk[at++] = COLON;
  return writeSeconds(chunk, at, clock);
}

/** The UTC date, hour and minute of the time just written from `last`'s template (see writeSeconds). */
function noteMinute(last: RepeatTemplate['last'], clock: UtcClock): void {
  last.date = clock.datePrefix;
  last.hour = clock.hour;
  last.minute = clock.minute;
}

/** The `SS.mmmZ` of a UTC clock, written at `at`; where it ends. */
function writeSeconds(chunk: Buffer, at: number, clock: UtcClock): number {
  at = writeTwoDigits(chunk, at, clock.second);
  chunk[at++] = DOT;
  const hundreds = (clock.milli / 100) | 0;
  chunk[at++] = ZERO + hundreds;
  at = writeTwoDigits(chunk, at, clock.milli - hundreds * 100);
  chunk[at++] = ZULU;
  return at;
}

/** A number below 100 as two digits, from a table (a division by 10 cost more than the lookup). */
function writeTwoDigits(chunk: Buffer, at: number, value: number): number {
  chunk[at] = DIGIT_PAIRS[2 * value] as number;
  chunk[at + 1] = DIGIT_PAIRS[2 * value + 1] as number;
  return at + 2;
}

const DIGIT_PAIRS = Buffer.from(
  Array.from({ length: 100 }, (_, value) => String(value).padStart(2, '0')).join(''),
  'latin1',
);

/**
 * `text[from, to)`, ASCII, written at `at`; where it ends. For a clock's few characters a loop
 * cost less than `Buffer.write` (a slice and a call into C++ each: 10 % of a worker's time).
 */
function writeAscii(chunk: Buffer, at: number, text: string, from: number, to: number): number {
  for (let index = from; index < to; index++) chunk[at++] = text.charCodeAt(index);
  return at;
}

/** How many decimal digits a non-negative integer has (by products: a division costs more). */
function digitCount(value: number): number {
  let digits = 1;
  for (let bound = 10; value >= bound; bound *= 10) digits++;
  return digits;
}

/** A non-negative integer's decimal digits written at `at`; where they end. */
function writeDigits(chunk: Buffer, at: number, value: number): number {
  const end = at + digitCount(value);
  for (let index = end - 1, rest = value; index >= at; index--) {
    // Below 2^31 as 32-bit integers, which V8 divides by a constant without a floating-point division.
    const next = rest < 2_147_483_648 ? (rest / 10) | 0 : Math.floor(rest / 10);
    chunk[index] = ZERO + rest - next * 10;
    rest = next;
  }
  return end;
}

let detached = false;

/**
 * Detaches a small ArrayBuffer of this thread, once, before any scan. V8 compiles typed-array code
 * without a detach check until the thread first detaches a buffer, and then throws that code away:
 * the first NDJSON chunk transferred, a second into a scan, made a dozen of its hottest functions
 * (the search, the repeats lookup, the writer) compile a second time in each worker, about 9 % of
 * the bundle log's `events --json` CPU. Compiled after this, they are compiled once, with the check.
 */
export function detachOnceEarly(): void {
  if (detached) return;
  detached = true;
  const buffer = new ArrayBuffer(8);
  structuredClone(buffer, { transfer: [buffer] });
}
