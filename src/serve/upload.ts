import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Busboy, type BusboyFileStream } from '@fastify/busboy';
import { safeMemberPath } from '../bundle/safety.js';
import { HowchainError } from '../errors.js';

/** An upload refused before it reached the case; `status` is the HTTP status to answer with. */
export class UploadRejected extends HowchainError {
  constructor(
    message: string,
    readonly status: 400 | 403 | 409 | 413 | 415 = 400,
  ) {
    super(message);
    this.name = 'UploadRejected';
  }
}

export interface UploadLimits {
  /** Total bytes of all files in one upload. */
  maxBytes: number;
  maxFiles: number;
  /** Longest wait for the next bytes of an upload before it is dropped (ms; default 60 s). */
  idleMs?: number;
  /** Slowest average rate an upload may arrive at (bytes/s; default 64 KiB/s), which sets its deadline. */
  minBytesPerSecond?: number;
}

/** A sender that sends nothing for this long has gone: its upload is dropped and its files removed. */
export const DEFAULT_UPLOAD_IDLE_MS = 60_000;
/** 2 GiB at this rate is nine hours: any real link is faster, a sender dripping bytes is not. */
export const DEFAULT_MIN_UPLOAD_RATE = 64 * 1024;

export interface ReceivedFile {
  /** Path inside the upload, '/'-separated, as the browser named it (folder uploads keep their folders). */
  path: string;
  bytes: number;
  /** Computed while the bytes were written, so the hash is of exactly what arrived. */
  sha256: string;
}

const mebibyte = 1024 * 1024;

export function describeBytes(bytes: number): string {
  if (bytes >= mebibyte) return `${Math.round((bytes / mebibyte) * 10) / 10} MiB`;
  if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} KiB`;
  return `${bytes} bytes`;
}

/**
 * The browser's file name as a safe relative path, by ingest's own rule for archive members
 * (no absolute path, no `..`); an unsafe name refuses the upload rather than being "cleaned",
 * because a name like that in an evidence upload is itself worth knowing about.
 */
export function safeUploadPath(name: string): string {
  if (/[\u0000-\u001f\u007f]/.test(name)) {
    throw new UploadRejected(`file name ${JSON.stringify(name)} contains control characters`);
  }
  const safe = safeMemberPath(name);
  if ('problem' in safe) {
    throw new UploadRejected(
      `file name ${JSON.stringify(name)} refused: ${safe.problem.replace(/ in archive; skipped$/, '')}`,
    );
  }
  if (safe.path.split('/').some((s) => Buffer.byteLength(s) > 255) || safe.path.length > 4096) {
    throw new UploadRejected(`file name ${JSON.stringify(name.slice(0, 80))}… is too long`);
  }
  return safe.path;
}

/**
 * Streams a multipart/form-data request's files into `dir` (which must exist and be empty), hashing
 * them on the way, within `limits`. Files are created exclusively (never over an existing file).
 * On any rejection the request body is still read to its end — answering while the browser is
 * still sending makes it report a reset connection instead of our message — and the rejection is
 * thrown; the caller removes `dir`.
 */
export async function receiveUpload(
  request: IncomingMessage,
  dir: string,
  limits: UploadLimits,
): Promise<ReceivedFile[]> {
  const contentType = request.headers['content-type'] ?? '';
  if (!contentType.toLowerCase().startsWith('multipart/form-data')) {
    request.resume();
    throw new UploadRejected('send the files as multipart/form-data (the upload form does)', 415);
  }
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limits.maxBytes + mebibyte) {
    request.resume();
    throw new UploadRejected(
      `the upload is ${describeBytes(declared)}, over the limit of ${describeBytes(limits.maxBytes)} (howchain serve --max-upload-mb)`,
      413,
    );
  }

  const received: ReceivedFile[] = [];
  const writes: Promise<void>[] = [];
  let rejection: UploadRejected | null = null;
  let failure: unknown = null;
  let total = 0;
  const reject = (error: UploadRejected) => {
    rejection ??= error;
  };
  const tooLarge = () =>
    new UploadRejected(
      `the upload is over the limit of ${describeBytes(limits.maxBytes)} (howchain serve --max-upload-mb)`,
      413,
    );

  const parser = Busboy({
    headers: { ...request.headers, 'content-type': contentType },
    preservePath: true,
    limits: { fileSize: limits.maxBytes, files: limits.maxFiles, fields: 20, parts: limits.maxFiles + 20 },
  });

  const claimed = new Set<string>();
  const twice = (path: string) =>
    new UploadRejected(`the upload names ${JSON.stringify(path)} twice (or as a file and a folder)`);
  const storeFile = async (stream: BusboyFileStream, name: string): Promise<void> => {
    let path: string;
    try {
      path = safeUploadPath(name);
    } catch (error) {
      stream.resume();
      if (error instanceof UploadRejected) return reject(error);
      throw error;
    }
    // Parts arrive in order but their writes race: claim the name before any await, so the first
    // file of a name is the one kept (the 'wx' open below still catches a file against a folder).
    if (claimed.has(path)) {
      stream.resume();
      return reject(twice(path));
    }
    claimed.add(path);
    const target = join(dir, path);
    const hash = createHash('sha256');
    let bytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        total += chunk.length;
        // Over the cap across files: keep reading (and dropping) so the form runs to its end and the
        // refusal can be answered; an error here would leave the parser waiting for ever.
        if (total > limits.maxBytes) {
          reject(tooLarge());
          return callback();
        }
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    stream.on('limit', () => reject(tooLarge()));
    try {
      await mkdir(dirname(target), { recursive: true });
      // 'wx': never replace a file, not even one of this same upload; 0o444: evidence is read-only.
      await pipeline(stream, meter, createWriteStream(target, { flags: 'wx', mode: 0o444 }));
    } catch (error) {
      stream.resume();
      const code = (error as NodeJS.ErrnoException).code;
      if (error instanceof UploadRejected) return reject(error);
      if (code === 'EEXIST' || code === 'ENOTDIR' || code === 'EISDIR') {
        return reject(twice(path));
      }
      throw error;
    }
    if (stream.truncated) return reject(tooLarge());
    received.push({ path, bytes, sha256: hash.digest('hex') });
  };

  // A sender that drips a byte now and then is never idle, so the upload also has a deadline: the
  // idle allowance plus its declared size (or the cap) at the slowest rate waited for.
  const idleMs = limits.idleMs ?? DEFAULT_UPLOAD_IDLE_MS;
  const rate = limits.minBytesPerSecond ?? DEFAULT_MIN_UPLOAD_RATE;
  const deadlineMs = idleMs + ((Number.isFinite(declared) ? declared : limits.maxBytes) / rate) * 1000;
  let deadline: NodeJS.Timeout | undefined;
  await new Promise<void>((resolve, fail) => {
    deadline = setTimeout(() => {
      request.destroy(new Error('too slow'));
      fail(
        new UploadRejected(
          `the upload did not arrive within ${Math.round(deadlineMs / 1000)} s (slower than ${describeBytes(rate)}/s); dropped`,
        ),
      );
    }, deadlineMs).unref();
    parser.on('file', (_field, stream, filename) => {
      // A form posted without JavaScript sends every file input, an unused one as a nameless empty part.
      if (rejection || !filename) {
        stream.resume();
        return;
      }
      // Caught at once (a rejection left waiting for the form's end would be reported as unhandled).
      writes.push(
        storeFile(stream, filename).catch((error: unknown) => {
          failure ??= error;
          stream.resume();
        }),
      );
    });
    parser.on('filesLimit', () =>
      reject(new UploadRejected(`more than ${limits.maxFiles} files in one upload; pack them as a .tar.gz`)),
    );
    parser.on('error', (error: unknown) =>
      fail(
        new UploadRejected(
          `the upload is not a valid multipart form (${error instanceof Error ? error.message : String(error)})`,
        ),
      ),
    );
    parser.on('finish', resolve);
    const stopped = () => fail(new UploadRejected('the browser stopped sending the upload'));
    // A client that went away while its upload waited its turn: nothing more will come.
    if (request.destroyed || request.readableAborted) return stopped();
    request.on('aborted', stopped).on('error', stopped);
    request.on('close', () => {
      if (!request.complete) stopped();
    });
    request.setTimeout(idleMs, () => {
      request.destroy(new Error('idle'));
      fail(new UploadRejected('the upload sent nothing for too long; dropped'));
    });
    request.pipe(parser);
  }).finally(() => clearTimeout(deadline));
  // The idle limit was for the upload; the answer may take as long as the ingest needs.
  request.setTimeout(0);
  await Promise.all(writes);
  if (failure) throw failure;
  if (rejection) throw rejection;
  if (received.length === 0) throw new UploadRejected('the upload holds no files');
  return received.sort((a, b) => a.path.localeCompare(b.path));
}
