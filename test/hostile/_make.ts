/** Builders for the hostile-input corpus (test/hostile/corpus.ts): real formats, written in code. */
import { createHash } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import tar from 'tar-stream';

export const FIXTURES = join(import.meta.dirname, '../fixtures');

export interface HostileRun {
  /** Arguments to `howchain`; `{dir}` is replaced by the case folder. */
  args: string[];
  /** The exit code required. */
  code: number;
  /** Every stderr line must match this (a one-line refusal naming the file); null: stderr must be empty. */
  stderr: RegExp | null;
  /** How many stderr lines at most (one per problem). */
  maxStderrLines?: number;
  /** Files under the case folder that are evidence and must come out unchanged (default: `evidence`). */
  evidence?: string[];
  /** Outputs (relative to the case folder) that must not exist after the run. */
  absent?: string[];
  /** Outputs (relative) that must exist after the run. */
  present?: string[];
  /** Text stdout must contain, and text it must not. */
  stdoutHas?: string[];
  stdoutLacks?: string[];
}

export interface HostileCase {
  name: string;
  /** What the report found, in a few words. */
  found: string;
  build(dir: string): Promise<HostileRun[]> | HostileRun[];
}

export const LEASE_LINE = (i: number) =>
  `2026-03-31T22:04:${String(43 + (i % 10)).padStart(2, '0')}.996994772Z I0331 22:04:43.996761       1 leaderelection.go:297] failed to renew lease kube-system/c${i % 50}: context deadline exceeded\n`;

/** Writes `count` lines made by `line(i)` through one file descriptor (no string of the whole file). */
export function writeLines(path: string, count: number, line: (i: number) => string): void {
  const fd = openSync(path, 'w');
  try {
    let batch = '';
    for (let i = 0; i < count; i++) {
      batch += line(i);
      if (batch.length > 1 << 20) {
        writeSync(fd, batch);
        batch = '';
      }
    }
    writeSync(fd, batch);
  } finally {
    closeSync(fd);
  }
}

export type TarEntry = { header: Partial<tar.Header> & { name: string }; body?: string | Buffer };

/** A tar (gzipped unless `gzip` is false) built member by member with tar-stream. */
export async function tarball(entries: Iterable<TarEntry>, gzip = true): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (chunk) => {
    chunks.push(chunk as Buffer);
  });
  const done = new Promise<void>((resolve) => pack.on('end', () => resolve()));
  for (const entry of entries) pack.entry(entry.header as tar.Header, entry.body ?? '');
  pack.finalize();
  await done;
  const raw = Buffer.concat(chunks);
  return gzip ? gzipSync(raw) : raw;
}

/** An uncompressed dqlite FSM payload (format 1) holding `databases`, each with its main file bytes. */
export function fsmPayload(databases: { name: string; main: Buffer }[]): Buffer {
  const parts: Buffer[] = [];
  const head = Buffer.alloc(16);
  head.writeBigUInt64LE(1n, 0);
  head.writeBigUInt64LE(BigInt(databases.length), 8);
  parts.push(head);
  for (const db of databases) {
    const nameBytes = Buffer.from(db.name, 'utf8');
    const padded = Buffer.alloc(Math.ceil((nameBytes.length + 1) / 8) * 8);
    nameBytes.copy(padded);
    const sizes = Buffer.alloc(16);
    sizes.writeBigUInt64LE(BigInt(db.main.length), 0);
    parts.push(padded, sizes, db.main);
  }
  return Buffer.concat(parts);
}

const KINE_SCHEMA = `CREATE TABLE kine (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, created INTEGER,
  deleted INTEGER, create_revision INTEGER NOT NULL, prev_revision INTEGER, lease INTEGER, value BLOB, old_value BLOB);`;

/** A kine SQLite file with the given key names (one row each), returned as bytes. */
export function kineDatabase(path: string, names: Iterable<string>): Buffer {
  const db = new Database(path);
  db.pragma('journal_mode = OFF');
  db.exec(KINE_SCHEMA);
  const insert = db.prepare(
    'INSERT INTO kine (name, created, deleted, create_revision, prev_revision, lease, value) VALUES (?, 1, 0, 0, 0, 0, ?)',
  );
  db.transaction(() => {
    for (const name of names) insert.run(name, Buffer.from('{}'));
  })();
  db.close();
  return readFileSync(path);
}

/** A snapshot file with its real raft `.meta` beside it, in `folder`. */
export function writeSnapshot(folder: string, payload: Buffer, name = 'snapshot-1-32-1263800'): string {
  mkdirSync(folder, { recursive: true });
  const path = join(folder, name);
  writeFileSync(path, payload);
  copyFileSync(join(FIXTURES, 'dqlite-real/kine-small/snapshot-1-160-3278102.meta'), `${path}.meta`);
  return path;
}

/**
 * sha256, size and mtime of a file, or of every entry under a folder (links by their target text),
 * walked by the bytes of the names (keys in latin1): names need not be UTF-8.
 */
export function fingerprintPath(path: string): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (at: Buffer, name: string) => {
    const info = lstatSync(at);
    if (info.isDirectory()) {
      out[`${name}/`] = String(info.mtimeMs);
      for (const child of readdirSync(at, { encoding: 'buffer' }).sort(Buffer.compare))
        visit(Buffer.concat([at, Buffer.from('/'), child]), `${name}/${child.toString('latin1')}`);
    } else if (info.isFile()) {
      out[name] =
        `${createHash('sha256').update(readFileSync(at)).digest('hex')} ${info.size} ${info.mtimeMs}`;
    } else out[name] = `${info.mode} ${info.mtimeMs}`;
  };
  visit(Buffer.from(path), '.');
  return out;
}

/** Gives the ustar member named `from` the raw name bytes `to` (same length), fixing the header checksum. */
export function renameMember(archive: Buffer, from: string, to: Buffer): void {
  for (let at = 0; at + 512 <= archive.length; at += 512) {
    if (archive.toString('latin1', at, at + from.length + 1) !== `${from}\0`) continue;
    to.copy(archive, at);
    archive.fill(0x20, at + 148, at + 156);
    let sum = 0;
    for (let i = at; i < at + 512; i++) sum += archive[i]!;
    archive.write(`${sum.toString(8).padStart(6, '0')}\0 `, at + 148, 'latin1');
    return;
  }
  throw new Error(`no member ${from}`);
}
