/**
 * Folder bundles whose file names are not UTF-8 (Linux keeps names as bytes): each file is read by
 * its own bytes of name, so its hash and its events never come from another file.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ingest } from '../../src/pipeline/ingest.js';
import { FIXTURES, fingerprint, scratch } from './_bundle.js';

const cleanup: string[] = [];
afterEach(() => {
  for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const LEASE_LINE = (lease: string) =>
  `2026-03-31T22:04:43.996994772Z I0331 22:04:43.996761       1 leaderelection.go:297] failed to renew lease kube-system/${lease}: context deadline exceeded\n`;

/** A path under `dir` whose last part is the given bytes. */
const bytePath = (dir: string, ...name: number[]) =>
  Buffer.concat([Buffer.from(`${dir}/`), Buffer.from(name), Buffer.from('.log')]);

/** Writes the files, or returns false when the file system refuses names that are not UTF-8. */
function writeNamed(files: [Buffer | string, string][]): boolean {
  try {
    for (const [path, content] of files) writeFileSync(path, content);
    return true;
  } catch (error) {
    if (['EILSEQ', 'EINVAL'].includes((error as NodeJS.ErrnoException).code ?? '')) return false;
    throw error;
  }
}

describe('folder bundles with names that are not UTF-8', () => {
  it('reads each file by its bytes: names shown as %XX, a clash kept apart, hashes and events per file', async (context) => {
    const root = scratch();
    cleanup.push(root);
    const dir = join(root, 'evidence');
    mkdirSync(join(dir, 'logs'), { recursive: true });
    const sha = (content: string) => createHash('sha256').update(content).digest('hex');
    // Bytes ff and fe each decode to U+FFFD; '%FF.log' is a real name that reads like the first.
    const files: [Buffer | string, string][] = [
      [bytePath(join(dir, 'logs'), 0xff), LEASE_LINE('from-ff')],
      [bytePath(join(dir, 'logs'), 0xfe), LEASE_LINE('from-fe')],
      [join(dir, 'logs/%FF.log'), LEASE_LINE('from-percent')],
      [bytePath(join(dir, 'logs'), 0x63, 0x61, 0x66, 0xc3, 0xa9), LEASE_LINE('from-utf8')],
    ];
    if (!writeNamed(files)) return context.skip();
    symlinkSync(Buffer.from([0xff, 0x2e, 0x6c, 0x6f, 0x67]), bytePath(join(dir, 'logs'), 0x6c, 0xfa));
    const before = fingerprint(root);

    const data = await ingest([dir]);

    const byPath = Object.fromEntries(data.manifest.map((entry) => [entry.path, entry]));
    expect(Object.keys(byPath).sort()).toEqual([
      'logs/%FE.log',
      'logs/%FF.log',
      'logs/%FF.log#2',
      'logs/café.log',
      'logs/l%FA.log',
    ]);
    // The real '%FF.log' sorts first (byte 25 before ff) and keeps the name; the byte ff comes second.
    expect(byPath['logs/%FF.log']?.sha256).toBe(sha(LEASE_LINE('from-percent')));
    expect(byPath['logs/%FF.log#2']?.sha256).toBe(sha(LEASE_LINE('from-ff')));
    expect(byPath['logs/%FE.log']?.sha256).toBe(sha(LEASE_LINE('from-fe')));
    expect(byPath['logs/café.log']?.sha256).toBe(sha(LEASE_LINE('from-utf8')));
    expect(byPath['logs/l%FA.log']).toMatchObject({ type: 'link', sha256: sha('%FF.log') });
    // Every event is cited in the file that holds its line.
    expect(data.events.map((event) => [event.file, event.subject]).sort()).toEqual([
      ['logs/%FE.log', 'kube-system/from-fe'],
      ['logs/%FF.log#2', 'kube-system/from-ff'],
      ['logs/%FF.log', 'kube-system/from-percent'],
      ['logs/café.log', 'kube-system/from-utf8'],
    ]);
    expect(data.problems).toEqual([
      {
        bundle: dir,
        file: '(archive)',
        problem:
          'file 2 named logs/%FF.log in the folder once bytes that are not UTF-8 are shown as %XX; read apart as logs/%FF.log#2',
      },
    ]);
    expect(fingerprint(root)).toEqual(before);
    expect(readFileSync(bytePath(join(dir, 'logs'), 0xff), 'utf8')).toBe(LEASE_LINE('from-ff'));
  });

  it('a snapshot in a folder whose name is not UTF-8 is decoded from a scratch copy', async (context) => {
    const root = scratch();
    cleanup.push(root);
    const dir = join(root, 'evidence');
    const node = Buffer.concat([Buffer.from(`${dir}/node-`), Buffer.from([0xff])]);
    const snapshot = 'snapshot-1-32-3273363';
    try {
      mkdirSync(node, { recursive: true });
    } catch (error) {
      if (['EILSEQ', 'EINVAL'].includes((error as NodeJS.ErrnoException).code ?? '')) return context.skip();
      throw error;
    }
    for (const name of [snapshot, `${snapshot}.meta`])
      copyFileSync(
        join(FIXTURES, 'dqlite-real/kine-small', name),
        Buffer.concat([node, Buffer.from(`/${name}`)]),
      );
    const before = fingerprint(root);
    const data = await ingest([dir]);
    expect(data.problems).toEqual([]);
    expect(data.manifest.map((entry) => [entry.path, entry.type])).toEqual([
      [`node-%FF/${snapshot}`, 'dqlite-snapshot'],
      [`node-%FF/${snapshot}.meta`, 'dqlite-snapshot-meta'],
    ]);
    expect(data.snapshotReports.map((report) => report.file)).toEqual([`node-%FF/${snapshot}`]);
    expect(fingerprint(root)).toEqual(before);
  });
});
