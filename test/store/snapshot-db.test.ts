import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractSnapshot, inspectSnapshot } from '../../src/store/snapshot-db.js';
import { parseSnapshotName } from '../../src/parse/dqlite/name.js';
import { expectMatchesTruth, type GeneratedTruth } from './snapshot-truth.js';

/**
 * Snapshots written by the real dqlite library (Debian libdqlite0 1.11.1 via go-dqlite), checked
 * against what dqlite itself reported over SQL after restoring each snapshot on a fresh node.
 */
const REAL = join(import.meta.dirname, '../fixtures/dqlite-real');

interface RealTruth {
  node: { database_open_order: string[] };
  snapshots: (Omit<GeneratedTruth['snapshots'][number], 'label' | 'compressed' | 'databases'> & {
    state_restored_from_this_snapshot_alone: { databases: GeneratedTruth['snapshots'][number]['databases'] };
  })[];
}

for (const scenario of readdirSync(REAL).filter((name) => !name.includes('.'))) {
  const real = JSON.parse(readFileSync(join(REAL, scenario, 'ground-truth.json'), 'utf8')) as RealTruth;
  // The shared fixtures' ground truth, in the generator's shape: the state a fresh node restored
  // from each snapshot alone is what the snapshot holds.
  const truth: GeneratedTruth = {
    scenario,
    database_open_order: real.node.database_open_order,
    notes: [],
    snapshots: real.snapshots.map(({ state_restored_from_this_snapshot_alone: state, ...snapshot }) => ({
      ...snapshot,
      label: snapshot.file,
      compressed: scenario !== 'uncompressed',
      databases: state.databases,
    })),
  };
  describe(`real dqlite snapshots: ${scenario}`, () => {
    // The two largest uncompressed snapshots (1.6 and 2.1 MB) were left out of the repo to keep it small.
    for (const snapshot of truth.snapshots.filter((s) => existsSync(join(REAL, scenario, s.file)))) {
      it(`${snapshot.file} matches what dqlite restored`, async () => {
        const report = await expectMatchesTruth(join(REAL, scenario), truth, snapshot);
        expect(report.meta.servers).toEqual([
          { id: '3297041220608546238', address: expect.stringMatching(/^127\.0\.0\.1:\d+$/), role: 'voter' },
        ]);
      });
    }
  });
}

describe('snapshot metadata', () => {
  it('reads WAL frames from snapshots whose rows sit in the WAL', async () => {
    const report = await inspectSnapshot(join(REAL, 'kine-small/snapshot-1-160-3278102'));
    expect(report.databases[0]?.walFrames).toBeGreaterThan(0);
  });

  it('anchors the wall clock to a given boot time before the mtime', async () => {
    const bootTime = new Date('2026-03-30T01:00:00Z');
    const report = await inspectSnapshot(join(REAL, 'kine-small/snapshot-1-160-3278102'), {
      bootTime,
      mtimeMs: 1,
    });
    expect(report.meta.wallClock).toBe(new Date(bootTime.getTime() + 3278102).toISOString());
    expect(report.meta.wallClockAnchor).toMatch(/^boot time 2026-03-30T01:00:00.000Z/);
  });

  it('uses the mtime the caller passes (e.g. from a tar header)', async () => {
    const report = await inspectSnapshot(join(REAL, 'kine-small/snapshot-1-160-3278102'), {
      mtimeMs: Date.parse('2026-04-01T10:00:00Z'),
    });
    expect(report.meta.wallClock).toBe('2026-04-01T10:00:00.000Z');
    expect(report.meta.wallClockAnchor).toMatch(/^file mtime/);
  });

  it('every fixture name parses', () => {
    for (const scenario of ['kine-small', 'multi-db', 'uncompressed']) {
      for (const name of readdirSync(join(REAL, scenario)).filter(
        (n) => n.startsWith('snapshot-') && !n.endsWith('.meta'),
      )) {
        expect(parseSnapshotName(name), name).not.toBeNull();
      }
    }
  });
});

/** An uncompressed dqlite FSM payload holding the given main images and no WAL. */
function fsmPayload(databases: { name: string; main: Buffer }[]): Buffer {
  const u64 = (n: number) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(n));
    return b;
  };
  const parts: Buffer[] = [u64(1), u64(databases.length)];
  for (const { name, main } of databases) {
    const text = Buffer.from(`${name}\0`);
    parts.push(text, Buffer.alloc((8 - (text.length % 8)) % 8), u64(main.length), u64(0), main);
  }
  return Buffer.concat(parts);
}

describe('extract with awkward database names', () => {
  it('keeps every file directly inside --out, one per database', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'howchain-names-'));
    const outside = mkdtempSync(join(tmpdir(), 'howchain-names-out-'));
    try {
      const [k8s] = await extractSnapshot(
        join(REAL, 'kine-small/snapshot-1-32-3273363'),
        join(scratch, 'one'),
      );
      const main = readFileSync(k8s?.path as string);
      mkdirSync(join(scratch, 'evidence'));
      const path = join(scratch, 'evidence', 'snapshot-1-1-1');
      writeFileSync(path, fsmPayload(['k8s', '../k8s', 'k8s', ''].map((name) => ({ name, main }))));
      // Out of the evidence's tree: everything up to the temp folder around a snapshot counts as evidence.
      const out = join(outside, 'out');
      const files = await extractSnapshot(path, out);
      expect(files.map((f) => f.name)).toEqual(['k8s', '../k8s', 'k8s', '']);
      expect(new Set(files.map((f) => f.path)).size).toBe(4);
      for (const file of files) expect(dirname(file.path)).toBe(out);
      expect(files.map((f) => basename(f.path))).toEqual([
        'k8s.sqlite',
        '__k8s.sqlite',
        'k8s-2.sqlite',
        'db-3.sqlite',
      ]);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe('dqlite ≥ 1.17 layout (merged pages, wal_size 0)', () => {
  it('counts the same as the WAL-carrying original it was converted from', async () => {
    // dqlite ≥ 1.17 writes each database as the merged page image with wal_size 0. No such
    // snapshot can be generated here (Debian ships 1.11), so convert a real one the way 1.17 would
    // lay it out: SQLite applies the WAL (extract), the payload carries that image and wal_size 0.
    const source = join(REAL, 'multi-db/snapshot-1-112-3283766');
    const scratch = mkdtempSync(join(tmpdir(), 'howchain-117-'));
    try {
      const extracted = await extractSnapshot(source, join(scratch, 'db'));
      const payload = fsmPayload(
        extracted.map((db) => {
          const main = readFileSync(db.path);
          main[18] = main[19] = 2; // dqlite's images stay in WAL mode (page 1 header bytes 18–19)
          return { name: db.name, main };
        }),
      );
      const converted = join(scratch, 'snapshot-1-112-3283766');
      writeFileSync(converted, payload);
      const original = await inspectSnapshot(source);
      const report = await inspectSnapshot(converted);
      expect(report.warnings).toEqual([expect.stringMatching(/no snapshot-1-112-3283766\.meta/)]);
      expect(report.databases.map((d) => d.walFrames)).toEqual([0, 0]);
      expect(
        report.databases.map(({ walFrames, tables, ...rest }) => ({
          ...rest,
          tables: tables.map((t) => [t.name, t.rows]),
        })),
      ).toEqual(
        original.databases.map(({ walFrames, tables, ...rest }) => ({
          ...rest,
          tables: tables.map((t) => [t.name, t.rows]),
        })),
      );
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});

describe('a WAL damaged after the fact', () => {
  it('is recovered the way SQLite recovers it, with a warning saying how many frames apply', async () => {
    const source = readFileSync(join(REAL, 'uncompressed/snapshot-1-32-3286395'));
    const scratch = mkdtempSync(join(tmpdir(), 'howchain-wal-'));
    try {
      const damaged = Buffer.from(source);
      const at = damaged.length - 100; // inside the page of the WAL's last frame
      damaged[at] = (damaged[at] as number) ^ 0xff;
      const path = join(scratch, 'snapshot-1-32-3286395');
      writeFileSync(path, damaged);
      const report = await inspectSnapshot(path);
      expect(report.warnings).toEqual([
        expect.stringMatching(/no snapshot-1-32-3286395\.meta/),
        expect.stringMatching(
          /^database 'k8s': WAL frame (\d+) fails its checksum; SQLite applies \d+ of \1 WAL frames$/,
        ),
      ]);
      const intact = await inspectSnapshot(join(REAL, 'uncompressed/snapshot-1-32-3286395'));
      expect(report.databases[0]?.walFrames).toBeLessThan(intact.databases[0]?.walFrames as number);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
