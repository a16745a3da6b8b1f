import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { inspectSnapshot } from '../../src/store/snapshot-db.js';

/** ground-truth.json as scripts/dqlite-generator writes it: what dqlite reported over SQL. */
export interface GeneratedTruth {
  scenario: string;
  database_open_order: string[];
  notes: string[];
  snapshots: {
    label: string;
    file: string;
    term: number;
    index: number;
    timestamp: number;
    size: number;
    sha256: string;
    compressed: boolean;
    databases: Record<
      string,
      {
        tables: Record<string, number>;
        pages: { page_size: number; page_count: number; freelist_count: number };
        kine?: {
          rows: number;
          deleted_rows: number;
          live_keys: number;
          rows_by_prefix: Record<string, number>;
          deleted_rows_by_prefix: Record<string, number>;
          live_keys_by_prefix: Record<string, number>;
          /** Not in the shared fixtures' ground truth. */
          value_bytes_by_prefix?: Record<string, number>;
        };
      }
    >;
  }[];
}

export function readTruth(path: string): GeneratedTruth {
  return JSON.parse(readFileSync(path, 'utf8')) as GeneratedTruth;
}

function nonZero(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n !== 0));
}

/** Inspects `dir/<snapshot.file>` and asserts every number dqlite reported, exactly. */
export async function expectMatchesTruth(
  dir: string,
  truth: GeneratedTruth,
  snapshot: GeneratedTruth['snapshots'][number],
) {
  const report = await inspectSnapshot(join(dir, snapshot.file), { displayName: snapshot.file });
  expect(report).toMatchObject({
    file: snapshot.file,
    sha256: snapshot.sha256,
    bytes: snapshot.size,
    compressed: snapshot.compressed,
  });
  expect(report.meta).toMatchObject({
    term: snapshot.term,
    index: snapshot.index,
    timestamp: snapshot.timestamp,
  });
  expect(report.meta.checksum?.ok).toBe(true);
  expect(report.warnings).toEqual([]);
  expect(report.databases.map((d) => d.name)).toEqual(truth.database_open_order);
  for (const database of report.databases) {
    const want = snapshot.databases[database.name];
    if (!want) throw new Error(`ground truth has no database ${database.name}`);
    expect(Object.fromEntries(database.tables.map((t) => [t.name, t.rows])), database.name).toEqual(
      want.tables,
    );
    expect({
      pageSize: database.pageSize,
      pageCount: database.pageCount,
      freelistCount: database.freelistCount,
    }).toEqual({
      pageSize: want.pages.page_size,
      pageCount: want.pages.page_count,
      freelistCount: want.pages.freelist_count,
    });
    if (!want.kine) {
      expect(database.kine).toBeNull();
      continue;
    }
    const prefixes = database.kine?.prefixes ?? [];
    const field = (name: 'rows' | 'deletedRows' | 'liveKeys' | 'bytes') =>
      nonZero(Object.fromEntries(prefixes.map((p) => [p.prefix, p[name]])));
    expect(database.kine).toMatchObject({
      rows: want.kine.rows,
      deletedRows: want.kine.deleted_rows,
      liveKeys: want.kine.live_keys,
    });
    expect(field('rows')).toEqual(nonZero(want.kine.rows_by_prefix));
    expect(field('deletedRows')).toEqual(nonZero(want.kine.deleted_rows_by_prefix));
    expect(field('liveKeys')).toEqual(nonZero(want.kine.live_keys_by_prefix));
    if (want.kine.value_bytes_by_prefix) {
      expect(field('bytes')).toEqual(nonZero(want.kine.value_bytes_by_prefix));
    }
  }
  return report;
}
