/** A bundle as a sequence of members, whatever its container (folder or archive). */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { stat } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { walkFolder } from './folder.js';
import type { BundleLimits } from './safety.js';
import { walkTar } from './tar.js';

export type BundleMember =
  | {
      kind: 'file';
      path: string;
      size: number;
      mtimeMs: number;
      /**
       * The data, read once; must be consumed before the next member is asked for. A chunk is valid
       * only until the next chunk is read (buffers are reused): copy what must outlive it.
       */
      stream: AsyncIterable<Buffer>;
      /** The file's own path when it is a file on disk (folder bundles), for readers that need one. */
      diskPath?: string;
    }
  | { kind: 'link'; path: string; target: string; mtimeMs: number }
  /** A member that cannot be read safely: it is named in the manifest with the problem. */
  | { kind: 'problem'; path: string; problem: string; size?: number; mtimeMs?: number };

export interface BundleWalk {
  container: 'folder' | 'tar' | 'tar.gz' | 'file';
  /** Bytes of the container read so far and in all (for progress). */
  progress(): { done: number; total: number | null };
  members: AsyncIterable<BundleMember>;
}

function readMagic(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(512);
    const length = readSync(fd, buffer, 0, 512, 0);
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

function isTarHeader(block: Buffer): boolean {
  return block.length >= 262 && block.toString('latin1', 257, 262) === 'ustar';
}

export async function openBundle(path: string, limits: BundleLimits): Promise<BundleWalk> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new UsageError(
      `${path}: cannot open bundle: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  if (info.isDirectory()) return walkFolder(path, limits);
  if (!info.isFile()) throw new UsageError(`${path}: not a folder, a file, a .tar or a .tar.gz`);
  const magic = readMagic(path);
  if (magic[0] === 0x1f && magic[1] === 0x8b) return walkTar(path, info.size, true, limits);
  if (isTarHeader(magic)) return walkTar(path, info.size, false, limits);
  return walkSingleFile(path, info.size, info.mtimeMs);
}

/** Chunk size for reading files on disk; one buffer is reused for the whole file. */
const READ_CHUNK = 1 << 20;

/**
 * Reads a file read-only into one reused buffer: fresh memory costs more than the reading itself
 * (first touch of every page), so the chunks yielded are only valid until the next one is asked for.
 */
export async function* readChunks(
  path: string | Buffer,
  counter?: { bytes: number },
): AsyncGenerator<Buffer> {
  // Synchronous reads: from the page cache they cost less than a thread-pool round trip per chunk.
  const fd = openSync(path, 'r');
  try {
    // Small files get small buffers (from Node's pool): a bundle of many small files stays cheap.
    const buffer = Buffer.allocUnsafe(Math.max(1, Math.min(READ_CHUNK, fstatSync(fd).size)));
    for (;;) {
      const bytesRead = readSync(fd, buffer, 0, buffer.length, null);
      if (bytesRead === 0) return;
      if (counter) counter.bytes += bytesRead;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    closeSync(fd);
  }
}

/** A lone file given as evidence: a bundle of one member named by its base name. */
function walkSingleFile(path: string, size: number, mtimeMs: number): BundleWalk {
  const read = { bytes: 0 };
  async function* members(): AsyncGenerator<BundleMember> {
    yield {
      kind: 'file',
      path: basename(path),
      size,
      mtimeMs,
      stream: readChunks(path, read),
      diskPath: path,
    };
  }
  return { container: 'file', progress: () => ({ done: read.bytes, total: size }), members: members() };
}

/** What the manifest records for a link: the sha256 of its target text (a link is not followed). */
export function linkDigest(target: string): string {
  return createHash('sha256').update(target).digest('hex');
}

/**
 * The one top folder all archive members share (`inspection-report/`), or null. Archives drop it so
 * that a folder and a tarball of it give the same paths.
 */
export function commonTopFolder(paths: string[]): string | null {
  const first = paths[0];
  if (first === undefined || !first.includes('/')) return null;
  const prefix = first.slice(0, first.indexOf('/') + 1);
  return paths.every((path) => path.startsWith(prefix)) ? prefix : null;
}

/** `path` without the archive's top folder (`''` when there is none). */
export function withoutTopFolder(path: string, top: string): string {
  return top && path.startsWith(top) ? path.slice(top.length) : path;
}
