import { createHash } from 'node:crypto';
import { close, closeSync, constants, fstatSync, openSync, readSync, write } from 'node:fs';
import { join } from 'node:path';
import { EvidenceError } from '../../errors.js';
import { LIMITS, raiseWith } from '../../limits.js';
import type { ProgressCallback } from '../../types/index.js';
import { FsmFormatError, FsmPayloadParser, type DatabaseEntry } from '../../parse/dqlite/fsm-payload.js';
import type { ByteSink } from '../../parse/dqlite/lz4-frame.js';
import {
  LZ4_FRAME_MAGIC,
  Lz4FormatError,
  decodeLz4Frame,
  describeMagic,
  readLz4FrameHeader,
} from '../../parse/dqlite/lz4-frame.js';
import { SequentialReader } from '../../parse/dqlite/reader.js';

/** Default cap on decompressed output: a real snapshot is a few hundred MB; a bomb stops here. */
export const DEFAULT_MAX_OUTPUT_BYTES = LIMITS.maxOutputBytes.default;

/**
 * Most databases one snapshot may hold (maxDatabases). dqlite clusters hold one (`k8s`) or a few;
 * each database becomes a scratch file and an SQLite connection, so thousands declared in a 36 KB
 * file are refused rather than opened.
 */
export const DEFAULT_MAX_DATABASES = LIMITS.maxDatabases.default;

export interface MaterializedDatabase extends DatabaseEntry {
  /** Scratch SQLite main file; `${mainPath}-wal` exists when walBytes > 0. */
  mainPath: string;
}

export interface MaterializedSnapshot {
  sha256: string;
  bytes: number;
  mtimeMs: number;
  compressed: boolean;
  payloadBytes: number;
  databases: MaterializedDatabase[];
  warnings: string[];
}

/**
 * Writes a stream of chunks to a new file at explicit offsets on libuv's thread pool, so the disk
 * write of one chunk overlaps the decoding of the next. Each write's promise settles when the
 * caller's bytes are no longer needed.
 */
class ScratchFileWriter {
  private offset = 0;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(readonly fd: number) {}

  readonly write: ByteSink = (bytes, start, end) => {
    const position = this.offset;
    this.offset += end - start;
    const done = new Promise<void>((resolve, reject) => {
      const writeFrom = (from: number): void => {
        write(this.fd, bytes, from, end - from, position + (from - start), (error, written) => {
          if (error) reject(error);
          else if (from + written < end) writeFrom(from + written);
          else resolve();
        });
      };
      writeFrom(start);
    });
    this.inFlight.add(done);
    done.then(
      () => this.inFlight.delete(done),
      () => {}, // the caller awaits it and sees the error
    );
    return done;
  };

  /** Waits for every write, then closes the file; never leaves a write running on a closed fd. */
  async close(): Promise<void> {
    const results = await Promise.allSettled([...this.inFlight]);
    await new Promise<void>((resolve) => close(this.fd, () => resolve()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}

/**
 * Decodes the evidence file `path` (opened O_RDONLY, never written) into `dir`: one `db-N.sqlite`
 * (+ `-wal`) per database. The evidence is read once, front to back; its sha256 is taken on the
 * same pass. Bad input throws EvidenceError naming `displayName`.
 */
export async function materializeSnapshot(
  path: string,
  dir: string,
  displayName: string,
  maxOutputBytes: number,
  onProgress?: ProgressCallback,
  maxDatabases = DEFAULT_MAX_DATABASES,
): Promise<MaterializedSnapshot> {
  const fd = openSync(path, constants.O_RDONLY);
  const writers: ScratchFileWriter[] = [];
  // A database's files are closed as soon as the next one starts, not all held to the end.
  const closing: Promise<void>[] = [];
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new EvidenceError(displayName, 'not a regular file');
    if (stat.size === 0) throw new EvidenceError(displayName, 'empty file (0 bytes), not a dqlite snapshot');
    const hash = createHash('sha256');
    const reader = new SequentialReader(fd, stat.size, (chunk) => {
      hash.update(chunk);
      onProgress?.(reader.filePosition + chunk.length, stat.size, displayName);
    });
    const warnings: string[] = [];
    const databases: MaterializedDatabase[] = [];
    const openDatabase = (entry: DatabaseEntry) => {
      if (databases.length >= maxDatabases)
        throw new FsmFormatError(
          `snapshot holds more than ${maxDatabases} databases; dqlite writes one or a few (${raiseWith('maxDatabases')})`,
        );
      for (const writer of writers.splice(0)) closing.push(writer.close());
      const mainPath = join(dir, `db-${databases.length}.sqlite`);
      databases.push({ ...entry, mainPath });
      const main = new ScratchFileWriter(openSync(mainPath, 'wx', 0o600));
      writers.push(main);
      if (entry.walBytes === 0) return { main: main.write, wal: () => {} };
      const wal = new ScratchFileWriter(openSync(`${mainPath}-wal`, 'wx', 0o600));
      writers.push(wal);
      return { main: main.write, wal: wal.write };
    };

    if (!reader.need(8)) {
      throw new EvidenceError(displayName, `not a dqlite snapshot: only ${stat.size} bytes`);
    }
    const compressed = reader.buffer.readUInt32LE(reader.start) === LZ4_FRAME_MAGIC;
    const startsWithFormat1 = reader.buffer.readBigUInt64LE(reader.start) === 1n;
    if (!compressed && !startsWithFormat1) {
      throw new EvidenceError(
        displayName,
        `not a dqlite snapshot: starts with ${describeMagic(reader.buffer.subarray(reader.start, reader.start + 4))}, neither an LZ4 frame (04 22 4d 18) nor dqlite snapshot format 1`,
      );
    }
    let payloadBytes: number;
    try {
      if (compressed) {
        const header = readLz4FrameHeader(reader);
        if (header.contentSize !== null && header.contentSize > maxOutputBytes) {
          throw new Lz4FormatError(
            `LZ4 frame declares ${header.contentSize} bytes of content, over the ${maxOutputBytes}-byte cap (decompression bomb?); raise it with --max-output if the snapshot is genuine`,
          );
        }
        const parser = new FsmPayloadParser(openDatabase, header.contentSize);
        payloadBytes = (await decodeLz4Frame(reader, header, parser.write, maxOutputBytes)).outputBytes;
        parser.finish();
        const trailing = reader.drain();
        if (trailing > 0)
          warnings.push(`${trailing} bytes after the LZ4 frame were ignored (raft writes one frame)`);
      } else {
        const parser = new FsmPayloadParser(openDatabase, stat.size);
        // The payload is the file: pass each read straight to the scratch writers, rotating three
        // read buffers so reading the next chunk overlaps writing the last ones.
        const buffers = [
          reader.buffer,
          Buffer.allocUnsafe(reader.buffer.length),
          Buffer.allocUnsafe(reader.buffer.length),
        ];
        const pending = new Map<Buffer, Promise<void>>();
        for (let turn = 1; reader.need(1); turn++) {
          const wait = parser.write(reader.buffer, reader.start, reader.end);
          reader.skip(reader.available);
          if (wait) {
            wait.catch(() => {}); // awaited below; this only keeps it from counting as unhandled
            pending.set(reader.buffer, wait);
          }
          const next = buffers[turn % buffers.length] as Buffer;
          await pending.get(next);
          pending.delete(next);
          reader.useBuffer(next);
        }
        await Promise.all(pending.values());
        parser.finish();
        payloadBytes = stat.size;
      }
      // Every byte must be on disk before SQLite opens the files.
      await Promise.all([...closing.splice(0), ...writers.splice(0).map((writer) => writer.close())]);
    } catch (error) {
      if (error instanceof Lz4FormatError || error instanceof FsmFormatError) {
        throw new EvidenceError(displayName, error.message);
      }
      throw error;
    }
    return {
      sha256: hash.digest('hex'),
      bytes: stat.size,
      mtimeMs: stat.mtimeMs,
      compressed,
      payloadBytes,
      databases,
      warnings,
    };
  } finally {
    await Promise.allSettled([...closing, ...writers.map((writer) => writer.close())]);
    closeSync(fd);
  }
}

/** Page size from page 1 (bytes 16–17, big-endian; 1 means 65536), or null for an empty main file. */
export function readPageSize(mainPath: string): number | null {
  const fd = openSync(mainPath, constants.O_RDONLY);
  try {
    const header = Buffer.alloc(100);
    if (readSync(fd, header, 0, 100, 0) < 100) return null;
    const raw = header.readUInt16BE(16);
    return raw === 1 ? 65536 : raw;
  } finally {
    closeSync(fd);
  }
}
