import Database from 'better-sqlite3';
import { EvidenceError } from '../../errors.js';
import type { DatabaseReport, KinePrefixStats, KineStats, TableStats } from '../../types/index.js';
import { isKineBookkeeping, kinePrefix } from './kine-prefix.js';
import { summarizeWal } from '../../parse/dqlite/wal.js';
import { readPageSize, type MaterializedDatabase } from './materialize.js';

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Opens one scratch database (SQLite applies its WAL on open, which needs a writable scratch dir)
 * and measures it. `displayName` names the evidence in errors; notes for the report's `warnings`
 * (e.g. WAL frames SQLite ignores) are appended to `warnings`.
 */
export function measureDatabase(
  database: MaterializedDatabase,
  displayName: string,
  warnings: string[] = [],
): DatabaseReport {
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
  // Read before SQLite opens the database: it checkpoints and removes the WAL when it closes.
  const wal = database.walBytes > 0 ? summarizeWal(`${database.mainPath}-wal`) : null;
  if (wal?.problem) {
    warnings.push(
      `database '${database.name}': ${wal.problem}; SQLite applies ${wal.applied} of ${wal.frames} WAL frames`,
    );
  }
  const walFrames = wal?.applied ?? 0;
  let db: Database.Database | null = null;
  try {
    db = new Database(database.mainPath, { fileMustExist: true });
    // Map (up to 256 MiB of) the scratch file instead of copying each page through read(): less
    // system time. Mapped pages count in RSS, hence the cap.
    db.pragma('mmap_size = 268435456');
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
    const kine = tableNames.includes('kine') ? measureKine(db) : null;
    const countRows = (name: string): number =>
      // kine was just counted row by row; don't scan its largest table twice.
      name === 'kine' && kine
        ? kine.rows
        : Number(
            (db!.prepare(`SELECT count(*) AS n FROM ${quoteIdentifier(name)}`).get() as { n: number }).n,
          );
    const tables: TableStats[] = tableNames.map((name) => ({
      name,
      rows: countRows(name),
      bytes: bytesByTable.get(name) ?? 0,
    }));
    return {
      name: database.name,
      pageSize,
      pageCount: pragma('page_count'),
      freelistCount: pragma('freelist_count'),
      walFrames,
      tables,
      kine,
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
 * One pass over kine grouped by key, then by prefix, inside SQLite (only one row per prefix comes
 * back to JavaScript). A live key is a Kubernetes key whose newest revision is not a tombstone:
 * SQLite returns the `deleted` of the max(id) row for a bare column beside max().
 */
function measureKine(db: Database.Database): KineStats | null {
  const columns = new Set((db.pragma('table_info(kine)') as { name: string }[]).map((c) => c.name));
  if (!['id', 'name', 'deleted', 'value', 'old_value'].every((c) => columns.has(c))) return null;
  db.function('howchain_kine_prefix', { deterministic: true }, (name: unknown) =>
    kinePrefix(name === null ? '' : String(name)),
  );
  const rows = db
    .prepare(
      `SELECT howchain_kine_prefix(name) AS prefix, sum(rows) AS rows, sum(newestDeleted = 0) AS liveKeys,
              sum(deletedRows) AS deletedRows, sum(bytes) AS bytes
         FROM (SELECT name, max(id) AS newest, deleted AS newestDeleted, count(*) AS rows,
                      sum(deleted <> 0) AS deletedRows,
                      sum(coalesce(length(value), 0) + coalesce(length(old_value), 0)) AS bytes
                 FROM kine GROUP BY name)
        GROUP BY prefix`,
    )
    .all() as KinePrefixStats[];
  const totals: KineStats = { rows: 0, liveKeys: 0, deletedRows: 0, prefixes: [] };
  for (const stats of rows) {
    // Bookkeeping names are buckets of their own, so a whole bucket is either live or not.
    if (isKineBookkeeping(stats.prefix)) stats.liveKeys = 0;
    totals.rows += stats.rows;
    totals.liveKeys += stats.liveKeys;
    totals.deletedRows += stats.deletedRows;
  }
  totals.prefixes = rows.sort((a, b) => b.rows - a.rows || a.prefix.localeCompare(b.prefix));
  return totals;
}
