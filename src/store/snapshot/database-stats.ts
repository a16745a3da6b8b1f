import { closeSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { EvidenceError } from '../../errors.js';
import type {
  DatabaseReport,
  FoldedKinePrefixes,
  KinePrefixStats,
  KineStats,
  TableStats,
} from '../../types/index.js';
import { LIMITS } from '../../limits.js';
import { KINE_BOOKKEEPING_BUCKETS, kinePrefix } from './kine-prefix.js';
import { summarizeWal } from '../../parse/dqlite/wal.js';
import { readPageSize, type MaterializedDatabase } from './materialize.js';

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Opens one scratch database (SQLite applies its WAL on open, which needs a writable scratch dir)
 * and measures it; kine is grouped into a scratch file of its own, so the database's own pages and
 * sizes are left as decoded. `displayName` names the evidence in errors; notes for the report's
 * `warnings` (e.g. WAL frames SQLite ignores) are appended to `warnings`.
 */
export function measureDatabase(
  database: MaterializedDatabase,
  displayName: string,
  warnings: string[] = [],
  maxKinePrefixes: number = LIMITS.maxKinePrefixes.default,
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
    const kine = tableNames.includes('kine')
      ? measureKine(db, kinePrefixTablePath(database), maxKinePrefixes)
      : null;
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

/** Value bytes of one kine row. */
const VALUE_BYTES = 'coalesce(length(value), 0) + coalesce(length(old_value), 0)';
/** 1 for a tombstone; a NULL `deleted` (not written by kine) counts as neither, never as NULL. */
const TOMBSTONE = 'coalesce(deleted <> 0, 0)';

/** Adds a row's numbers to those of its group when the group is already there. */
const ADD_TO_PREFIX = `ON CONFLICT (prefix) DO UPDATE SET rows = rows + excluded.rows,
  liveKeys = liveKeys + excluded.liveKeys, deletedRows = deletedRows + excluded.deletedRows,
  bytes = bytes + excluded.bytes`;

/** The scratch file kine is grouped into, beside the decoded database (read again by kinePrefixesNamed). */
export function kinePrefixTablePath(database: MaterializedDatabase): string {
  return `${database.mainPath}-kine-prefixes`;
}

/** True when an index on kine starts with `name`: then SQLite groups by name in index order. */
function nameIndexed(db: Database.Database): boolean {
  return (db.pragma('index_list(kine)') as { name: string }[]).some(
    (index) =>
      (db.pragma(`index_info(${quoteIdentifier(index.name)})`) as { seqno: number; name: string }[]).find(
        (column) => column.seqno === 0,
      )?.name === 'name',
  );
}

/**
 * Groups kine by key, then by prefix, into a table of the scratch file beside the database, and
 * brings back only the `maxPrefixes` prefixes with the most rows plus the sums of the rest: a kine
 * table can hold a million prefixes. No GROUP BY over the prefixes: SQLite's sorter would spill to
 * its own temp folder (outside the scratch folder, fixed when SQLite starts), while these B-trees
 * live in the scratch file, in SQLite's page cache. Real kine has an index on `name`, so grouping by
 * key reads it in order; without one, keys are summed into a table of their own first.
 *
 * A live key is a Kubernetes key whose newest revision is not a tombstone: SQLite returns the
 * `deleted` of the max(id) row for a bare column beside max().
 */
function measureKine(db: Database.Database, tablePath: string, maxPrefixes: number): KineStats | null {
  const columns = new Set((db.pragma('table_info(kine)') as { name: string }[]).map((c) => c.name));
  if (!['id', 'name', 'deleted', 'value', 'old_value'].every((c) => columns.has(c))) return null;
  db.function('howchain_kine_prefix', { deterministic: true }, (name: unknown) =>
    kinePrefix(name === null ? '' : String(name)),
  );
  // The connection was opened without SQLITE_OPEN_CREATE (the database must exist), and ATTACH
  // takes the same flags: the file is made here, empty (which SQLite reads as an empty database).
  closeSync(openSync(tablePath, 'wx', 0o600));
  db.prepare('ATTACH DATABASE ? AS howchain').run(tablePath);
  // Scratch that is rebuilt from the evidence on every run: no journal, no fsync.
  db.pragma('howchain.journal_mode = OFF');
  db.pragma('howchain.synchronous = OFF');
  db.exec(`CREATE TABLE howchain.prefixes (prefix TEXT PRIMARY KEY, rows INTEGER, liveKeys INTEGER,
             deletedRows INTEGER, bytes INTEGER) WITHOUT ROWID`);
  let perKey = `SELECT name, max(id) AS newest, deleted AS newestDeleted, count(*) AS rows,
                       sum(${TOMBSTONE}) AS deletedRows, sum(${VALUE_BYTES}) AS bytes
                  FROM kine GROUP BY name`;
  if (!nameIndexed(db)) {
    db.exec(`CREATE TABLE howchain.keys (name PRIMARY KEY, newest, newestDeleted, rows, deletedRows, bytes)
               WITHOUT ROWID`);
    // Every SET expression reads the row as it was, so the newest revision's `deleted` wins.
    db.exec(`INSERT INTO howchain.keys
             SELECT coalesce(name, ''), id, deleted, 1, ${TOMBSTONE}, ${VALUE_BYTES} FROM kine WHERE true
             ON CONFLICT (name) DO UPDATE SET
               newestDeleted = iif(excluded.newest > newest, excluded.newestDeleted, newestDeleted),
               newest = max(newest, excluded.newest), rows = rows + 1,
               deletedRows = deletedRows + excluded.deletedRows, bytes = bytes + excluded.bytes`);
    perKey = 'SELECT * FROM howchain.keys';
  }
  db.exec(`INSERT INTO howchain.prefixes
           SELECT howchain_kine_prefix(name), rows, newestDeleted IS 0, deletedRows, bytes
             FROM (${perKey}) WHERE true ${ADD_TO_PREFIX}`);
  // Bookkeeping names are buckets of their own, so a whole bucket is either live or not.
  db.prepare(
    `UPDATE howchain.prefixes SET liveKeys = 0 WHERE prefix IN (${KINE_BOOKKEEPING_BUCKETS.map(() => '?').join(', ')})`,
  ).run(...KINE_BOOKKEEPING_BUCKETS);
  const all = db
    .prepare(
      `SELECT count(*) AS prefixes, total(rows) AS rows, total(liveKeys) AS liveKeys,
              total(deletedRows) AS deletedRows, total(bytes) AS bytes FROM howchain.prefixes`,
    )
    .get() as FoldedKinePrefixes;
  const listed = db
    .prepare(
      `SELECT prefix, rows, liveKeys, deletedRows, bytes FROM howchain.prefixes
        ORDER BY rows DESC, prefix LIMIT ?`,
    )
    .all(maxPrefixes) as KinePrefixStats[];
  const otherPrefixes = { ...all, prefixes: all.prefixes - listed.length };
  for (const p of listed) {
    otherPrefixes.rows -= p.rows;
    otherPrefixes.liveKeys -= p.liveKeys;
    otherPrefixes.deletedRows -= p.deletedRows;
    otherPrefixes.bytes -= p.bytes;
  }
  return {
    rows: all.rows,
    liveKeys: all.liveKeys,
    deletedRows: all.deletedRows,
    bytes: all.bytes,
    prefixCount: all.prefixes,
    prefixes: listed,
    otherPrefixes,
  };
}

/**
 * The numbers of the named prefixes in a database measured by measureDatabase (its scratch files
 * still there), for those it has; the others are not in its kine table.
 */
export function kinePrefixesNamed(database: MaterializedDatabase, prefixes: string[]): KinePrefixStats[] {
  const db = new Database(kinePrefixTablePath(database), { readonly: true, fileMustExist: true });
  try {
    const find = db.prepare(
      'SELECT prefix, rows, liveKeys, deletedRows, bytes FROM prefixes WHERE prefix = ?',
    );
    const found: KinePrefixStats[] = [];
    for (const prefix of prefixes) {
      const row = find.get(prefix) as KinePrefixStats | undefined;
      if (row) found.push(row);
    }
    return found;
  } finally {
    db.close();
  }
}
