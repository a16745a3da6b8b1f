import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffSnapshots } from '../../src/analyze/snapshot-diff.js';
import { inspectSnapshot, inspectSnapshotPair } from '../../src/store/snapshot-db.js';
import type { SnapshotDiff, SnapshotReport } from '../../src/types/index.js';

const BULK = join(import.meta.dirname, '../fixtures/dqlite-generated/bulk-delete');
const MULTI = join(import.meta.dirname, '../fixtures/dqlite-generated/multi-db/snapshot-1-224-1265908');
const HANDLES = '/registry/crd.projectcalico.org/ipamhandles/';

describe('diffSnapshots on real dqlite snapshots before/after a bulk delete', async () => {
  const truth = (
    await import('../fixtures/dqlite-generated/bulk-delete/ground-truth.json', { with: { type: 'json' } })
  ).default;
  const [beforeFile, , afterFile] = truth.snapshots.map((s) => join(BULK, s.file));
  const before = await inspectSnapshot(beforeFile as string);
  const after = await inspectSnapshot(afterFile as string);
  const diff = diffSnapshots(before, after);
  const want = (i: number) => truth.snapshots[i]?.databases.k8s;

  it('names both sides', () => {
    expect(diff.before).toMatchObject({ file: beforeFile, sha256: truth.snapshots[0]?.sha256, index: 32 });
    expect(diff.after).toMatchObject({ file: afterFile, sha256: truth.snapshots[2]?.sha256, index: 96 });
  });

  it('gives before, after, delta and percent per kine prefix, from dqlite-reported counts', () => {
    const rowsBefore = want(0)?.kine.rows_by_prefix[HANDLES] as number;
    const rowsAfter = want(2)?.kine.rows_by_prefix[HANDLES] as number;
    expect(diff.counts.find((e) => e.subject === HANDLES && e.metric === 'rows')).toEqual({
      database: 'k8s',
      subject: HANDLES,
      kind: 'kine-prefix',
      metric: 'rows',
      before: rowsBefore,
      after: rowsAfter,
      delta: rowsAfter - rowsBefore,
      percent: Math.round(((rowsAfter - rowsBefore) / rowsBefore) * 1000) / 10,
    });
  });

  it('compares page counts and free pages', () => {
    const pages = diff.sizes.find((e) => e.metric === 'pageCount');
    expect(pages).toMatchObject({ before: want(0)?.pages.page_count, after: want(2)?.pages.page_count });
    expect(diff.sizes.find((e) => e.metric === 'fileBytes')).toMatchObject({
      before: before.bytes,
      after: after.bytes,
    });
  });

  it('sorts each list by the largest absolute change', () => {
    for (const list of [diff.counts, diff.sizes]) {
      const magnitudes = list.map((e) => Math.abs(e.delta ?? 0));
      expect(magnitudes).toEqual([...magnitudes].sort((a, b) => b - a));
    }
    expect(diff.counts[0]).toMatchObject({ subject: 'kine', kind: 'table', metric: 'rows' });
  });

  it('marks databases and tables present on one side only with null', async () => {
    const multi = await inspectSnapshot(MULTI);
    const added = diffSnapshots(before, multi);
    expect(added.counts.find((e) => e.database === 'audit' && e.subject === 'audit_log')).toMatchObject({
      before: null,
      after: 150,
      delta: 150,
      percent: null,
    });
  });
});

describe('diffSnapshots where a side folded kine prefixes (real dqlite snapshots)', async () => {
  const SMALL = join(import.meta.dirname, '../fixtures/dqlite-real/kine-small');
  const [beforeFile, afterFile] = ['snapshot-1-32-3273363', 'snapshot-1-160-3278102'].map((f) =>
    join(SMALL, f),
  );
  const full = {
    before: await inspectSnapshot(beforeFile as string),
    after: await inspectSnapshot(afterFile as string),
  };
  const numbers = (report: SnapshotReport, prefix: string) =>
    report.databases[0]?.kine?.prefixes.find((p) => p.prefix === prefix);
  // Reports as a case keeps them: each read alone, two prefixes listed. The before copy's top two
  // are events and leases, the after copy's events and pods.
  const stored = {
    before: await inspectSnapshot(beforeFile as string, { maxKinePrefixes: 2 }),
    after: await inspectSnapshot(afterFile as string, { maxKinePrefixes: 2 }),
  };
  const diff = diffSnapshots(stored.before, stored.after);
  const find = (d: SnapshotDiff, subject: string, metric: string) =>
    d.counts.find((e) => e.subject === subject && e.metric === metric);

  it('a prefix folded on one side is unknown there, never 0 nor absent, with a bound that holds', () => {
    const kineBefore = stored.before.databases[0]!.kine!;
    const bound = Math.min(kineBefore.prefixes.at(-1)!.rows, kineBefore.otherPrefixes.rows);
    expect(find(diff, '/registry/pods/', 'rows')).toEqual({
      database: 'k8s',
      subject: '/registry/pods/',
      kind: 'kine-prefix',
      metric: 'rows',
      before: null,
      after: numbers(full.after, '/registry/pods/')!.rows,
      delta: null,
      percent: null,
      unknown: 'before',
      atMost: bound,
    });
    expect(numbers(full.before, '/registry/pods/')!.rows).toBeLessThanOrEqual(bound);
    expect(find(diff, '/registry/leases/', 'rows')).toMatchObject({
      before: numbers(full.before, '/registry/leases/')!.rows,
      after: null,
      delta: null,
      unknown: 'after',
    });
    expect(numbers(full.after, '/registry/leases/')!.rows).toBeLessThanOrEqual(
      find(diff, '/registry/leases/', 'rows')!.atMost!,
    );
  });

  it('sums the folded prefixes of each side in kine-folded entries', () => {
    expect(find(diff, '', 'prefixes')).toMatchObject({
      kind: 'kine-folded',
      before: stored.before.databases[0]!.kine!.otherPrefixes.prefixes,
      after: stored.after.databases[0]!.kine!.otherPrefixes.prefixes,
    });
    expect(diff.sizes.find((e) => e.kind === 'kine-folded')).toMatchObject({
      metric: 'valueBytes',
      before: stored.before.databases[0]!.kine!.otherPrefixes.bytes,
    });
  });

  it('read together, both sides list the same prefixes and nothing is unknown', async () => {
    const pair = await inspectSnapshotPair(beforeFile as string, afterFile as string, { maxKinePrefixes: 2 });
    const exact = diffSnapshots(pair.before, pair.after, { listedOnBoth: true });
    expect(exact.counts.filter((e) => e.unknown)).toEqual([]);
    for (const prefix of ['/registry/events/', '/registry/leases/', '/registry/pods/'])
      expect(find(exact, prefix, 'rows')).toMatchObject({
        before: numbers(full.before, prefix)!.rows,
        after: numbers(full.after, prefix)!.rows,
      });
    expect(find(exact, '', 'rows')).toMatchObject({
      kind: 'kine-folded',
      before: pair.before.databases[0]!.kine!.otherPrefixes.rows,
      after: pair.after.databases[0]!.kine!.otherPrefixes.rows,
    });
  });
});
