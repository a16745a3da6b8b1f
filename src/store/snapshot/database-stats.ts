import Database from 'better-sqlite3';
import { EvidenceError } from '../../errors.js';
import type { DatabaseReport, KinePrefixStats, KineStats, TableStats } from '../../types/index.js';
import { isKineBookkeeping, kinePrefix } from './kine-prefix.js';
import { readPageSize, type MaterializedDatabase } from './materialize.js';

const WAL_HEADER_BYTES = 32;
const WAL_FRAME_HEADER_BYTES = 24;

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Opens one scratch database (SQLite applies its WAL on open, which needs a writable scratch dir)
 * and measures it. `displayName` names the evidence in errors.
 */
export function measureDatabase(database: MaterializedDatabase, displayName: string): DatabaseReport {
  const empty: DatabaseReport = {
    name: database.name,
    pageSize: 0,
    pageCount: 0,
    freelistCount: 0,
    walFrames: 0,
    tables: [],
    kine: null,
  };
  if (database.mainBytes === 0) return empty;
  const pageSize = readPageSize(database.mainPath);
  if (pageSize === null || pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) {
    throw new EvidenceError(
      displayName,
      `database '${database.name}' does not start with a valid SQLite header`,
    );
  }
  const walFrames =
    database.walBytes > 0
      ? Math.floor((database.walBytes - WAL_HEADER_BYTES) / (WAL_FRAME_HEADER_BYTES + pageSize))
      : 0;
  let db: Database.Database | null = null;
  try {
    db = new Database(database.mainPath, { fileMustExist: true });
    const pragma = (name: string): number => Number(db!.pragma(name, { simple: true }));
    const tableNames = (
      db
        .prepare(
          `SELECT name FROM sqlite_schema WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name`,
        )
        .all() as { name: string }[]
    ).map((row) => row.name);
    const owner = new Map<string, string>(
      (
        db
          .prepare(`SELECT name, tbl_name AS tbl FROM sqlite_schema WHERE type IN ('table', 'index')`)
          .all() as {
          name: string;
          tbl: string;
        }[]
      ).map((row) => [row.name, row.tbl]),
    );
    const bytesByTable = new Map<string, number>();
    for (const row of db.prepare(`SELECT name, pgsize FROM dbstat WHERE aggregate = TRUE`).all() as {
      name: string;
      pgsize: number;
    }[]) {
      const table = owner.get(row.name) ?? row.name;
      bytesByTable.set(table, (bytesByTable.get(table) ?? 0) + row.pgsize);
    }
    const tables: TableStats[] = tableNames.map((name) => ({
      name,
      rows: Number(
        (db!.prepare(`SELECT count(*) AS n FROM ${quoteIdentifier(name)}`).get() as { n: number }).n,
      ),
      bytes: bytesByTable.get(name) ?? 0,
    }));
    return {
      name: database.name,
      pageSize,
      pageCount: pragma('page_count'),
      freelistCount: pragma('freelist_count'),
      walFrames,
      tables,
      kine: tableNames.includes('kine') ? measureKine(db) : null,
    };
  } catch (error) {
    if (error instanceof EvidenceError) throw error;
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('SQLITE_')) {
      throw new EvidenceError(
        displayName,
        `database '${database.name}' cannot be read by SQLite: ${error.message}`,
      );
    }
    throw error;
  } finally {
    db?.close();
  }
}

/**
 * One pass over kine grouped by key. A live key is a Kubernetes key whose newest revision is not a
 * tombstone (SQLite returns the `deleted` of the max(id) row for a bare column beside max()).
 */
function measureKine(db: Database.Database): KineStats | null {
  const columns = new Set((db.pragma('table_info(kine)') as { name: string }[]).map((c) => c.name));
  if (!['id', 'name', 'deleted', 'value', 'old_value'].every((c) => columns.has(c))) return null;
  const rows = db
    .prepare(
      `SELECT name, max(id) AS newest, deleted AS newestDeleted, count(*) AS rows,
              sum(deleted <> 0) AS deletedRows,
              sum(coalesce(length(value), 0) + coalesce(length(old_value), 0)) AS bytes
         FROM kine GROUP BY name`,
    )
    .raw()
    .iterate() as IterableIterator<[string | Buffer | null, number, number, number, number, number]>;
  const byPrefix = new Map<string, KinePrefixStats>();
  const totals: KineStats = { rows: 0, liveKeys: 0, deletedRows: 0, prefixes: [] };
  for (const [rawName, , newestDeleted, count, deletedRows, bytes] of rows) {
    const name = rawName === null ? '' : String(rawName);
    const prefix = kinePrefix(name);
    let stats = byPrefix.get(prefix);
    if (!stats) {
      stats = { prefix, rows: 0, liveKeys: 0, deletedRows: 0, bytes: 0 };
      byPrefix.set(prefix, stats);
    }
    const live = !newestDeleted && !isKineBookkeeping(name) ? 1 : 0;
    stats.rows += count;
    stats.liveKeys += live;
    stats.deletedRows += deletedRows;
    stats.bytes += bytes;
    totals.rows += count;
    totals.liveKeys += live;
    totals.deletedRows += deletedRows;
  }
  totals.prefixes = [...byPrefix.values()].sort(
    (a, b) => b.rows - a.rows || a.prefix.localeCompare(b.prefix),
  );
  return totals;
}
