/**
 * The lines around a cited line, read back from the evidence (read-only) so a reader of the PIR can
 * check a claim, with secrets redacted as ingest redacts them: the file is found in its bundle by its
 * path inside the bundle, re-hashed as it is read, and the hash is compared with the one the case
 * recorded. A gzip-compressed member is read decompressed, as ingest numbered its lines.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { lineRedactor } from '../parse/redact.js';
import { GunzipMembers } from './gunzip.js';
import { openBundle } from './source.js';
import { DEFAULT_BUNDLE_LIMITS } from './safety.js';

/** Lines shown before and after the cited line. */
export const EXCERPT_CONTEXT = 20;
/** Characters of one line shown; evidence lines can be megabytes long. */
const LINE_CAP = 2000;

export interface ExcerptRequest {
  bundle: string;
  /** Path inside the bundle, as cited. */
  path: string;
  /** sha256 the case recorded for the file. */
  sha256: string;
  /** 1-based lines cited in this file. */
  lines: number[];
}

export interface Excerpt {
  bundle: string;
  path: string;
  sha256: string;
  /** Whether the file as read now still has the recorded sha256 (null: it could not be read). */
  unchanged: boolean | null;
  /** Why it could not be read, when it could not. */
  problem?: string;
  /** Line number → text, for every line within EXCERPT_CONTEXT of a cited line. */
  text: Map<number, string>;
}

function wanted(lines: number[], context: number): (line: number) => boolean {
  const ranges = lines.map((line) => [line - context, line + context] as const);
  return (line) => ranges.some(([from, to]) => line >= from && line <= to);
}

async function* gunzipped(stream: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  // The walker reuses its chunk buffers: copy each before the gunzip stream holds on to it.
  const copied = Readable.from(
    (async function* () {
      for await (const chunk of stream) yield Buffer.from(chunk);
    })(),
  );
  yield* copied.pipe(new GunzipMembers()) as AsyncIterable<Buffer>;
}

/** Reads the cited lines (± context) of each requested file of one bundle, in one walk of it. */
export async function readExcerpts(
  bundle: string,
  requests: ExcerptRequest[],
  context = EXCERPT_CONTEXT,
): Promise<Excerpt[]> {
  const byPath = new Map(requests.map((request) => [request.path, request]));
  const found = new Map<string, Excerpt>();
  let walk;
  try {
    walk = await openBundle(bundle, DEFAULT_BUNDLE_LIMITS);
  } catch (error) {
    return requests.map((request) => ({
      ...request,
      unchanged: null,
      problem: `the bundle cannot be read: ${(error as Error).message}`,
      text: new Map(),
    }));
  }
  for await (const member of walk.members) {
    if (member.kind !== 'file') continue;
    // An archive's single top folder is not part of the cited path (ingest drops it).
    const path =
      byPath.has(member.path) || walk.container === 'folder'
        ? member.path
        : member.path.slice(member.path.indexOf('/') + 1);
    const request = byPath.get(path);
    if (!request) {
      for await (const chunk of member.stream) void chunk;
      continue;
    }
    const keep = wanted(request.lines, context);
    const hash = createHash('sha256');
    const text = new Map<number, string>();
    let line = 1;
    let partial = '';
    // Every line passes through, kept or not: a secret can span lines (a PEM key, a Secret's data).
    const redact = lineRedactor();
    const take = (piece: string) => {
      const shown = redact(piece);
      if (keep(line)) text.set(line, shown.length > LINE_CAP ? `${shown.slice(0, LINE_CAP)}…` : shown);
    };
    const hashed = (async function* () {
      for await (const chunk of member.stream) {
        hash.update(chunk);
        yield chunk;
      }
    })();
    const compressed = /\.gz$/i.test(path) && !/\.(tar\.gz|tgz)$/i.test(path);
    try {
      const source = compressed ? gunzipped(hashed) : hashed;
      for await (const chunk of source) {
        const pieces = (partial + chunk.toString('utf8')).split('\n');
        partial = pieces.pop() ?? '';
        for (const piece of pieces) {
          take(piece.replace(/\r$/, ''));
          line++;
        }
      }
      if (partial !== '') take(partial);
      for await (const chunk of hashed) void chunk;
      found.set(path, { ...request, unchanged: hash.digest('hex') === request.sha256, text });
    } catch (error) {
      found.set(path, { ...request, unchanged: null, problem: (error as Error).message, text });
    }
  }
  return requests.map(
    (request) =>
      found.get(request.path) ?? {
        ...request,
        unchanged: null,
        problem: 'not in the bundle any more',
        text: new Map(),
      },
  );
}
