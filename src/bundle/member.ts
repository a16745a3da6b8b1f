/**
 * Reads one bundle member in a single pass: hashes it, detects its type from the first bytes, and
 * feeds the parser for that type. Snapshot files inside archives are also copied to the private
 * scratch folder so the snapshot decoder can open them by path.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { PendingEvent } from '../parse/event.js';
import { createFileParser, type FileParser, type FileResult, type ParseLimits } from '../parse/file.js';
import { detectFileType, SNIFF_BYTES, type FileType } from '../parse/sniff.js';
import type { ManifestEntry } from '../types/index.js';

export interface MemberInput {
  bundle: string;
  path: string;
  size: number;
  mtimeMs: number;
  stream: AsyncIterable<Buffer>;
  diskPath?: string;
}

export interface MemberOutput {
  entry: ManifestEntry;
  result: FileResult;
  /** Where the snapshot decoder can read this file (the original in a folder, a scratch copy otherwise). */
  readablePath: string | null;
  /** True when the data could not be read to the end; earlier case rows for the file are kept. */
  unreadable: boolean;
}

const SNAPSHOT_TYPES = new Set(['dqlite-snapshot', 'dqlite-snapshot-meta']);

/** `scratchFolderFor(dir)` gives a private folder per archive folder, so a snapshot finds its .meta. */
export async function readMember(
  input: MemberInput,
  limits: ParseLimits,
  scratchFolderFor: ((dir: string) => string) | null,
  options: { hash: boolean; onEvent?: (event: PendingEvent) => void } = { hash: true },
): Promise<MemberOutput> {
  const hash = options.hash ? createHash('sha256') : null;
  const head: Buffer[] = [];
  let headBytes = 0;
  let bytes = 0;
  let type: FileType | null = null;
  let parser: FileParser | null = null;
  let copyFd: number | null = null;
  let copyPath: string | null = null;

  const start = () => {
    const joined = Buffer.concat(head);
    type = detectFileType(input.path, joined.subarray(0, SNIFF_BYTES));
    parser = createFileParser(input.path, type, limits, options.onEvent);
    if (SNAPSHOT_TYPES.has(type.id) && !input.diskPath && scratchFolderFor) {
      const folder = scratchFolderFor(input.path.slice(0, input.path.lastIndexOf('/') + 1));
      copyPath = join(folder, input.path.slice(input.path.lastIndexOf('/') + 1));
      copyFd = openSync(copyPath, 'wx', 0o600);
      writeSync(copyFd, joined);
    }
    parser.push(joined);
  };

  let readError: string | null = null;
  try {
    for await (const chunk of input.stream) {
      hash?.update(chunk);
      bytes += chunk.length;
      if (parser) {
        (parser as FileParser).push(chunk);
        if (copyFd !== null) writeSync(copyFd, chunk);
      } else {
        // Chunks are reused by the reader: keep a copy of the head.
        head.push(Buffer.from(chunk));
        headBytes += chunk.length;
        if (headBytes >= SNIFF_BYTES) start();
      }
    }
    if (!parser) start();
  } catch (error) {
    readError = `read failed after ${bytes} bytes: ${(error as Error).message}`;
  } finally {
    if (copyFd !== null) closeSync(copyFd);
  }
  const detected = (type ?? { id: 'unknown', handling: 'hash' }) as FileType;
  const result: FileResult = readError
    ? { events: [], facts: [], annotations: [], problems: [readError] }
    : ((parser as FileParser | null)?.end() ?? { events: [], facts: [], annotations: [], problems: [] });
  if (detected.problem) result.problems.unshift(detected.problem);
  const sha256 = readError || !hash ? '' : hash.digest('hex');
  for (const fact of result.facts) fact.sha256 = sha256;
  const entry: ManifestEntry = {
    bundle: input.bundle,
    path: input.path,
    size: readError ? input.size : bytes,
    mtimeMs: input.mtimeMs,
    sha256,
    type: detected.id,
  };
  if (result.problems.length > 0) entry.error = result.problems.join('; ');
  return {
    entry,
    result,
    readablePath: readError ? null : (input.diskPath ?? copyPath),
    unreadable: readError !== null,
  };
}
