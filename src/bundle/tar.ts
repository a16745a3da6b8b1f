/**
 * Streams a .tar or .tar.gz bundle (tar-stream over GunzipMembers) without extracting it: each
 * member is checked (absolute paths, `..`, links leaving the bundle), counted against the size caps
 * and the decompression ratio, and handed on as a stream. A truncated or corrupt archive ends the
 * walk with a problem; the members read before it stay, and junk after the gzip data is named while
 * every member before it is read.
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import type tar from 'tar-stream';
import { describeGzipProblem, GunzipMembers } from './gunzip.js';
import type { BundleLimits } from './safety.js';
import { raiseWith } from '../limits.js';
import {
  MemberNames,
  linkStaysInside,
  nameFromBytes,
  ratioRefusal,
  safeMemberPath,
  shortName,
} from './safety.js';
import type { BundleMember, BundleWalk } from './source.js';
import { tarStream } from '../lazy-packages.js';

function describeError(error: Error, gzip: boolean): string {
  if (/unexpected end of data/i.test(error.message))
    return `truncated tar${gzip ? ' inside the gzip' : ''} (unexpected end of data)`;
  return error.message;
}

export function walkTar(path: string, size: number, gzip: boolean, limits: BundleLimits): BundleWalk {
  let compressedRead = 0;
  async function* members(): AsyncGenerator<BundleMember> {
    const file = createReadStream(path, { flags: 'r', highWaterMark: 1 << 20 });
    file.on('data', (chunk) => {
      compressedRead += chunk.length;
    });
    // Names as their bytes (latin1 maps each byte to one char); PAX paths are UTF-8 by the standard.
    const extract = tarStream().extract({ filenameEncoding: 'latin1' } as Parameters<typeof tar.extract>[0]);
    const names = new MemberNames();
    let failure: Error | null = null;
    const gunzip = gzip ? new GunzipMembers() : null;
    const stages = gunzip ? [file, gunzip, extract] : [file, extract];
    // Damaged gzip data ends the tar data early: the tar reader's "unexpected end" is its consequence.
    const gzipProblem = () => {
      const problem = gunzip?.problem;
      return problem && problem.kind !== 'junk' ? describeGzipProblem(problem) : null;
    };
    // @ts-expect-error pipeline's overloads do not take a spread of stages
    pipeline(...stages, (error: Error | null) => {
      if (error) failure = error;
    });
    let count = 0;
    let expanded = 0;
    let bomb: string | null = null;
    let ending: string | null = null;
    try {
      for await (const entry of extract) {
        const header = entry.header;
        count++;
        const rawName =
          (header.pax as Record<string, string> | undefined)?.path ??
          nameFromBytes(Buffer.from(header.name, 'latin1'));
        const mtimeMs = header.mtime ? header.mtime.getTime() : 0;
        const nameBytes = Buffer.byteLength(rawName);
        if (nameBytes > limits.maxPathBytes) {
          entry.resume();
          const claimed = names.claim(shortName(rawName));
          yield {
            kind: 'problem',
            path: claimed.path,
            problem: `member name is ${nameBytes} bytes long, over the ${limits.maxPathBytes}-byte limit; not read (${raiseWith('maxPathBytes')})`,
            size: header.size ?? 0,
            mtimeMs,
          };
          continue;
        }
        const checked = safeMemberPath(rawName);
        const claimed = 'path' in checked ? names.claim(checked.path) : null;
        if (claimed?.problem) yield { kind: 'problem', path: '', problem: claimed.problem };
        const safe = claimed ? { path: claimed.path } : (checked as { problem: string });
        if (count > limits.maxEntries) {
          entry.resume();
          yield {
            kind: 'problem',
            path: '',
            problem: `more than ${limits.maxEntries} members; the rest were not read (${raiseWith('maxEntries')})`,
          };
          break;
        }
        if ('problem' in safe) {
          entry.resume();
          yield {
            kind: 'problem',
            path: names.claim(shortName(rawName)).path,
            problem: safe.problem,
            mtimeMs,
          };
          continue;
        }
        if (header.type === 'directory') {
          entry.resume();
          continue;
        }
        if (header.type === 'symlink' || header.type === 'link') {
          entry.resume();
          const target =
            (header.pax as Record<string, string> | undefined)?.linkpath ??
            (header.linkname ? nameFromBytes(Buffer.from(header.linkname, 'latin1')) : '');
          const inside =
            header.type === 'symlink' ? linkStaysInside(safe.path, target) : 'path' in safeMemberPath(target);
          yield inside
            ? { kind: 'link', path: safe.path, target, mtimeMs }
            : {
                kind: 'problem',
                path: safe.path,
                problem: `link to '${target}' leaves the bundle; not followed`,
                mtimeMs,
              };
          continue;
        }
        if (header.type !== 'file' && header.type !== 'contiguous-file') {
          entry.resume();
          yield {
            kind: 'problem',
            path: safe.path,
            problem: `tar member of type ${header.type}; not read`,
            mtimeMs,
          };
          continue;
        }
        const memberSize = header.size ?? 0;
        // Skipping a member of a compressed stream means decompressing it all: the walk stops here.
        const overFile = memberSize > limits.maxEntryBytes;
        if (overFile || expanded + memberSize > limits.maxTotalBytes) {
          yield {
            kind: 'problem',
            path: safe.path,
            problem: overFile
              ? `${memberSize} bytes, over the ${limits.maxEntryBytes}-byte limit per file; neither it nor the rest of the archive was read (${raiseWith('maxEntryBytes')})`
              : `the archive passes the ${limits.maxTotalBytes}-byte limit per bundle here; neither this member nor the rest was read (${raiseWith('maxTotalBytes')})`,
            size: memberSize,
            mtimeMs,
          };
          return;
        }
        let started = false;
        async function* guarded(): AsyncGenerator<Buffer> {
          started = true;
          for await (const chunk of entry as AsyncIterable<Buffer>) {
            expanded += chunk.length;
            if (gzip && expanded > limits.ratioFloorBytes && expanded > compressedRead * limits.maxRatio) {
              // The member's reader names it (as unreadable) with this: the archive needs no line of its own.
              bomb = ratioRefusal(limits, expanded, ', and the rest of the archive was not read');
              throw new Error(bomb);
            }
            yield chunk;
          }
        }
        yield { kind: 'file', path: safe.path, size: memberSize, mtimeMs, stream: guarded() };
        if (bomb) break;
        // A member nobody read must still be skipped before the next header can be read.
        if (!started) for await (const _chunk of entry as AsyncIterable<Buffer>);
      }
    } catch (error) {
      ending = gzipProblem() ?? describeError(failure ?? (error as Error), gzip);
    } finally {
      file.destroy();
      extract.destroy();
    }
    if (!bomb) ending ??= failure ? (gzipProblem() ?? describeError(failure, gzip)) : gzipProblem();
    if (ending) yield { kind: 'problem', path: '', problem: ending };
    // Junk after the gzip data is named whatever else happened: it cost nothing before it.
    if (gunzip?.problem?.kind === 'junk')
      yield { kind: 'problem', path: '', problem: describeGzipProblem(gunzip.problem) };
  }
  return {
    container: gzip ? 'tar.gz' : 'tar',
    progress: () => ({ done: compressedRead, total: size }),
    members: members(),
  };
}
