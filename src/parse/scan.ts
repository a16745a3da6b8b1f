/**
 * Finds candidate lines in a stream of Buffers without making a string per line: the bytes are
 * searched for all needles at once (`NeedleSet`, a Wu–Manber search written over the bytes), and
 * only a chunk that has a hit is viewed as a latin1 string (bytes map 1:1 to characters, so offsets
 * agree); only lines with a hit are decoded as UTF-8. Lines that span chunks are joined; a line longer
 * than `maxLineBytes` is skipped whole and reported once, so a 5 MB line costs neither memory nor a
 * crash.
 */
import { isAscii } from 'node:buffer';

const NEWLINE = 10;
const PIECE_BYTES = 64 * 1024;
const BLOCKS = 1 << 16;

/**
 * Many ASCII needles searched at once over bytes (Wu–Manber). A window as long as the shortest
 * needle slides over the text; a table says, for a hash of the window's last three bytes, how far it
 * may slide without passing a needle's start, so most positions are skipped without being looked
 * at, and only a window ending like some needle's first `window` bytes is compared with those
 * needles. Three-byte blocks (rather than two) make a needless comparison rare: on the bench logs
 * about one window in twenty instead of one in four. Several times faster than V8's regex for one
 * trie-shaped alternation of the classifier's ~100 needles, and it reads the bytes themselves (no
 * string per chunk).
 *
 * Each needle may carry a bit mask: `maskIn` returns the OR of the masks of all needles in a range,
 * which is how the classifier learns which of its rules a line can match from the scan itself.
 */
export class NeedleSet {
  private readonly window: number;
  /** How far a window may move on, by the hash of its last three bytes; 0 = compare `bucket`'s needles. */
  private readonly shift = new Uint8Array(BLOCKS);
  /** Needles whose first `window` bytes end in a block: `order[bucket[block] .. bucket[block + 1])`. */
  private readonly bucket = new Int32Array(BLOCKS + 1);
  private readonly order: Int32Array;
  /** All needles' bytes end to end; needle i is `flat[start[i] .. start[i] + length[i])`. */
  private readonly flat: Uint8Array;
  private readonly start: Int32Array;
  private readonly length: Int32Array;
  private readonly masks: Int32Array;
  private scratch = Buffer.alloc(4096);
  /**
   * The needles that contain a digit: the only ones whose hits can differ between two lines that
   * differ only in some digits (a clock's).
   */
  readonly digitNeedles: string[];

  constructor(needles: string[], masks: number[] = []) {
    if (
      needles.length === 0 ||
      needles.some((needle) => needle.length < 3 || !/^[\x20-\x7e]+$/.test(needle))
    ) {
      throw new Error('needles must be printable ASCII, at least three characters');
    }
    const window = Math.min(255, ...needles.map((needle) => needle.length));
    this.window = window;
    this.digitNeedles = needles.filter((needle) => /[0-9]/.test(needle));
    const bytes = needles.map((needle) => Buffer.from(needle, 'latin1'));
    this.flat = Buffer.concat(bytes);
    this.start = new Int32Array(needles.length);
    this.length = Int32Array.from(bytes, (needle) => needle.length);
    for (let index = 1; index < needles.length; index++)
      this.start[index] = (this.start[index - 1] as number) + (this.length[index - 1] as number);
    this.masks = Int32Array.from(needles, (_, index) => masks[index] ?? 0);
    this.shift.fill(window - 2);
    const byBlock = new Map<number, number[]>();
    bytes.forEach((needle, index) => {
      for (let at = 2; at < window; at++) {
        const block = blockOf(needle, at);
        this.shift[block] = Math.min(this.shift[block] as number, window - 1 - at);
      }
      const last = blockOf(needle, window - 1);
      byBlock.set(last, [...(byBlock.get(last) ?? []), index]);
    });
    const order: number[] = [];
    for (let block = 0; block < BLOCKS; block++) {
      this.bucket[block] = order.length;
      order.push(...(byBlock.get(block) ?? []));
    }
    this.bucket[BLOCKS] = order.length;
    this.order = Int32Array.from(order);
  }
  /** Where the leftmost needle in `bytes[from, to)` starts, or -1. */
  firstIn(bytes: Uint8Array, from: number, to: number): number {
    return this.search(bytes, from, to, false);
  }

  /** The OR of the masks of every needle found in `bytes[from, to)` (overlapping ones included). */
  maskIn(bytes: Uint8Array, from: number, to: number): number {
    return this.search(bytes, from, to, true);
  }

  /** `maskIn` for a string: its UTF-8 bytes hold the same ASCII needles at no false places. */
  maskOf(text: string): number {
    if (text.length * 3 > this.scratch.length) this.scratch = Buffer.alloc(text.length * 3 + 1024);
    return this.search(this.scratch, 0, this.scratch.write(text, 'utf8'), true);
  }

  /**
   * The search itself: windows in increasing position, so the first needle found is the leftmost
   * (needles are indexed by their first bytes). With `all`, the masks of every hit are ORed and
   * returned; else the first hit's start is (or -1).
   */
  private search(bytes: Uint8Array, from: number, to: number, all: boolean): number {
    const window = this.window;
    const shift = this.shift;
    const bucket = this.bucket;
    const order = this.order;
    const flat = this.flat;
    let mask = 0;
    let at = from;
    for (const last = to - window; at <= last;) {
      const end = at + window - 1;
      const block = blockOf(bytes, end);
      const skip = shift[block] as number;
      if (skip !== 0) {
        at += skip;
        continue;
      }
      for (let slot = bucket[block] as number, stop = bucket[block + 1] as number; slot < stop; slot++) {
        const index = order[slot] as number;
        const length = this.length[index] as number;
        if (at + length > to) continue;
        const start = this.start[index] as number;
        let same = 0;
        while (same < length && bytes[at + same] === flat[start + same]) same++;
        if (same < length) continue;
        if (!all) return at;
        mask |= this.masks[index] as number;
      }
      at++;
    }
    return all ? mask : -1;
  }
}

/** Where the text of the line `region[start, end)` ends: before a CR of a CRLF line end. */
function textEndOf(region: Uint8Array, start: number, end: number): number {
  return end > start && region[end - 1] === 13 ? end - 1 : end;
}

/** The table index of the three bytes ending at `end`. */
function blockOf(bytes: Uint8Array, end: number): number {
  return (
    (((bytes[end - 2] as number) << 10) ^ ((bytes[end - 1] as number) << 5) ^ (bytes[end] as number)) &
    (BLOCKS - 1)
  );
}

export interface ScanCallbacks {
  /**
   * A line containing a needle: its text (without the newline), 1-based number, and the OR of the
   * masks of all needles in it (see `NeedleSet`); its bytes start at `bytes[start]`.
   */
  candidate(text: string, line: number, mask: number, bytes: Uint8Array, start: number): boolean | void;
  /**
   * With `candidate` returning true for a line the callee knew already (a repeat of one it read):
   * the next line is offered here before it is searched — in a burst of one failure most lines are
   * repeats, and a line known this way costs no search. `text[start, end)` is the line in `text`, the
   * latin1 view of its piece `bytes` (its bytes as characters); true when the callee is done with it,
   * false to have it searched as usual.
   */
  known?(text: string, start: number, end: number, line: number, bytes: Uint8Array): boolean;
  /** First over-long line of the stream (the line number and the bytes seen before it was dropped). */
  overlong?(line: number, bytes: number): void;
  /** With `jsonLines`: a non-empty line that does not look like one JSON object (`{…}`), and its text. */
  notJson?(line: number, text: string): void;
}

export interface ScanOptions {
  maxLineBytes?: number;
  /** Check every line's shape as a JSON object, cheaply (first and last byte), for JSON log files. */
  jsonLines?: boolean;
}

export class NeedleScanner {
  private readonly needles: NeedleSet;
  private carry: Buffer[] = [];
  private carryBytes = 0;
  /** True while skipping the rest of an over-long line. */
  private skipping = false;
  private reportedOverlong = false;
  /** Number of the line that starts at the current read position. */
  private line = 1;
  /** The line after a known one is offered to `known` before it is searched. */
  private askFirst = false;

  private readonly maxLineBytes: number;
  private readonly jsonLines: boolean;
  /**
   * The callbacks asked of every candidate and known line, kept on the scanner: read from each new
   * scan's callbacks object (an object literal of fresh closures per scan), they made the hot loop
   * deoptimize on that object's map, four recompilations per worker.
   */
  private readonly candidate: ScanCallbacks['candidate'];
  private readonly known: ScanCallbacks['known'];

  constructor(
    needles: string[] | NeedleSet,
    private readonly callbacks: ScanCallbacks,
    options: ScanOptions = {},
  ) {
    this.candidate = callbacks.candidate;
    this.known = callbacks.known;
    this.needles = needles instanceof NeedleSet ? needles : new NeedleSet(needles);
    this.maxLineBytes = options.maxLineBytes ?? 1 << 20;
    this.jsonLines = options.jsonLines ?? false;
  }

  get lines(): number {
    return this.line - 1;
  }

  push(chunk: Buffer): void {
    let start = 0;
    if (this.carryBytes > 0 || this.skipping) {
      const newline = chunk.indexOf(NEWLINE);
      if (newline < 0) {
        this.hold(chunk);
        return;
      }
      this.hold(chunk.subarray(0, newline + 1));
      this.flushCarry();
      start = newline + 1;
    }
    const lastNewline = chunk.lastIndexOf(NEWLINE);
    if (lastNewline >= start) {
      this.scanLines(chunk.subarray(start, lastNewline + 1));
      start = lastNewline + 1;
    }
    if (start < chunk.length) this.hold(chunk.subarray(start));
  }

  end(): void {
    if (this.carryBytes > 0 || this.skipping) this.flushCarry();
  }

  private hold(part: Buffer): void {
    if (this.skipping) return;
    if (this.carryBytes + part.length > this.maxLineBytes) {
      this.skipping = true;
      if (!this.reportedOverlong) {
        this.reportedOverlong = true;
        this.callbacks.overlong?.(this.line, this.carryBytes + part.length);
      }
      this.carry = [];
      this.carryBytes = 0;
      return;
    }
    // Copy: the stream may reuse the chunk's memory.
    this.carry.push(Buffer.from(part));
    this.carryBytes += part.length;
  }

  /** The held line is complete (or the stream ended). */
  private flushCarry(): void {
    if (this.skipping) {
      this.skipping = false;
      this.line += 1;
      return;
    }
    const joined = this.carry.length === 1 ? (this.carry[0] as Buffer) : Buffer.concat(this.carry);
    this.carry = [];
    this.carryBytes = 0;
    const terminated = joined.length > 0 && joined[joined.length - 1] === NEWLINE;
    this.scanLines(terminated ? joined : Buffer.concat([joined, Buffer.from([NEWLINE])]));
  }

  /**
   * `region` holds whole lines, each ending with a newline. It is searched in pieces of about
   * PIECE_BYTES cut at line ends: strings that small live in V8's young generation, whose memory is
   * reused, instead of a fresh large-object allocation per chunk.
   */
  private scanLines(region: Buffer): void {
    let start = 0;
    while (start < region.length) {
      let end = region.length;
      if (end - start > PIECE_BYTES) {
        const cut = region.lastIndexOf(NEWLINE, start + PIECE_BYTES - 1);
        end = cut >= start ? cut + 1 : region.indexOf(NEWLINE, start + PIECE_BYTES) + 1;
      }
      this.scanPiece(start === 0 && end === region.length ? region : region.subarray(start, end));
      start = end;
    }
  }

  private scanPiece(region: Buffer): void {
    const needles = this.needles;
    const known = this.known;
    const end = region.length;
    // The piece's latin1 view, made at its first candidate (most pieces of a sparse log have none).
    let text: string | null = null;
    let ascii = false;
    const view = (): string => {
      if (text === null) {
        text = region.toString('latin1');
        // In ASCII the latin1 view is the UTF-8 text, so a line is a slice of it, not a fresh decode.
        ascii = isAscii(region);
      }
      return text;
    };
    let lineStart = 0;
    while (lineStart < end) {
      if (this.askFirst && known) {
        this.askFirst = false;
        const lineEnd = region.indexOf(NEWLINE, lineStart);
        if (lineEnd - lineStart <= this.maxLineBytes) {
          if (known(view(), lineStart, textEndOf(region, lineStart, lineEnd), this.line, region)) {
            this.endLine(region, lineStart, lineEnd);
            lineStart = lineEnd + 1;
            this.askFirst = true;
            continue;
          }
        }
      }
      const at = needles.firstIn(region, lineStart, end);
      if (at < 0) break;
      // Lines before the hit are counted on the way to its line's end: one search per line.
      let lineEnd = region.indexOf(NEWLINE, lineStart);
      while (lineEnd < at) {
        this.endLine(region, lineStart, lineEnd);
        lineStart = lineEnd + 1;
        lineEnd = region.indexOf(NEWLINE, lineStart);
      }
      // An over-long line is reported (once) by endLine, like one without a needle.
      if (lineEnd - lineStart <= this.maxLineBytes) {
        // A needle starting before `at` would have been found first: the rest of the line holds all.
        const mask = needles.maskIn(region, at, lineEnd);
        const textEnd = textEndOf(region, lineStart, lineEnd);
        const latin1 = view();
        this.askFirst =
          this.candidate(
            ascii ? latin1.slice(lineStart, textEnd) : region.toString('utf8', lineStart, textEnd),
            this.line,
            mask,
            region,
            lineStart,
          ) === true;
      }
      this.endLine(region, lineStart, lineEnd);
      lineStart = lineEnd + 1;
    }
    for (
      let lineEnd = region.indexOf(NEWLINE, lineStart);
      lineEnd >= 0;
      lineEnd = region.indexOf(NEWLINE, lineStart)
    ) {
      this.endLine(region, lineStart, lineEnd);
      lineStart = lineEnd + 1;
    }
  }

  /**
   * The line `region[start, end)` is done: counted, and in a JSON log its shape checked. Every line
   * is held to the limit, not only lines with a needle: the limit says what is read, and a file that
   * breaks it should say so whether or not the long line looked like an event.
   */
  private endLine(region: Buffer, start: number, end: number): void {
    if (end - start > this.maxLineBytes) {
      if (!this.reportedOverlong) {
        this.reportedOverlong = true;
        this.callbacks.overlong?.(this.line, end - start);
      }
      this.line++;
      return;
    }
    if (this.jsonLines) {
      let last = end - 1;
      if (last >= start && region[last] === 13) last--;
      if (last >= start && (region[start] !== 0x7b || region[last] !== 0x7d))
        this.callbacks.notJson?.(this.line, region.toString('utf8', start, last + 1));
    }
    this.line++;
  }
}
