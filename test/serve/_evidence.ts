import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';

export const sampleBundle = fileURLToPath(new URL('../../samples/bundle/', import.meta.url));

/** The committed sample bundle packed as `<dir>/sample.tar.gz`, the way a user would upload it. */
export function packSample(dir: string): string {
  const archive = join(dir, 'sample.tar.gz');
  execFileSync('tar', ['-czf', archive, '-C', join(sampleBundle, '..'), 'bundle']);
  return archive;
}

/** A .tar.gz with an honest member and one whose name climbs out of the bundle (`../`). */
export async function packTraversal(dir: string): Promise<string> {
  const archive = join(dir, 'escape.tar.gz');
  const pack = tar.pack();
  pack.entry(
    { name: 'bundle/logs/csi.log' },
    'E0401 09:12:33.123456 1 leaderelection.go:330] failed to renew lease\n',
  );
  pack.entry({ name: '../../outside.txt' }, 'written outside the bundle\n');
  pack.finalize();
  await pipeline(pack, createGzip(), createWriteStream(archive));
  return archive;
}

/** The sample archive cut short: a truncated gzip stream. */
export function truncatedCopy(archive: string, dir: string): string {
  const cut = join(dir, 'truncated.tar.gz');
  const bytes = readFileSync(archive);
  writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
  return cut;
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Content, mode and mtime of every file under `dir` (and of `extra` files), to prove a refused upload
 * changed nothing. SQLite's -shm/-wal sidecars are left out: readers create them without changing data.
 */
export function fingerprint(dir: string, extra: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (path: string, key: string) => {
    const stat = statSync(path);
    if (stat.isFile()) out[key] = `${sha256(readFileSync(path))} ${stat.size} ${stat.mtimeMs} ${stat.mode}`;
  };
  if (existsSync(dir)) {
    for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort())
      add(join(dir, entry), entry);
  }
  for (const path of extra) out[path] = existsSync(path) ? (add(path, path), out[path]!) : 'absent';
  return out;
}

/** POSTs files to a running server's /api/uploads as one multipart form, as the page's form does. */
export function postUploads(
  server: URL,
  files: [string, string | Buffer][],
  headers: Record<string, string> = {},
): Promise<Response> {
  const body = new FormData();
  for (const [name, content] of files) body.append('evidence', new Blob([content]), name);
  return fetch(new URL('/api/uploads', server), {
    method: 'POST',
    body,
    headers: { accept: 'application/json', ...headers },
  });
}
