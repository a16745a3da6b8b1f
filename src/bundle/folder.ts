/**
 * Walks a folder bundle read-only, in sorted order. Symbolic links are recorded, not followed; one
 * that leaves the bundle is a problem. Files that cannot be opened are named with the reason.
 *
 * Names are read as the bytes the file system keeps (Linux names need not be UTF-8) and files are
 * opened by those bytes: read as UTF-8 strings, two names that are not UTF-8 would both become
 * U+FFFD and one file's hash would be cited with the other's lines. A member's name is shown as an
 * archive member's is (nameFromBytes: `%XX` for each byte that is not UTF-8), and a real name that
 * reads the same is kept apart (MemberNames).
 */
import { lstat, open, readdir, readlink } from 'node:fs/promises';
import { sep } from 'node:path';
import { raiseWith } from '../limits.js';
import type { BundleLimits } from './safety.js';
import { linkStaysInside, MemberNames, nameFromBytes } from './safety.js';
import { readChunks, type BundleMember, type BundleWalk } from './source.js';

const SEPARATOR = Buffer.from(sep);

async function listFiles(root: Buffer): Promise<Buffer[]> {
  const found: Buffer[] = [];
  const visit = async (dir: Buffer): Promise<void> => {
    let names: Buffer[];
    try {
      names = (await readdir(dir, { encoding: 'buffer' })).sort(Buffer.compare);
    } catch {
      found.push(dir);
      return;
    }
    for (const name of names) {
      const full = Buffer.concat([dir, SEPARATOR, name]);
      const info = await lstat(full);
      if (info.isDirectory()) await visit(full);
      else found.push(full);
    }
  };
  await visit(root);
  return found;
}

/** Opens for reading only, first, so that open errors are caught before the member is handed on. */
async function openRead(path: Buffer, counter: { bytes: number }): Promise<AsyncIterable<Buffer>> {
  const probe = await open(path, 'r');
  await probe.close();
  return readChunks(path, counter);
}

/** The path as a string that opens the same file, or undefined when its bytes are not UTF-8. */
function asText(path: Buffer): string | undefined {
  const text = path.toString('utf8');
  return Buffer.from(text, 'utf8').equals(path) ? text : undefined;
}

export async function walkFolder(root: string, limits: BundleLimits): Promise<BundleWalk> {
  const rootBytes = Buffer.from(root);
  const files = await listFiles(rootBytes);
  let total = 0;
  for (const file of files) {
    const info = await lstat(file).catch(() => null);
    if (info?.isFile()) total += info.size;
  }
  const read = { bytes: 0 };
  async function* members(): AsyncGenerator<BundleMember> {
    let count = 0;
    let bytes = 0;
    const names = new MemberNames('folder');
    for (const file of files) {
      const relativeBytes = file.subarray(rootBytes.length + SEPARATOR.length);
      const claimed = names.claim(nameFromBytes(relativeBytes).split(sep).join('/'));
      if (claimed.problem) yield { kind: 'problem', path: '', problem: claimed.problem };
      const path = claimed.path;
      const info = await lstat(file);
      count++;
      if (count > limits.maxEntries) {
        yield {
          kind: 'problem',
          path,
          problem: `more than ${limits.maxEntries} files in the folder; the rest were not read (${raiseWith('maxEntries')})`,
        };
        return;
      }
      if (info.isSymbolicLink()) {
        const target = nameFromBytes(await readlink(file, { encoding: 'buffer' }));
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
          problem: `${info.size} bytes, over the ${limits.maxEntryBytes}-byte limit per file; not read (${raiseWith('maxEntryBytes')})`,
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
          problem: `the folder passes the ${limits.maxTotalBytes}-byte limit per bundle here; neither this file nor the rest was read (${raiseWith('maxTotalBytes')})`,
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
      // Readers that open the file by its path (the snapshot decoder) get a copy when it has no text path.
      yield { kind: 'file', path, size: info.size, mtimeMs: info.mtimeMs, stream, diskPath: asText(file) };
    }
  }
  return { container: 'folder', progress: () => ({ done: read.bytes, total }), members: members() };
}
