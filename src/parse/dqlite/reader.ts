import { readSync } from 'node:fs';

/**
 * Reads a file front to back through one reused buffer, so a 215 MB snapshot never sits in memory
 * whole. Every byte read is shown once to `onRead` (the sha256 of the evidence is taken on the same
 * pass). Callers ask for `need(n)` bytes and then read `buffer[start .. start + n)`.
 */
export class SequentialReader {
  buffer: Buffer;
  /** First unconsumed byte in `buffer`. */
  start = 0;
  /** End of valid bytes in `buffer`. */
  end = 0;
  /** Bytes of the file read into the buffer so far. */
  filePosition = 0;

  constructor(
    private readonly fd: number,
    readonly fileSize: number,
    private readonly onRead: (chunk: Buffer) => void,
    chunkBytes = 1 << 20,
  ) {
    this.buffer = Buffer.allocUnsafe(chunkBytes);
  }

  get available(): number {
    return this.end - this.start;
  }

  /** File offset of `buffer[start]`, for error messages. */
  get offset(): number {
    return this.filePosition - this.available;
  }

  /** Makes at least `n` bytes available; false when the file ends first. */
  need(n: number): boolean {
    if (this.available >= n) return true;
    if (n > this.buffer.length) {
      const bigger = Buffer.allocUnsafe(Math.max(n, this.buffer.length * 2));
      this.buffer.copy(bigger, 0, this.start, this.end);
      this.buffer = bigger;
    } else {
      this.buffer.copy(this.buffer, 0, this.start, this.end);
    }
    this.end -= this.start;
    this.start = 0;
    while (this.end < n && this.filePosition < this.fileSize) {
      const read = readSync(this.fd, this.buffer, this.end, this.buffer.length - this.end, this.filePosition);
      if (read === 0) break;
      this.onRead(this.buffer.subarray(this.end, this.end + read));
      this.end += read;
      this.filePosition += read;
    }
    return this.available >= n;
  }

  skip(n: number): void {
    this.start += n;
  }

  /**
   * Reads on into `buffer` from now on, leaving the current one to whoever still holds it (an
   * asynchronous write). Only allowed once everything read so far has been consumed.
   */
  useBuffer(buffer: Buffer): void {
    if (this.available > 0) throw new Error('SequentialReader.useBuffer with unconsumed bytes');
    this.buffer = buffer;
    this.start = this.end = 0;
  }

  /** Reads (and so hashes) whatever is left; returns how many bytes that was. */
  drain(): number {
    let rest = this.available;
    this.start = this.end = 0;
    while (this.filePosition < this.fileSize) {
      const read = readSync(this.fd, this.buffer, 0, this.buffer.length, this.filePosition);
      if (read === 0) break;
      this.onRead(this.buffer.subarray(0, read));
      this.filePosition += read;
      rest += read;
    }
    return rest;
  }
}
