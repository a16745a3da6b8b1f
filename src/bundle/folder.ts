/**
 * Walks a folder bundle read-only, in sorted order. Symbolic links are recorded, not followed; one
 * that leaves the bundle is a problem. Files that cannot be opened are named with the reason.
 */
import { lstat, open, readdir, readlink } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { BundleLimits } from './safety.js';
import { linkStaysInside } from './safety.js';
import { readChunks, type BundleMember, type BundleWalk } from './source.js';

async function listFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  const visit = async (dir: string): Promise<void> => {
    let names: string[];
    try {
      names = (await readdir(dir)).sort();
    } catch {
      found.push(dir);
      return;
    }
    for (const name of names) {
      const full = join(dir, name);
      const info = await lstat(full);
      if (info.isDirectory()) await visit(full);
      else found.push(full);
    }
  };
  await visit(root);
  return found;
}

/** Opens for reading only, first, so that open errors are caught before the member is handed on. */
async function openRead(path: string, counter: { bytes: number }): Promise<AsyncIterable<Buffer>> {
  const probe = await open(path, 'r');
  await probe.close();
  return readChunks(path, counter);
}

export async function walkFolder(root: string, limits: BundleLimits): Promise<BundleWalk> {
  const files = await listFiles(root);
  let total = 0;
  for (const file of files) {
    const info = await lstat(file).catch(() => null);
    if (info?.isFile()) total += info.size;
  }
  const read = { bytes: 0 };
  async function* members(): AsyncGenerator<BundleMember> {
    let count = 0;
    let bytes = 0;
    for (const file of files) {
      const path = relative(root, file).split(sep).join('/');
      const info = await lstat(file);
      count++;
      if (count > limits.maxEntries) {
        yield {
          kind: 'problem',
          path,
          problem: `more than ${limits.maxEntries} files in the bundle; the rest were not read`,
        };
        return;
      }
      if (info.isSymbolicLink()) {
        const target = await readlink(file);
        if (!linkStaysInside(path, target)) {
          yield {
            kind: 'problem',
            path,
            problem: `symbolic link to '${target}' leaves the bundle; not followed`,
            mtimeMs: info.mtimeMs,
          };
        } else {
          yield { kind: 'link', path, target, mtimeMs: info.mtimeMs };
        }
        continue;
      }
      if (info.isDirectory()) {
        yield {
          kind: 'problem',
          path,
          problem: 'cannot list folder; its files were not read',
          mtimeMs: info.mtimeMs,
        };
        continue;
      }
      if (!info.isFile()) {
        yield {
          kind: 'problem',
          path,
          problem: 'not a regular file (device, socket or pipe); not read',
          mtimeMs: info.mtimeMs,
        };
        continue;
      }
      if (info.size > limits.maxEntryBytes) {
        yield {
          kind: 'problem',
          path,
          problem: `larger than the ${limits.maxEntryBytes}-byte cap per file; not read`,
          size: info.size,
          mtimeMs: info.mtimeMs,
        };
        continue;
      }
      bytes += info.size;
      if (bytes > limits.maxTotalBytes) {
        yield {
          kind: 'problem',
          path,
          problem: `bundle exceeds the ${limits.maxTotalBytes}-byte cap; the rest were not read`,
        };
        return;
      }
      let stream: AsyncIterable<Buffer>;
      try {
        stream = await openRead(file, read);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        yield {
          kind: 'problem',
          path,
          problem: `cannot read (${code ?? (error as Error).message})`,
          size: info.size,
          mtimeMs: info.mtimeMs,
        };
        continue;
      }
      yield { kind: 'file', path, size: info.size, mtimeMs: info.mtimeMs, stream, diskPath: file };
    }
  }
  return { container: 'folder', progress: () => ({ done: read.bytes, total }), members: members() };
}
