/**
 * Reads one bundle member in a single pass: hashes it, detects its type from the first bytes, and
 * feeds the parser for that type. A gzip-compressed file (a rotated `0.log.20240112-100000.gz`) is
 * hashed as stored and parsed as what it holds. Snapshot files inside archives are also copied to
 * the private scratch folder so the snapshot decoder can open them by path.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { PendingEvent } from '../parse/event.js';
import {
  createFileParser,
  logProblems,
  type FileParser,
  type FileResult,
  type ParseLimits,
} from '../parse/file.js';
import { PooledLogScan } from '../parse/parallel-scan.js';
import { detectFileType, SNIFF_BYTES, type FileType } from '../parse/sniff.js';
import type { EventKind, ManifestEntry } from '../types/index.js';
import { describeGzipProblem, GunzipMembers, type GzipProblem } from './gunzip.js';
import { ratioRefusal, type BundleLimits } from './safety.js';

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

export interface MemberOptions {
  hash: boolean;
  onEvent?: (event: PendingEvent) => void;
  /** Awaited now and then while events are handed on: the consumer's output draining (see eachPaced). */
  pace?: () => Promise<void>;
  /** A private folder per archive folder (so a snapshot finds its .meta), or null not to copy snapshots. */
  scratchFolderFor: ((dir: string) => string) | null;
  /** Called after every chunk read (progress within a large file). */
  onChunk?: () => void;
  /** False: log events without their message (`events --count`). */
  messages?: boolean;
  /**
   * Classify a log's lines in the scan workers (`PooledLogScan`), its events to `onEvent` in order:
   * for a member read as a stream (archive, compressed file), which the workers cannot read by path.
   */
  pooled?: boolean;
  /**
   * With `pooled`: the workers only count a log's events, and the counts per kind come here instead
   * of its events to `onEvent` (`events --count`).
   */
  onCounts?: (counts: Partial<Record<EventKind, number>>) => void;
}

const SNAPSHOT_TYPES = new Set(['dqlite-snapshot', 'dqlite-snapshot-meta']);
const empty = (): FileResult => ({ events: [], facts: [], annotations: [], problems: [] });

/** Sniffs the first bytes, then parses (and, for snapshots in archives, copies) the content. */
class Content {
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private parser: FileParser | null = null;
  private pooled: PooledLogScan | null = null;
  type: FileType | null = null;
  private copyFd: number | null = null;
  copyPath: string | null = null;

  constructor(
    private readonly path: string,
    private readonly limits: ParseLimits,
    private readonly options: MemberOptions,
    private readonly onDisk: boolean,
  ) {}

  /** The chunk may be reused by the caller once this returns. */
  push(chunk: Buffer): void {
    if (this.pooled) {
      this.pooled.push(chunk);
      return;
    }
    if (this.parser) {
      this.parser.push(chunk);
      if (this.copyFd !== null) writeSync(this.copyFd, chunk);
      return;
    }
    this.head.push(Buffer.from(chunk));
    this.headBytes += chunk.length;
    if (this.headBytes >= SNIFF_BYTES) this.start();
  }

  private start(): void {
    const joined = Buffer.concat(this.head);
    this.head.length = 0;
    const type = detectFileType(this.path, joined.subarray(0, SNIFF_BYTES));
    this.type = type;
    const onEvent = this.options.onEvent;
    if (this.options.pooled && onEvent && type.handling === 'log') {
      const messages = this.options.messages !== false;
      const mode = this.options.onCounts ? 'count' : 'events';
      this.pooled = new PooledLogScan(
        { file: this.path, type, limits: this.limits, mode, messages },
        onEvent,
      );
      this.pooled.push(joined);
      return;
    }
    this.parser = createFileParser(this.path, type, this.limits, this.options.onEvent, {
      messages: this.options.messages,
    });
    const scratch = this.options.scratchFolderFor;
    if (SNAPSHOT_TYPES.has(type.id) && !this.onDisk && scratch) {
      const slash = this.path.lastIndexOf('/');
      this.copyPath = join(scratch(this.path.slice(0, slash + 1)), this.path.slice(slash + 1));
      this.copyFd = openSync(this.copyPath, 'wx', 0o600);
      writeSync(this.copyFd, joined);
    }
    this.parser.push(joined);
  }

  /** Resolves when the next chunk may be pushed (the scan workers keep a bounded number of runs). */
  async ready(): Promise<void> {
    await this.pooled?.ready();
  }

  async end(): Promise<FileResult> {
    if (!this.parser && !this.pooled) this.start();
    this.close();
    if (this.pooled) {
      const summary = await this.pooled.end();
      this.options.onCounts?.(this.pooled.counts);
      return { ...empty(), problems: logProblems(summary, this.limits) };
    }
    return (this.parser as FileParser | null)?.end() ?? empty();
  }

  close(): void {
    if (this.copyFd !== null) closeSync(this.copyFd);
    this.copyFd = null;
  }
}

/** True for a gzip-compressed single file (not a tarball, which would be a bundle of its own). */
function isCompressedFile(path: string, first: Buffer): boolean {
  return first[0] === 0x1f && first[1] === 0x8b && /\.gz$/i.test(path) && !/\.(?:tar\.gz|tgz)$/i.test(path);
}

/**
 * Decompresses into `content` as data arrives. The output is capped like an archive's: past the
 * floor it may not exceed the ratio to the compressed bytes read.
 */
class GunzipInto {
  private readonly gunzip = new GunzipMembers();
  private readonly drained: Promise<void>;
  private compressed = 0;
  private expanded = 0;
  bomb: string | null = null;

  constructor(
    private readonly content: Content,
    private readonly limits: Pick<BundleLimits, 'maxRatio' | 'ratioFloorBytes'>,
  ) {
    this.drained = (async () => {
      for await (const chunk of this.gunzip as AsyncIterable<Buffer>) {
        this.expanded += chunk.length;
        if (
          this.expanded > this.limits.ratioFloorBytes &&
          this.expanded > this.compressed * this.limits.maxRatio
        ) {
          this.bomb = ratioRefusal(this.limits, this.expanded);
          this.gunzip.destroy(new Error(this.bomb));
          return;
        }
        this.content.push(chunk);
        await this.content.ready();
      }
    })();
    // Errors surface through `end`; an early one must not be unhandled meanwhile.
    this.drained.catch(() => {});
  }

  async push(chunk: Buffer): Promise<void> {
    if (this.bomb) throw new Error(this.bomb);
    this.compressed += chunk.length;
    if (!this.gunzip.write(Buffer.from(chunk)))
      await Promise.race([once(this.gunzip, 'drain'), this.drained]);
  }

  /** Damage to the gzip data (the lines before it were read) once the data has ended, or null. */
  async end(): Promise<GzipProblem | null> {
    this.gunzip.end();
    await this.drained;
    if (this.bomb) throw new Error(this.bomb);
    return this.gunzip.problem;
  }
}

export async function readMember(
  input: MemberInput,
  limits: ParseLimits & Pick<BundleLimits, 'maxRatio' | 'ratioFloorBytes'>,
  options: MemberOptions,
): Promise<MemberOutput> {
  const hash = options.hash ? createHash('sha256') : null;
  const innerPath = input.path.replace(/\.gz$/i, '');
  let bytes = 0;
  let content: Content | null = null;
  let gunzip: GunzipInto | null = null;
  let readError: string | null = null;
  let gzipError: string | null = null;
  // A parser that throws is a bug, but only this file's parsing stops: hashing goes on.
  let parseError: string | null = null;
  const guard = async (work: () => void | Promise<void>) => {
    if (parseError) return;
    try {
      await work();
    } catch (error) {
      parseError = `not parsed: internal error in the ${content?.type?.id ?? 'file'} reader (${(error as Error).message}); hashed and listed only`;
      content?.close();
    }
  };
  let result: FileResult = empty();
  try {
    for await (const chunk of input.stream) {
      hash?.update(chunk);
      bytes += chunk.length;
      options.onChunk?.();
      await options.pace?.();
      if (!content) {
        const compressed = isCompressedFile(input.path, chunk);
        // Handed-over events name the file as stored too, like the result's below.
        const given = options.onEvent;
        const named =
          compressed && given
            ? {
                ...options,
                onEvent: (event: PendingEvent) => given({ ...event, file: input.path }),
              }
            : options;
        content = new Content(compressed ? innerPath : input.path, limits, named, Boolean(input.diskPath));
        if (compressed) gunzip = new GunzipInto(content, limits);
      }
      const current = content;
      if (!gunzip)
        await guard(async () => {
          current.push(chunk);
          await current.ready();
        });
      else if (!gzipError) {
        // A broken compressed stream ends the parsing, not the hashing: read on to the end.
        await gunzip.push(chunk).catch((error: Error) => {
          gzipError = error.message;
        });
      }
    }
    content ??= new Content(input.path, limits, options, Boolean(input.diskPath));
    let junk: string | null = null;
    if (gunzip && !gzipError) {
      const problem = await (gunzip as GunzipInto).end().catch((error: Error) => {
        gzipError = error.message;
        return null;
      });
      if (problem?.kind === 'junk') junk = describeGzipProblem(problem);
      else if (problem) gzipError = problem.detail;
    }
    const finished = content;
    await guard(async () => {
      result = await finished.end();
    });
    if (parseError) result = { ...empty(), problems: [parseError] };
    if (gunzip) {
      // Parsed content names the file as stored in the bundle.
      for (const item of [...result.events, ...result.facts, ...result.annotations]) item.file = input.path;
      if (gzipError)
        result.problems.push(
          `compressed data not read to the end (${gzipError}); lines before that were read`,
        );
      if (junk) result.problems.push(junk);
    }
  } catch (error) {
    readError = `read failed after ${bytes} bytes: ${(error as Error).message}`;
    content?.close();
  }
  const detected: FileType = content?.type ?? { id: bytes === 0 ? 'empty' : 'unknown', handling: 'hash' };
  if (readError) result = { ...empty(), problems: [readError] };
  if (detected.problem) result.problems.unshift(detected.problem);
  const unreadable = readError !== null;
  const sha256 = unreadable || !hash ? '' : hash.digest('hex');
  for (const fact of result.facts) fact.sha256 = sha256;
  const entry: ManifestEntry = {
    bundle: input.bundle,
    path: input.path,
    size: unreadable ? input.size : bytes,
    mtimeMs: input.mtimeMs,
    sha256,
    type: gunzip ? `${detected.id}+gzip` : detected.id,
  };
  if (result.problems.length > 0) entry.error = result.problems.join('; ');
  return {
    entry,
    result,
    readablePath: unreadable ? null : (input.diskPath ?? content?.copyPath ?? null),
    unreadable,
  };
}
