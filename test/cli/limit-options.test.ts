/**
 * Every limit of src/limits.ts is a command-line option: set small, it turns a file that is read by
 * default into a one-line refusal naming the file, the limit and the option that raises it; the
 * rest of the evidence is still read (exit 2). Each option is documented in docs/cli.md.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/limits.js';
import { formatByteSize, limitsFrom } from '../../src/cli/commands/_limit-options.js';
import {
  fingerprintPath,
  fsmPayload,
  kineDatabase,
  LEASE_LINE,
  tarball,
  writeSnapshot,
} from '../hostile/_make.js';
import { howchain } from './_howchain.js';

const root = mkdtempSync(join(tmpdir(), 'howchain-limits-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fresh evidence folder with the given files. */
function evidence(name: string, files: Record<string, string | Buffer>): string {
  const dir = join(root, name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** Runs howchain twice — without the option (read cleanly) and with it (refused) — evidence unchanged. */
async function compare(args: string[], option: string[], evidencePath: string) {
  const before = fingerprintPath(evidencePath);
  const plain = await howchain(...args);
  const limited = await howchain(...args, ...option);
  expect(fingerprintPath(evidencePath)).toEqual(before);
  return { plain, limited, lines: limited.stderr.split('\n').filter((line) => line !== '') };
}

const REAL_SMALL = join(import.meta.dirname, '../fixtures/dqlite-real/kine-small');
const LONG_NAME = `logs/${'n'.repeat(120)}.log`;

describe('limit options', () => {
  it('--max-files: the files past the limit are not read', async () => {
    const dir = evidence('files', { 'a.log': LEASE_LINE(1), 'b.log': LEASE_LINE(2), 'c.log': LEASE_LINE(3) });
    const { plain, limited, lines } = await compare(['events', dir, '--json'], ['--max-files', '2'], dir);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout.trim().split('\n')).toHaveLength(3);
    expect(limited.code).toBe(2);
    expect(limited.stdout.trim().split('\n')).toHaveLength(2);
    expect(lines).toEqual([
      `warning: ${dir}/c.log: more than 2 files in the folder; the rest were not read (raise it with --max-files)`,
    ]);
  });

  it('verify takes the bundle limits ingest was given, and then finds nothing changed', async () => {
    const dir = evidence('verify', {
      'a.log': LEASE_LINE(1),
      'b.log': LEASE_LINE(2),
      'c.log': LEASE_LINE(3),
      'd.log': '',
    });
    const casePath = join(root, 'verify.db');
    expect((await howchain('ingest', dir, '--case', casePath, '--max-files', '2')).code).toBe(2);
    const unlimited = await howchain('verify', dir, '--case', casePath, '--json');
    expect(unlimited.code).toBe(1);
    expect(JSON.parse(unlimited.stdout)).toMatchObject({ changed: [{ path: 'c.log' }], added: ['d.log'] });
    const same = await howchain('verify', dir, '--case', casePath, '--json', '--max-files', '2');
    expect(same.code, same.stderr).toBe(0);
    expect(JSON.parse(same.stdout)).toMatchObject({ checked: 3, unchanged: 3, changed: [], added: [] });
  });

  it('--max-file-size: a larger file is named and not read', async () => {
    const dir = evidence('file-size', { 'a.log': LEASE_LINE(1), 'big.log': LEASE_LINE(2).repeat(20) });
    const { plain, limited, lines } = await compare(['ingest', dir], ['--max-file-size', '1K'], dir);
    expect(plain.code, plain.stderr).toBe(0);
    expect(limited.code).toBe(2);
    expect(lines).toEqual([
      `warning: ${dir}/big.log: ${LEASE_LINE(2).length * 20} bytes, over the 1024-byte limit per file; not read (raise it with --max-file-size)`,
    ]);
  });

  it('--max-bundle-size: the file that passes the total and the rest are not read', async () => {
    const dir = evidence('bundle-size', {
      'a.log': LEASE_LINE(1).repeat(5),
      'b.log': LEASE_LINE(2).repeat(5),
    });
    const { plain, limited, lines } = await compare(['ingest', dir], ['--max-bundle-size', '1K'], dir);
    expect(plain.code, plain.stderr).toBe(0);
    expect(limited.code).toBe(2);
    expect(lines).toEqual([
      `warning: ${dir}/b.log: the folder passes the 1024-byte limit per bundle here; neither this file nor the rest was read (raise it with --max-bundle-size)`,
    ]);
  });

  it('--max-ratio and --ratio-floor: gzip data expanding past the ratio is stopped', async () => {
    const dir = join(root, 'ratio');
    mkdirSync(dir);
    const archive = join(dir, 'zeros.tar.gz');
    writeFileSync(
      archive,
      await tarball([
        { header: { name: 'a.log' }, body: LEASE_LINE(1) },
        { header: { name: 'zeros.log' }, body: Buffer.alloc(4 << 20, '\n') },
      ]),
    );
    // The ratio is checked only past the floor: the ratio alone changes nothing on a small archive.
    const ratioOnly = await howchain('ingest', archive, '--max-ratio', '2');
    expect(ratioOnly.code, ratioOnly.stderr).toBe(0);
    const { limited, lines } = await compare(
      ['ingest', archive, '--max-ratio', '2'],
      ['--ratio-floor', '64K'],
      dir,
    );
    expect(limited.code).toBe(2);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^warning: \S+\/zeros\.tar\.gz\/zeros\.log: read failed after \d+ bytes: expands more than 2:1 \(decompression bomb\?\); stopped after \d+ bytes, and the rest of the archive was not read \(raise it with --max-ratio\)$/,
    );
  });

  it('--max-path: an archive member with a longer name is named and not read', async () => {
    const dir = join(root, 'path');
    mkdirSync(dir);
    const archive = join(dir, 'names.tar');
    writeFileSync(
      archive,
      await tarball(
        [
          { header: { name: LONG_NAME }, body: LEASE_LINE(1) },
          { header: { name: 'logs/short.log' }, body: LEASE_LINE(2) },
        ],
        false,
      ),
    );
    const { plain, limited, lines } = await compare(['events', archive], ['--max-path', '64'], dir);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toContain('kube-system/c1');
    expect(limited.code).toBe(2);
    expect(limited.stdout).not.toContain('kube-system/c1');
    expect(limited.stdout).toContain('kube-system/c2');
    expect(lines).toEqual([
      // The archive's one top folder (logs/) is dropped from its paths, as always.
      `warning: ${archive}/${LONG_NAME.slice('logs/'.length)}: member name is ${LONG_NAME.length} bytes long, over the 64-byte limit; not read (raise it with --max-path)`,
    ]);
  });

  it('--max-line: a longer line is skipped and named, the rest of the file read', async () => {
    const long = `${'x'.repeat(2000)} failed to renew lease kube-system/long: context deadline exceeded`;
    const dir = evidence('line', { 'app.log': `${LEASE_LINE(1)}${long}\n${LEASE_LINE(2)}` });
    const { plain, limited, lines } = await compare(['events', dir], ['--max-line', '1K'], dir);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toContain('kube-system/long');
    expect(limited.code).toBe(2);
    expect(limited.stdout).not.toContain('kube-system/long');
    expect(limited.stdout).toContain('kube-system/c2');
    const refusal = `line 2 is longer than 1024 bytes (${long.length}+); skipped (raise it with --max-line)`;
    expect(lines).toEqual([`warning: ${dir}/app.log: ${refusal}`]);
    // analyze takes the option too (naming the file as events does), and writes the PIR from the rest.
    const analyzed = await howchain('analyze', dir, '--max-line', '1K');
    expect(analyzed.code).toBe(2);
    expect(analyzed.stderr).toBe(`warning: ${dir}/app.log: ${refusal}\n`);
    expect(analyzed.stdout).toContain('# ');
  });

  it('--max-document: a larger document is named and not parsed', async () => {
    const pods = {
      apiVersion: 'v1',
      kind: 'List',
      items: Array.from({ length: 20 }, (_, i) => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `p${i}`, namespace: 'default', uid: `u${i}` },
        status: { phase: 'Running' },
      })),
    };
    const text = JSON.stringify(pods, null, 1);
    const dir = evidence('document', { 'app.log': LEASE_LINE(1), 'kubectl/pods.json': text });
    const { plain, limited, lines } = await compare(['ingest', dir, '--json'], ['--max-document', '1K'], dir);
    expect(plain.code, plain.stderr).toBe(0);
    expect(JSON.parse(plain.stdout).facts.pod).toBe(20);
    expect(limited.code).toBe(2);
    expect(JSON.parse(limited.stdout).facts.pod).toBeUndefined();
    expect(lines).toEqual([
      `warning: ${dir}/kubectl/pods.json: larger than 1024 bytes, the limit for a kubectl-json document; not parsed (raise it with --max-document)`,
    ]);
  });

  it('--max-output: a snapshot decoding to more is not decoded by ingest either', async () => {
    const dir = join(root, 'output/node1/backend');
    mkdirSync(dir, { recursive: true });
    for (const name of ['snapshot-1-32-3273363', 'snapshot-1-32-3273363.meta'])
      copyFileSync(join(import.meta.dirname, '../fixtures/dqlite-real/kine-small', name), join(dir, name));
    const bundle = join(root, 'output');
    const { plain, limited, lines } = await compare(
      ['ingest', bundle, '--json'],
      ['--max-output', '1K'],
      bundle,
    );
    expect(plain.code, plain.stderr).toBe(0);
    expect(JSON.parse(plain.stdout).snapshots).toBe(1);
    expect(limited.code).toBe(2);
    expect(JSON.parse(limited.stdout).snapshots).toBe(0);
    expect(lines).toEqual([
      `warning: ${bundle}/node1/backend/snapshot-1-32-3273363: snapshot not decoded: LZ4 frame declares 1021808 bytes of content, over the 1024-byte cap (decompression bomb?); raise it with --max-output if the snapshot is genuine`,
    ]);
  });

  it('--max-databases: a snapshot holding more is refused, in snapshot inspect as in ingest', async () => {
    const dir = join(root, 'databases');
    mkdirSync(dir);
    const main = kineDatabase(join(root, 'databases-kine.sqlite'), ['/registry/pods/default/p']);
    const snapshot = writeSnapshot(
      join(dir, 'backend'),
      fsmPayload([
        { name: 'k8s', main },
        { name: 'audit', main },
      ]),
    );
    const inspect = await compare(['snapshot', 'inspect', snapshot], ['--max-databases', '1'], dir);
    expect(inspect.plain.code, inspect.plain.stderr).toBe(0);
    expect(inspect.limited.code).toBe(2);
    expect(inspect.lines).toEqual([
      `howchain: ${snapshot}: snapshot holds more than 1 databases; dqlite writes one or a few (raise it with --max-databases)`,
    ]);
    const ingest = await compare(['ingest', dir], ['--max-databases', '1'], dir);
    expect(ingest.plain.code, ingest.plain.stderr).toBe(0);
    expect(ingest.limited.code).toBe(2);
    expect(ingest.lines).toEqual([
      `warning: ${snapshot}: snapshot not decoded: snapshot holds more than 1 databases; dqlite writes one or a few (raise it with --max-databases)`,
    ]);
  });

  it('--max-kine-prefixes: the prefixes past it are summed and said so, in inspect as in the case', async () => {
    const dir = join(root, 'kine-prefixes');
    const snapshot = join(dir, 'backend/snapshot-1-160-3278102');
    mkdirSync(join(dir, 'backend'), { recursive: true });
    for (const suffix of ['', '.meta'])
      copyFileSync(join(REAL_SMALL, `snapshot-1-160-3278102${suffix}`), `${snapshot}${suffix}`);
    const inspect = await compare(
      ['snapshot', 'inspect', snapshot, '--json'],
      ['--max-kine-prefixes', '2'],
      dir,
    );
    const all = JSON.parse(inspect.plain.stdout).databases[0].kine;
    const listed = JSON.parse(inspect.limited.stdout).databases[0].kine;
    expect(inspect.limited.code, inspect.limited.stderr).toBe(0);
    expect(inspect.lines).toEqual([]);
    expect(listed.prefixes).toEqual(all.prefixes.slice(0, 2));
    const rest = all.prefixes.slice(2).reduce((n: number, p: { rows: number }) => n + p.rows, 0);
    expect(listed.otherPrefixes).toMatchObject({ prefixes: all.prefixes.length - 2, rows: rest });
    const text = await howchain('snapshot', 'inspect', snapshot, '--max-kine-prefixes', '2');
    expect(text.stdout).toContain(
      `      2 of ${all.prefixes.length} prefixes listed (most rows first); ${all.prefixes.length - 2} more prefixes hold ${rest} rows (raise it with --max-kine-prefixes)\n`,
    );
    const casePath = join(root, 'kine-prefixes.db');
    const ingest = await howchain('ingest', dir, '--case', casePath, '--max-kine-prefixes', '2');
    expect(ingest.code, ingest.stderr).toBe(0);
    const db = new Database(casePath, { readonly: true });
    const stored = JSON.parse(
      (db.prepare('SELECT report FROM snapshot_reports').get() as { report: string }).report,
    );
    db.close();
    expect(stored.databases[0].kine).toEqual(listed);
  });

  it('a value that is not a size or a count is a usage error naming the option', async () => {
    const dir = evidence('bad-values', { 'a.log': LEASE_LINE(1) });
    expect(await howchain('events', dir, '--max-line', 'lots')).toMatchObject({
      code: 2,
      stderr: 'howchain: --max-line: cannot read "lots" as a size (e.g. 8G)\n',
    });
    expect(await howchain('ingest', dir, '--max-files', '0')).toMatchObject({
      code: 2,
      stderr: 'howchain: --max-files 0: must be a whole number of 1 or more\n',
    });
    expect(() => limitsFrom({ 'max-ratio': 1.5, 'max-databases': 2.5 }, ['bundle', 'snapshot'])).toThrow(
      '--max-databases 2.5: must be a whole number of 1 or more',
    );
    expect(limitsFrom({ 'max-ratio': 1.5, 'ratio-floor': '1.5M' }, ['bundle'])).toEqual({
      maxRatio: 1.5,
      ratioFloorBytes: 1.5 * 1024 * 1024,
    });
  });

  it('every limit is an option of ingest, analyze, correlate and serve, shown with its default and documented', async () => {
    const cli = readFileSync(join(import.meta.dirname, '../../docs/cli.md'), 'utf8');
    const helps = await Promise.all(
      ['ingest', 'analyze', 'correlate', 'serve'].map((command) => howchain(command, '--help')),
    );
    for (const spec of Object.values(LIMITS)) {
      const shown = spec.unit === 'bytes' ? `"${formatByteSize(spec.default)}"` : String(spec.default);
      for (const help of helps)
        expect(help.stdout).toMatch(new RegExp(`--${spec.option} [^]*default: ${shown}`));
      expect(cli, `docs/cli.md documents --${spec.option}`).toContain(`\`--${spec.option}\``);
    }
  });
});

describe('serve screens uploads with the limits it was given', () => {
  it('an archive member name over --max-path refuses the upload', async () => {
    const { pipelineEngine } = await import('../../src/serve/engine.js');
    const dir = evidence('serve/upload', { 'a.log': LEASE_LINE(1) });
    const archive = join(root, 'serve/upload.tar');
    execFileSync('tar', ['-cf', archive, '-C', join(dir, '..'), 'upload']);
    expect(await (await pipelineEngine()).screen(archive)).toBeNull();
    const strict = await pipelineEngine({ limits: { maxPathBytes: 8 } });
    expect(await strict.screen(archive)).toBe(
      'upload/a.log: member name is 12 bytes long, over the 8-byte limit; not read (raise it with --max-path)',
    );
  });
});
