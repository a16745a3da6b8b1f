/**
 * The case database (SQLite via better-sqlite3): the custody manifest of every ingested bundle and
 * what was read from it — events, object facts, snapshot reports, annotations, per-file problems.
 * Schema and guarantees: docs/case-schema.md. Writes for one bundle happen in one transaction, so a
 * failed run leaves the case as it was; re-ingesting a file replaces exactly that file's rows.
 */
import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { EventTable } from './event-table.js';
import { UsageError } from '../errors.js';
import { fileKey, findSetAside } from './set-aside.js';
import type {
  Annotation,
  BundleRecord,
  CaseData,
  CaseSummary,
  EventKind,
  EvidenceEvent,
  KineStats,
  ManifestEntry,
  ObjectFact,
  ProgressCallback,
  SetAsideFile,
  SnapshotReport,
} from '../types/index.js';
import { EVENT_KINDS } from '../types/index.js';
import { WITHOUT_CASE_TABLES, notACase } from './not-a-case.js';

export const CASE_SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS bundles (
  path        TEXT PRIMARY KEY,
  kind        TEXT NOT NULL,
  container   TEXT NOT NULL,
  ingested_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS manifest (
  bundle   TEXT NOT NULL,
  path     TEXT NOT NULL,
  size     INTEGER NOT NULL,
  mtime_ms REAL NOT NULL,
  sha256   TEXT NOT NULL,
  type     TEXT NOT NULL,
  error    TEXT,
  PRIMARY KEY (bundle, path)
);
CREATE TABLE IF NOT EXISTS events (
  bundle    TEXT NOT NULL,
  file      TEXT NOT NULL,
  line      INTEGER NOT NULL,
  kind      TEXT NOT NULL,
  ts        TEXT,
  ts_source TEXT NOT NULL,
  subject   TEXT,
  source    TEXT NOT NULL,
  severity  TEXT NOT NULL,
  message   TEXT NOT NULL,
  attrs     TEXT,
  PRIMARY KEY (bundle, file, line, kind)
);
CREATE INDEX IF NOT EXISTS events_by_time ON events (ts);
CREATE TABLE IF NOT EXISTS facts (
  bundle  TEXT NOT NULL,
  file    TEXT NOT NULL,
  ordinal INTEGER NOT NULL,
  kind    TEXT NOT NULL,
  fact    TEXT NOT NULL,
  PRIMARY KEY (bundle, file, ordinal)
);
CREATE TABLE IF NOT EXISTS snapshot_reports (
  bundle TEXT NOT NULL,
  file   TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  report TEXT NOT NULL,
  PRIMARY KEY (bundle, file)
);
CREATE TABLE IF NOT EXISTS annotations (
  bundle TEXT NOT NULL,
  file   TEXT NOT NULL,
  line   INTEGER NOT NULL,
  ts     TEXT,
  text   TEXT NOT NULL,
  PRIMARY KEY (bundle, file, line)
);
CREATE TABLE IF NOT EXISTS problems (
  bundle  TEXT NOT NULL,
  file    TEXT NOT NULL,
  problem TEXT NOT NULL,
  PRIMARY KEY (bundle, file, problem)
);
`;

/**
 * Opens (or creates) a case. An existing file that is not a howchain case — another SQLite database,
 * or not SQLite at all — is refused before anything is written to it (not even the journal mode).
 */
export function openCase(casePath: string): Database.Database {
  if (existsSync(casePath) && statSync(casePath).size > 0) refuseIfNotCase(casePath);
  const db = new Database(casePath);
  db.pragma('journal_mode = WAL');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > CASE_SCHEMA_VERSION) {
    db.close();
    throw new UsageError(
      `${casePath}: case schema ${version} is newer than this howchain (${CASE_SCHEMA_VERSION})`,
    );
  }
  const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as {
    n: number;
  };
  if (version === 0 && tables.n > 0) {
    db.close();
    throw new UsageError(`${casePath}: ${notACase(WITHOUT_CASE_TABLES)}`);
  }
  db.exec(SCHEMA);
  db.pragma(`user_version = ${CASE_SCHEMA_VERSION}`);
  return db;
}

function refuseIfNotCase(casePath: string): void {
  let db: Database.Database | null = null;
  let version: number;
  let tables: number;
  try {
    db = new Database(casePath, { readonly: true, fileMustExist: true });
    version = db.pragma('user_version', { simple: true }) as number;
    tables = (
      db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }
    ).n;
  } catch (error) {
    throw new UsageError(`${casePath}: ${notACase((error as Error).message)}`);
  } finally {
    db?.close();
  }
  if (version === 0 && tables > 0) throw new UsageError(`${casePath}: ${notACase(WITHOUT_CASE_TABLES)}`);
}

/** Writes one bundle's results in a single transaction. */
export function saveBundle(db: Database.Database, record: BundleRecord): void {
  const { bundle } = record;
  const forFile = <T extends { file: string }>(rows: T[]) => {
    const map = new Map<string, T[]>();
    for (const row of rows) {
      const list = map.get(row.file);
      if (list) list.push(row);
      else map.set(row.file, [row]);
    }
    return map;
  };
  const facts = forFile(record.facts);
  const reports = forFile(record.snapshotReports);
  const annotations = forFile(record.annotations);
  const statements = {
    bundle: db.prepare(
      `INSERT INTO bundles (path, kind, container, ingested_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (path) DO UPDATE SET kind = excluded.kind, container = excluded.container, ingested_at = excluded.ingested_at`,
    ),
    manifest: db.prepare(
      `INSERT INTO manifest (bundle, path, size, mtime_ms, sha256, type, error) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (bundle, path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms,
         sha256 = excluded.sha256, type = excluded.type, error = excluded.error`,
    ),
    manifestIfNew: db.prepare(
      `INSERT INTO manifest (bundle, path, size, mtime_ms, sha256, type, error) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (bundle, path) DO NOTHING`,
    ),
    clear: ['events', 'facts', 'snapshot_reports', 'annotations', 'problems'].map((table) =>
      db.prepare(`DELETE FROM ${table} WHERE bundle = ? AND file = ?`),
    ),
    event: db.prepare(
      `INSERT OR REPLACE INTO events (bundle, file, line, kind, ts, ts_source, subject, source, severity, message, attrs)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    fact: db.prepare(
      'INSERT OR REPLACE INTO facts (bundle, file, ordinal, kind, fact) VALUES (?, ?, ?, ?, ?)',
    ),
    report: db.prepare(
      'INSERT OR REPLACE INTO snapshot_reports (bundle, file, sha256, report) VALUES (?, ?, ?, ?)',
    ),
    annotation: db.prepare(
      'INSERT OR REPLACE INTO annotations (bundle, file, line, ts, text) VALUES (?, ?, ?, ?, ?)',
    ),
    problem: db.prepare('INSERT OR IGNORE INTO problems (bundle, file, problem) VALUES (?, ?, ?)'),
  };
  const replaced = new Set<string>();
  const write = db.transaction(() => {
    statements.bundle.run(bundle, record.kind, record.container, new Date().toISOString());
    for (const entry of record.manifest) {
      const row = [
        bundle,
        entry.path,
        entry.size,
        entry.mtimeMs,
        entry.sha256,
        entry.type,
        entry.error ?? null,
      ];
      if (record.unreadable.has(entry.path)) {
        statements.manifestIfNew.run(...row);
        continue;
      }
      statements.manifest.run(...row);
      for (const clear of statements.clear) clear.run(bundle, entry.path);
      replaced.add(entry.path);
      (facts.get(entry.path) ?? []).forEach((fact, ordinal) =>
        statements.fact.run(bundle, fact.file, ordinal, fact.kind, JSON.stringify(fact)),
      );
      for (const report of reports.get(entry.path) ?? []) {
        statements.report.run(bundle, report.file, report.sha256, JSON.stringify(report));
      }
      for (const note of annotations.get(entry.path) ?? []) {
        statements.annotation.run(bundle, note.file, note.line, note.ts, note.text);
      }
    }
    // Events stream in last (a large bundle's do not fit in memory), each to a file whose rows were
    // replaced above; an unreadable file's earlier rows stay as they were.
    for (const event of record.events) {
      if (!replaced.has(event.file)) continue;
      statements.event.run(
        bundle,
        event.file,
        event.line,
        event.kind,
        event.ts,
        event.tsSource,
        event.subject,
        event.source,
        event.severity,
        event.message,
        event.attrs ? JSON.stringify(event.attrs) : null,
      );
    }
    for (const problem of record.problems) statements.problem.run(bundle, problem.file, problem.problem);
  });
  write();
}

function manifestEntry(row: Record<string, unknown>): ManifestEntry {
  const entry: ManifestEntry = {
    bundle: row.bundle as string,
    path: row.path as string,
    size: row.size as number,
    mtimeMs: row.mtime_ms as number,
    sha256: row.sha256 as string,
    type: row.type as string,
  };
  if (row.error) entry.error = row.error as string;
  return entry;
}

/** Rows between two progress reports while a case is read. */
const PROGRESS_ROWS = 50_000;

const EVENTS_IN_ORDER = 'SELECT * FROM events ORDER BY ts IS NULL, ts, bundle, file, line, kind';

/** An event's fields other than its message and attributes, from a row. */
function eventFields(row: Record<string, unknown>): Omit<EvidenceEvent, 'message' | 'attrs'> {
  return {
    file: row.file as string,
    line: row.line as number,
    ts: row.ts as string | null,
    tsSource: row.ts_source as EvidenceEvent['tsSource'],
    kind: row.kind as EvidenceEvent['kind'],
    subject: row.subject as string | null,
    source: row.source as string,
    severity: row.severity as EvidenceEvent['severity'],
    bundle: row.bundle as string,
  };
}

function eventFromRow(row: Record<string, unknown>): EvidenceEvent {
  const event: EvidenceEvent = { ...eventFields(row), message: row.message as string };
  if (row.attrs) event.attrs = JSON.parse(row.attrs as string) as EvidenceEvent['attrs'];
  return event;
}

/** Whether a row's file is counted (not a set-aside copy of an earlier bundle's file). */
type Counted = (row: { bundle?: unknown; file?: unknown }) => boolean;

/** The manifest without set-aside copies, and a test of whether a row's file is counted. */
function countedFiles(db: Database.Database) {
  const recorded = (
    db.prepare('SELECT * FROM manifest ORDER BY bundle, path').all() as Record<string, unknown>[]
  ).map(manifestEntry);
  const bundleOrder = (db.prepare('SELECT path FROM bundles ORDER BY rowid').all() as { path: string }[]).map(
    (row) => row.path,
  );
  const setAside = findSetAside(recorded, bundleOrder);
  const aside = new Set(setAside.map((file) => fileKey(file.bundle, file.path)));
  const counted: Counted = (row) => !aside.has(fileKey(row.bundle as string, row.file as string));
  const manifest = recorded.filter((entry) => !aside.has(fileKey(entry.bundle, entry.path)));
  return { manifest, setAside, counted };
}

/** Every column but the message, which on-demand events read by rowid. */
const EVENTS_WITHOUT_MESSAGE = EVENTS_IN_ORDER.replace(
  'SELECT *',
  'SELECT rowid AS row_id, bundle, file, line, kind, ts, ts_source, subject, source, severity, attrs',
);

/**
 * A case's events as columns (src/store/event-table.ts). Messages are read by rowid when asked for,
 * through `db` while it is open (the analysis reads the text of a few: the lines it cites, the kinds it
 * reads words from), or all kept in memory when `messages` is 'kept' and the database is closed after.
 */
function readEvents(
  db: Database.Database,
  counted: Counted,
  messages: 'on-demand' | 'kept',
  onProgress?: ProgressCallback,
): EventTable {
  const total = db.prepare('SELECT count(*) FROM events').pluck().get() as number;
  const table = EventTable.builder(total);
  const kept: string[] = [];
  let read = 0;
  const query = messages === 'kept' ? EVENTS_IN_ORDER : EVENTS_WITHOUT_MESSAGE;
  for (const row of db.prepare(query).iterate() as Iterable<Record<string, unknown>>) {
    if (counted(row)) {
      const key = messages === 'kept' ? kept.push(row.message as string) - 1 : (row.row_id as number);
      // The strings of one file, kind or lease repeat across a million rows: the columns keep one of each.
      table.add(eventFields(row), (row.attrs as string | null) ?? null, key);
    }
    if (onProgress && ++read % PROGRESS_ROWS === 0) onProgress(read, total, 'reading the case');
  }
  if (messages === 'kept') return table.done((key) => kept[key]!);
  const byRow = db.prepare('SELECT message FROM events WHERE rowid = ?').pluck();
  return table.done((rowid) => {
    if (!db.open) throw new Error('event message read after its case was closed');
    return byRow.get(rowid) as string;
  });
}

function readCase(
  db: Database.Database,
  messages: 'on-demand' | 'kept',
  onProgress?: ProgressCallback,
): CaseData {
  const { manifest, setAside, counted } = countedFiles(db);
  const events = readEvents(db, counted, messages, onProgress);
  const facts = (
    db.prepare('SELECT bundle, file, fact FROM facts ORDER BY bundle, file, ordinal').all() as {
      bundle: string;
      file: string;
      fact: string;
    }[]
  )
    .filter(counted)
    .map((row) => JSON.parse(row.fact) as ObjectFact);
  const snapshotReports = (
    db.prepare('SELECT bundle, file, report FROM snapshot_reports ORDER BY bundle, file').all() as {
      bundle: string;
      file: string;
      report: string;
    }[]
  )
    .filter(counted)
    .map((row) => completeKineStats(JSON.parse(row.report) as SnapshotReport));
  const annotations = (
    db
      .prepare('SELECT bundle, file, line, ts, text FROM annotations ORDER BY ts, file, line')
      .all() as (Annotation & {
      bundle: string;
    })[]
  )
    .filter(counted)
    .map(({ file, line, ts, text }) => ({ file, line, ts, text }));
  return {
    manifest,
    events,
    facts,
    snapshotReports,
    problems: problemsOf(db, counted),
    annotations,
    setAside,
  };
}

function problemsOf(db: Database.Database, counted: Counted) {
  return (
    db.prepare('SELECT bundle, file, problem FROM problems ORDER BY bundle, file').all() as {
      bundle: string;
      file: string;
      problem: string;
    }[]
  ).filter(counted);
}

/** Rows per kind of `table` (events or facts), set-aside copies left out, counted by SQLite. */
function countByKind(
  db: Database.Database,
  table: 'events' | 'facts',
  counted: Counted,
): Map<string, number> {
  const counts = new Map<string, number>();
  // Kinds in the order they first appear, as a tally of the rows read in order would list them.
  const groups = db
    .prepare(
      `SELECT bundle, file, kind, count(*) AS n FROM ${table} GROUP BY bundle, file, kind ORDER BY bundle, file, min(rowid)`,
    )
    .iterate() as Iterable<{ bundle: string; file: string; kind: string; n: number }>;
  for (const group of groups)
    if (counted(group)) counts.set(group.kind, (counts.get(group.kind) ?? 0) + group.n);
  return counts;
}

/** Opens a case read-only, refusing a file that is not one. */
function openCaseReadOnly(casePath: string): Database.Database {
  if (!existsSync(casePath)) throw new UsageError(`${casePath}: no such case database`);
  const db = new Database(casePath, { readonly: true, fileMustExist: true });
  let version: number;
  try {
    version = db.pragma('user_version', { simple: true }) as number;
  } catch (error) {
    // SQLite reads the header only now: a file that is not SQLite fails here, not on open.
    db.close();
    throw new UsageError(`${casePath}: ${notACase((error as Error).message)}`);
  }
  if (version === 0) {
    db.close();
    throw new UsageError(`${casePath}: ${notACase(WITHOUT_CASE_TABLES)}`);
  }
  return db;
}

function loadCaseSubset<T>(casePath: string, read: (db: Database.Database) => T): T {
  const db = openCaseReadOnly(casePath);
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/**
 * Takes one bundle out of the case: every row it brought, in one transaction. Its files that were
 * set aside as copies elsewhere are counted again from their other bundle on the next read.
 */
export function removeBundle(casePath: string, bundle: string): void {
  const db = openCase(casePath);
  try {
    db.transaction(() => {
      for (const table of ['manifest', 'events', 'facts', 'snapshot_reports', 'annotations', 'problems'])
        db.prepare(`DELETE FROM ${table} WHERE bundle = ?`).run(bundle);
      db.prepare('DELETE FROM bundles WHERE path = ?').run(bundle);
    })();
  } finally {
    db.close();
  }
}

/**
 * What one bundle of the case gave, without reading the rest of the case's rows: its manifest, its
 * files set aside as copies of an earlier bundle's, and how many events it holds.
 */
export function bundleSummary(
  casePath: string,
  bundle: string,
): { manifest: ManifestEntry[]; setAside: SetAsideFile[]; events: number } {
  const manifests = loadManifests(casePath);
  const setAside = findSetAside([...manifests.values()].flat(), [...manifests.keys()]).filter(
    (file) => file.bundle === bundle,
  );
  const aside = new Set(setAside.map((file) => file.path));
  const events = loadCaseSubset(
    casePath,
    (db) => (db.prepare('SELECT count(*) AS n FROM events WHERE bundle = ?').get(bundle) as { n: number }).n,
  );
  const manifest = (manifests.get(bundle) ?? []).filter((entry) => !aside.has(entry.path));
  return { manifest, setAside, events };
}

/** Copies a case database to `target`, consistent even while another connection has it open. */
export async function copyCase(casePath: string, target: string): Promise<void> {
  const db = new Database(casePath, { readonly: true, fileMustExist: true });
  try {
    await db.backup(target);
  } finally {
    db.close();
  }
}

/** Reads a whole case; the file is opened read-only. */
export function loadCase(casePath: string): CaseData {
  return loadCaseSubset(casePath, (db) => readCase(db, 'kept'));
}

/**
 * A case's manifest and problems, with its events and facts counted per kind by SQLite (set-aside
 * copies left out), so `ingest` reports a case of any size without reading its rows.
 */
export function loadCaseSummary(casePath: string): CaseSummary {
  return loadCaseSubset(casePath, (db) => {
    const { manifest, counted } = countedFiles(db);
    const events = countByKind(db, 'events', counted);
    const eventsByKind: Partial<Record<EventKind, number>> = {};
    // In the vocabulary's order, as analyze lists them.
    for (const kind of EVENT_KINDS) if (events.has(kind)) eventsByKind[kind] = events.get(kind);
    const snapshots = (
      db.prepare('SELECT bundle, file FROM snapshot_reports').all() as { bundle: string; file: string }[]
    ).filter(counted).length;
    return {
      manifest,
      problems: problemsOf(db, counted),
      eventsByKind,
      factsByKind: Object.fromEntries(countByKind(db, 'facts', counted)),
      snapshots,
    };
  });
}

/**
 * Reads a case for analysis: its events as columns, each message left in the file until it is read
 * (see readEvents). The file stays open, read-only, until `close`; a message read after that throws.
 */
export function openCaseReader(
  casePath: string,
  onProgress?: ProgressCallback,
): { data: CaseData; close: () => void } {
  const db = openCaseReadOnly(casePath);
  try {
    const data = readCase(db, 'on-demand', onProgress);
    return {
      data,
      close: () => {
        if (db.open) db.close();
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * A case's events (set-aside copies left out) in time order, made one row at a time as SQLite steps
 * through the time index, so `events` on a large case does not load it whole; the reader may pause
 * between events (to let its output drain). The case stays open until the iteration ends.
 */
export function* caseEvents(casePath: string): Generator<EvidenceEvent> {
  const db = openCaseReadOnly(casePath);
  try {
    const { counted } = countedFiles(db);
    for (const row of db.prepare(EVENTS_IN_ORDER).iterate() as Iterable<Record<string, unknown>>)
      if (counted(row)) yield eventFromRow(row);
  } finally {
    db.close();
  }
}

/** The custody manifest of every bundle as recorded (set-aside copies included), in ingest order, for `verify`. */
export function loadManifests(casePath: string): Map<string, ManifestEntry[]> {
  return loadCaseSubset(casePath, (db) => {
    const manifests = new Map<string, ManifestEntry[]>();
    for (const row of db.prepare('SELECT path FROM bundles ORDER BY rowid').all() as { path: string }[])
      manifests.set(row.path, []);
    const rows = db.prepare('SELECT * FROM manifest ORDER BY bundle, path').all() as Record<
      string,
      unknown
    >[];
    for (const row of rows) {
      const entry = manifestEntry(row);
      const list = manifests.get(entry.bundle);
      if (list) list.push(entry);
      else manifests.set(entry.bundle, [entry]);
    }
    for (const [bundle, entries] of manifests) if (entries.length === 0) manifests.delete(bundle);
    return manifests;
  });
}

/**
 * A report as this version writes it. Cases ingested before kine prefixes were folded list every
 * prefix and lack the sums; nothing of theirs was folded, so the sums are those of the list.
 */
function completeKineStats(report: SnapshotReport): SnapshotReport {
  for (const database of report.databases) {
    const kine = database.kine as (Partial<KineStats> & Pick<KineStats, 'prefixes'>) | null;
    if (!kine || kine.otherPrefixes) continue;
    kine.bytes ??= kine.prefixes.reduce((sum, prefix) => sum + prefix.bytes, 0);
    kine.prefixCount ??= kine.prefixes.length;
    kine.otherPrefixes = { prefixes: 0, rows: 0, liveKeys: 0, deletedRows: 0, bytes: 0 };
  }
  return report;
}
