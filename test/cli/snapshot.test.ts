import { chmodSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnapshotDiff, SnapshotReport } from '../../src/types/index.js';
import { fingerprint, runCli } from './snapshot-helpers.js';

const SAMPLE = join(import.meta.dirname, '../../samples/bundle/k8s02/backend-snapshots');
const BEFORE = 'snapshot-4-183435887-1738473286';
const AFTER = 'snapshot-4-183437979-1822515154';
const MULTI = join(import.meta.dirname, '../fixtures/dqlite-generated/multi-db');

describe('howchain snapshot, on a read-only evidence folder', () => {
  let evidence: string;
  let outside: string;
  let before: Record<string, string>;

  beforeAll(() => {
    evidence = mkdtempSync(join(tmpdir(), 'howchain-evidence-'));
    outside = mkdtempSync(join(tmpdir(), 'howchain-out-'));
    for (const name of [BEFORE, `${BEFORE}.meta`, AFTER, `${AFTER}.meta`])
      copyFileSync(join(SAMPLE, name), join(evidence, name));
    for (const name of [BEFORE, `${BEFORE}.meta`, AFTER, `${AFTER}.meta`])
      chmodSync(join(evidence, name), 0o444);
    chmodSync(evidence, 0o555);
    before = fingerprint(evidence);
  });

  afterAll(() => {
    chmodSync(evidence, 0o755);
    rmSync(evidence, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('inspect --json prints the documented schema with dqlite-exact counts', async () => {
    const run = await runCli(['snapshot', 'inspect', join(evidence, BEFORE), '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.leftovers).toEqual([]);
    const report = JSON.parse(run.stdout) as SnapshotReport;
    expect(Object.keys(report)).toEqual(
      expect.arrayContaining(['file', 'sha256', 'bytes', 'compressed', 'meta', 'databases']),
    );
    expect(Object.keys(report.meta)).toEqual(
      expect.arrayContaining([
        'term',
        'index',
        'timestamp',
        'wallClock',
        'wallClockAnchor',
        'configurationIndex',
        'servers',
      ]),
    );
    const k8s = report.databases[0];
    expect(k8s?.name).toBe('k8s');
    expect(
      k8s?.kine?.prefixes.find((p) => p.prefix === '/registry/crd.projectcalico.org/ipamhandles/'),
    ).toMatchObject({
      rows: 6071,
      liveKeys: 6071,
      deletedRows: 0,
    });
    expect(Object.keys(k8s ?? {})).toEqual(
      expect.arrayContaining([
        'name',
        'pageSize',
        'pageCount',
        'freelistCount',
        'walFrames',
        'tables',
        'kine',
      ]),
    );
  });

  it('inspect does not pass a copy’s own mtime off as the write time', async () => {
    const run = await runCli(['snapshot', 'inspect', join(evidence, BEFORE)]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("  written: unknown — the copy's mtime (");
    expect(run.stdout).not.toContain('written ≈');
  });

  it('inspect --boot-time names its anchor', async () => {
    const run = await runCli([
      'snapshot',
      'inspect',
      join(evidence, BEFORE),
      '--json',
      '--boot-time',
      '2026-03-12T03:20:00Z',
    ]);
    const report = JSON.parse(run.stdout) as SnapshotReport;
    expect(report.meta.wallClock).toBe(
      new Date(Date.parse('2026-03-12T03:20:00Z') + 1738473286).toISOString(),
    );
    expect(report.meta.wallClockAnchor).toContain('boot time 2026-03-12T03:20:00.000Z');
  });

  it('diff prints the Markdown table, largest change first', async () => {
    const run = await runCli(['snapshot', 'diff', join(evidence, BEFORE), join(evidence, AFTER)]);
    expect(run.code, run.stderr).toBe(0);
    const rows = run.stdout.split('\n').filter((line) => line.startsWith('| k8s |'));
    expect(rows[0]).toBe('| k8s | table `kine` | 6,181 | 687 | -5,494 | -88.9% |  |');
    expect(rows[1]).toBe(
      '| k8s | `/registry/crd.projectcalico.org/ipamhandles/` | 6,071 | 599 | -5,472 | -90.1% | 6,071 → 599 |',
    );
    expect(run.stdout).toContain('| k8s: pages | 831 | 95 | -736 | -88.6% |');
  });

  it('diff --json gives before, after, delta and percent', async () => {
    const run = await runCli(['snapshot', 'diff', join(evidence, BEFORE), join(evidence, AFTER), '--json']);
    const diff = JSON.parse(run.stdout) as SnapshotDiff;
    expect(diff.counts[0]).toEqual({
      database: 'k8s',
      subject: 'kine',
      kind: 'table',
      metric: 'rows',
      before: 6181,
      after: 687,
      delta: -5494,
      percent: -88.9,
    });
  });

  it('extract leaves SQLite files sqlite can read, outside the evidence folder', async () => {
    const out = join(outside, 'multi');
    const run = await runCli([
      'snapshot',
      'extract',
      join(MULTI, 'snapshot-1-224-1265908'),
      '--out',
      out,
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.leftovers).toEqual([]);
    const { databases } = JSON.parse(run.stdout) as { databases: { name: string; path: string }[] };
    expect(databases.map((d) => d.name)).toEqual(['k8s', 'audit', 'settings']);
    const audit = new Database(join(out, 'audit.sqlite'), { readonly: true });
    try {
      expect(audit.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual({ n: 150 });
      expect(audit.pragma('journal_mode', { simple: true })).toBe('delete');
    } finally {
      audit.close();
    }
  });

  it('extract works from the read-only evidence folder into a folder outside it', async () => {
    const out = join(outside, 'k8s02');
    const run = await runCli(['snapshot', 'extract', join(evidence, AFTER), '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`k8s\t${join(out, 'k8s.sqlite')}\n`);
    const k8s = new Database(join(out, 'k8s.sqlite'), { readonly: true });
    try {
      expect(k8s.prepare('SELECT count(*) AS n FROM kine').get()).toEqual({ n: 687 });
    } finally {
      k8s.close();
    }
    const again = await runCli(['snapshot', 'extract', join(evidence, AFTER), '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/k8s\.sqlite already exists; extract never overwrites/);
  });

  it('extract refuses an output folder inside the evidence folder', async () => {
    const run = await runCli([
      'snapshot',
      'extract',
      join(evidence, BEFORE),
      '--out',
      join(evidence, 'rebuilt'),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^howchain: --out .* is inside the evidence \//);
  });

  it('left every evidence file byte-for-byte and mtime unchanged', async () => {
    expect(fingerprint(evidence)).toEqual(before);
  });
});
