/**
 * Records kept on disk, one JSON object per line, in a private temp folder, until they can be
 * finished or filtered: events whose time needs the end of the bundle, events waiting for the case
 * transaction. Read back in the order written, synchronously (so a store transaction can take them
 * one at a time); `close` removes the folder.
 */
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { makeScratchDir, removeScratchDir } from '../scratch.js';

const FLUSH_CHARS = 1 << 20;
const READ_BYTES = 1 << 20;

export class Spill<T> {
  private folder: string | null = null;
  private fd: number | null = null;
  private buffered: string[] = [];
  private bufferedChars = 0;
  count = 0;

  private get path(): string {
    this.folder ??= makeScratchDir('spill');
    return join(this.folder, 'records.ndjson');
  }

  write(record: T): void {
    const line = `${JSON.stringify(record)}\n`;
    this.buffered.push(line);
    this.bufferedChars += line.length;
    this.count++;
    if (this.bufferedChars >= FLUSH_CHARS) this.flush();
  }

  private flush(): void {
    if (this.buffered.length === 0) return;
    this.fd ??= openSync(this.path, 'wx', 0o600);
    writeSync(this.fd, this.buffered.join(''));
    this.buffered = [];
    this.bufferedChars = 0;
  }

  /** Every record written, in order, then the spill is empty again (ready to be written anew). */
  *drain(): Generator<T> {
    if (this.count === 0) return;
    if (this.fd === null) {
      // Never flushed: everything is still in memory.
      const lines = this.buffered;
      this.buffered = [];
      this.bufferedChars = 0;
      this.count = 0;
      for (const line of lines) yield JSON.parse(line) as T;
      return;
    }
    this.flush();
    closeSync(this.fd);
    this.fd = null;
    const path = this.path;
    const fd = openSync(path, 'r');
    try {
      const buffer = Buffer.alloc(READ_BYTES);
      // Bytes of a line cut by the end of a read, kept as bytes so a character split across reads is whole.
      let rest: Buffer = Buffer.alloc(0);
      for (;;) {
        const read = readSync(fd, buffer, 0, buffer.length, null);
        if (read === 0) break;
        const chunk =
          rest.length > 0 ? Buffer.concat([rest, buffer.subarray(0, read)]) : buffer.subarray(0, read);
        let start = 0;
        for (let end = chunk.indexOf(10, start); end !== -1; end = chunk.indexOf(10, start)) {
          yield JSON.parse(chunk.toString('utf8', start, end)) as T;
          start = end + 1;
        }
        rest = Buffer.from(chunk.subarray(start));
      }
    } finally {
      closeSync(fd);
      rmSync(path, { force: true });
      this.count = 0;
    }
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    this.buffered = [];
    this.bufferedChars = 0;
    if (this.folder) removeScratchDir(this.folder);
    this.folder = null;
  }
}
