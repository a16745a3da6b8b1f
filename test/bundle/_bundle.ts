import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

export const FIXTURES = join(import.meta.dirname, '../fixtures');

export function scratch(prefix = 'howchain-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/**
 * Copies a fixture folder (or writes `files`) into a fresh folder named `name`, with whole-second
 * mtimes so a tar of it records the same times.
 */
export function makeBundle(
  name: string,
  options: { from?: string; files?: Record<string, string | Buffer> } = {},
): { root: string; dir: string } {
  const root = scratch();
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  if (options.from) cpSync(join(FIXTURES, options.from), dir, { recursive: true });
  for (const [path, content] of Object.entries(options.files ?? {})) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  const stamp = new Date('2026-04-01T00:10:00Z');
  for (const file of walk(dir)) utimesSync(file, stamp, stamp);
  return { root, dir };
}

/** `tar -czf` (or `-cf`) of `dir`, with its folder name as the single top-level entry. */
export function tarOf(dir: string, out: string, gzip = true): string {
  execFileSync('tar', [gzip ? '-czf' : '-cf', out, '-C', dirname(dir), relative(dirname(dir), dir)]);
  return out;
}

/** Every file under `dir` by the bytes of its path: names need not be UTF-8. */
function walkBytes(dir: Buffer): Buffer[] {
  return readdirSync(dir, { encoding: 'buffer' }).flatMap((name) => {
    const full = Buffer.concat([dir, Buffer.from('/'), name]);
    return lstatSync(full).isDirectory() ? walkBytes(full) : [full];
  });
}

/** sha256, size and mtime of every file under `dir` (keyed by its path's bytes, as latin1). */
export function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const root = Buffer.from(dir);
  for (const file of walkBytes(root)) {
    const info = statSync(file);
    out[file.subarray(root.length + 1).toString('latin1')] =
      `${createHash('sha256').update(readFileSync(file)).digest('hex')} ${info.size} ${info.mtimeMs}`;
  }
  return out;
}
