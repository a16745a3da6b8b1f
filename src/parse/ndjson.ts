/**
 * NDJSON text kept as UTF-8 bytes from the moment it is written: a scan worker's finished events go
 * to the main thread as Buffers moved by postMessage's transfer list (not copied), and from there
 * to stdout as they are. Posted as strings, a run's NDJSON (about 2 MB per MiB of a dense log) was
 * copied by the structured clone, kept alive (and copied by every scavenge) until the run ended,
 * then encoded to UTF-8 again by the main thread's write.
 */

/** Bytes per chunk: a dense log's run of 1 MiB writes about 2 MB of NDJSON. */
const CHUNK_BYTES = 1 << 20;

export class NdjsonBytes {
  private chunk: Buffer | null = null;
  /** Where the next write goes in `chunk`. */
  private at = 0;
  /** The start of the bytes of `chunk` not yet taken. */
  private from = 0;
  private views: Uint8Array[] = [];
  private memory: ArrayBuffer[] = [];

  constructor(private readonly chunkBytes = CHUNK_BYTES) {}

  /**
   * Appends `text` (whole lines; a lone surrogate would be written as U+FFFD, so JSON text only,
   * where they are escaped). Best written in pieces of many lines: each write is a call into Node's
   * encoder, which costs about as much as encoding 200 characters.
   */
  write(text: string): void {
    let chunk = this.chunk;
    // A UTF-16 unit is at most 3 bytes of UTF-8; measured exactly only when that may not fit.
    if (
      chunk === null ||
      (this.at + text.length * 3 > chunk.length && this.at + Buffer.byteLength(text) > chunk.length)
    )
      chunk = this.next(Buffer.byteLength(text));
    this.at += chunk.write(text, this.at);
  }

  /** The bytes written since the last call, in order, as views of the chunks ([] if none). */
  take(): Uint8Array[] {
    this.cut();
    const views = this.views;
    this.views = [];
    return views;
  }

  /**
   * The memory of every chunk written to since the last call (a postMessage transfer list, after
   * which they are no longer this thread's): later writes go to new chunks.
   */
  release(): ArrayBuffer[] {
    const memory = this.memory;
    this.memory = [];
    this.chunk = null;
    this.at = 0;
    this.from = 0;
    return memory;
  }

  private cut(): void {
    if (this.chunk !== null && this.at > this.from) this.views.push(this.chunk.subarray(this.from, this.at));
    this.from = this.at;
  }

  private next(bytes: number): Buffer {
    this.cut();
    // Not pooled: its memory is its own to transfer.
    const chunk = Buffer.allocUnsafeSlow(Math.max(this.chunkBytes, bytes));
    this.chunk = chunk;
    this.memory.push(chunk.buffer as ArrayBuffer);
    this.at = 0;
    this.from = 0;
    return chunk;
  }
}
