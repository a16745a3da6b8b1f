import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { EvidenceError } from '../../errors.js';
import type { ProgressCallback } from '../../types/index.js';
import { FsmFormatError, FsmPayloadParser, type DatabaseEntry } from '../../parse/dqlite/fsm-payload.js';
import {
  LZ4_FRAME_MAGIC,
  Lz4FormatError,
  decodeLz4Frame,
  describeMagic,
  readLz4FrameHeader,
} from '../../parse/dqlite/lz4-frame.js';
import { SequentialReader } from '../../parse/dqlite/reader.js';

/** Default cap on decompressed output: a real snapshot is a few hundred MB; a bomb stops here. */
export const DEFAULT_MAX_OUTPUT_BYTES = 4 * 1024 ** 3;

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
 * Decodes the evidence file `path` (opened O_RDONLY, never written) into `dir`: one `db-N.sqlite`
 * (+ `-wal`) per database. The evidence is read once, front to back; its sha256 is taken on the
 * same pass. Bad input throws EvidenceError naming `displayName`.
 */
export function materializeSnapshot(
  path: string,
  dir: string,
  displayName: string,
  maxOutputBytes: number,
  onProgress?: ProgressCallback,
): MaterializedSnapshot {
  const fd = openSync(path, constants.O_RDONLY);
  const openFds: number[] = [];
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
      const mainPath = join(dir, `db-${databases.length}.sqlite`);
      databases.push({ ...entry, mainPath });
      const mainFd = openSync(mainPath, 'wx', 0o600);
      openFds.push(mainFd);
      const walFd = entry.walBytes > 0 ? openSync(`${mainPath}-wal`, 'wx', 0o600) : -1;
      if (walFd >= 0) openFds.push(walFd);
      const writer = (target: number) => (bytes: Buffer, start: number, end: number) => {
        let at = start;
        while (at < end) at += writeSync(target, bytes, at, end - at);
      };
      return { main: writer(mainFd), wal: walFd >= 0 ? writer(walFd) : () => {} };
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
        payloadBytes = decodeLz4Frame(reader, header, parser.write, maxOutputBytes).outputBytes;
        parser.finish();
        const trailing = reader.drain();
        if (trailing > 0)
          warnings.push(`${trailing} bytes after the LZ4 frame were ignored (raft writes one frame)`);
      } else {
        const parser = new FsmPayloadParser(openDatabase, stat.size);
        while (reader.need(1)) {
          parser.write(reader.buffer, reader.start, reader.end);
          reader.skip(reader.available);
        }
        parser.finish();
        payloadBytes = stat.size;
      }
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
    for (const openFd of openFds) closeSync(openFd);
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
