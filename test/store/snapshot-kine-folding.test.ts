/**
 * Kine prefixes past `maxKinePrefixes` are folded into one sum, on snapshots written by the real
 * dqlite library: the listed prefixes are the unfolded report's first ones, the sums add up to the
 * same totals, and a before/after pair read together lists the same prefixes on both sides, exactly.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/limits.js';
import { extractSnapshot, inspectSnapshot, inspectSnapshotPair } from '../../src/store/snapshot-db.js';
import type { KinePrefixStats, KineStats, SnapshotReport } from '../../src/types/index.js';
import { fsmPayload, writeSnapshot } from '../hostile/_make.js';

const SMALL = join(import.meta.dirname, '../fixtures/dqlite-real/kine-small');
const BEFORE = join(SMALL, 'snapshot-1-32-3273363');
const AFTER = join(SMALL, 'snapshot-1-160-3278102');
const root = mkdtempSync(join(tmpdir(), 'howchain-kine-folding-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const kineOf = (report: SnapshotReport): KineStats => {
  const kine = report.databases.find((d) => d.kine)?.kine;
  if (!kine) throw new Error(`${report.file} has no kine table`);
  return kine;
};

function sum(prefixes: KinePrefixStats[]) {
  const total = { prefixes: prefixes.length, rows: 0, liveKeys: 0, deletedRows: 0, bytes: 0 };
  for (const p of prefixes) {
    total.rows += p.rows;
    total.liveKeys += p.liveKeys;
    total.deletedRows += p.deletedRows;
    total.bytes += p.bytes;
  }
  return total;
}

describe('kine prefixes past maxKinePrefixes are folded', async () => {
  const full = kineOf(await inspectSnapshot(AFTER));
  const folded = kineOf(await inspectSnapshot(AFTER, { maxKinePrefixes: 3 }));

  it('lists every prefix by default (a real table has far fewer than the default)', () => {
    expect(LIMITS.maxKinePrefixes.default).toBe(1000);
    expect(full.prefixCount).toBe(16);
    expect(full.prefixes).toHaveLength(16);
    expect(full.otherPrefixes).toEqual({ prefixes: 0, rows: 0, liveKeys: 0, deletedRows: 0, bytes: 0 });
    const { prefixes: _count, ...totals } = sum(full.prefixes);
    expect(totals).toEqual({
      rows: full.rows,
      liveKeys: full.liveKeys,
      deletedRows: full.deletedRows,
      bytes: full.bytes,
    });
  });

  it('orders prefixes by rows, then by the bytes of the prefix, the same on every run', async () => {
    const order = [...full.prefixes].sort(
      (a, b) => b.rows - a.rows || Buffer.compare(Buffer.from(a.prefix), Buffer.from(b.prefix)),
    );
    expect(full.prefixes).toEqual(order);
    // Equal row counts do occur in this table: the tie-break is exercised, not assumed.
    expect(new Set(full.prefixes.map((p) => p.rows)).size).toBeLessThan(full.prefixes.length);
    expect(kineOf(await inspectSnapshot(AFTER))).toEqual(full);
  });

  it('keeps the first N, sums the rest, and the totals stay those of the whole table', () => {
    expect(folded.prefixes).toEqual(full.prefixes.slice(0, 3));
    expect(folded.otherPrefixes).toEqual(sum(full.prefixes.slice(3)));
    expect(folded.prefixCount).toBe(16);
    for (const total of ['rows', 'liveKeys', 'deletedRows', 'bytes'] as const)
      expect(folded[total], total).toBe(full[total]);
  });

  it('counts the same without an index on name (keys are summed into a table of their own)', async () => {
    const dir = join(root, 'no-index');
    await extractSnapshot(AFTER, dir);
    const plain = join(root, 'no-index.sqlite');
    const db = new Database(plain);
    db.exec(`ATTACH DATABASE '${join(dir, 'k8s.sqlite')}' AS real`);
    const table = db.prepare(`SELECT sql FROM real.sqlite_schema WHERE name = 'kine'`).get() as {
      sql: string;
    };
    db.exec(table.sql);
    db.exec('INSERT INTO main.kine SELECT * FROM real.kine ORDER BY id');
    expect(db.prepare(`SELECT count(*) AS n FROM sqlite_schema WHERE type = 'index'`).get()).toEqual({
      n: 0,
    });
    db.exec('DETACH DATABASE real');
    db.close();
    const snapshot = writeSnapshot(
      join(root, 'no-index-ev'),
      fsmPayload([{ name: 'k8s', main: readFileSync(plain) }]),
    );
    expect(kineOf(await inspectSnapshot(snapshot))).toEqual(full);
    expect(kineOf(await inspectSnapshot(snapshot, { maxKinePrefixes: 3 }))).toEqual(folded);
  });
});

describe('a before/after pair read together lists the same prefixes on both sides', async () => {
  const fullBefore = kineOf(await inspectSnapshot(BEFORE));
  const fullAfter = kineOf(await inspectSnapshot(AFTER));
  const pair = await inspectSnapshotPair(BEFORE, AFTER, { maxKinePrefixes: 2 });
  const before = kineOf(pair.before);
  const after = kineOf(pair.after);
  const names = (kine: KineStats) => kine.prefixes.map((p) => p.prefix);

  it('adds to each side the prefixes only the other listed, with their exact numbers', () => {
    const topBefore = names(fullBefore).slice(0, 2);
    const topAfter = names(fullAfter).slice(0, 2);
    // The two sides' own top prefixes differ, so each side gains one from the other.
    expect(topBefore).not.toEqual(topAfter);
    const union = new Set([...topBefore, ...topAfter]);
    for (const [side, whole] of [
      [before, fullBefore],
      [after, fullAfter],
    ] as const) {
      expect(new Set(names(side))).toEqual(new Set(names(whole).filter((p) => union.has(p))));
      for (const p of side.prefixes) expect(p).toEqual(whole.prefixes.find((w) => w.prefix === p.prefix));
      expect(side.otherPrefixes).toEqual(sum(whole.prefixes.filter((p) => !union.has(p.prefix))));
      expect(side.rows).toBe(whole.rows);
    }
  });
});
