import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffSnapshots } from '../../src/analyze/snapshot-diff.js';
import { inspectSnapshot } from '../../src/store/snapshot-db.js';

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
