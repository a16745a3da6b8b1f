/**
 * What the user named on the command line (or uploaded): a case database is recognised by its
 * schema — an SQLite file whose tables are a howchain case — never by its name; everything else is
 * evidence. After ingest, an input that held no files, or nothing howchain reads, is named: silently
 * counting it as "0 evidence files" would pass off an empty PIR as a clean one.
 */
import type Database from 'better-sqlite3';
import { closeSync, opendirSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { EvidenceError } from '../errors.js';
import { CASE_TABLES, WITHOUT_CASE_TABLES, notACase } from '../store/not-a-case.js';
import type { CaseData, ManifestEntry } from '../types/index.js';
import { betterSqlite3 } from '../lazy-packages.js';

const SQLITE_MAGIC = 'SQLite format 3\u0000';

function startsLikeSqlite(path: string): boolean {
  if (!statSync(path, { throwIfNoEntry: false })?.isFile()) return false;
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(16);
    return readSync(fd, head, 0, 16, 0) === 16 && head.toString('latin1') === SQLITE_MAGIC;
  } finally {
    closeSync(fd);
  }
}

/**
 * 'case' for a howchain case database; for any other SQLite file, why it is not one (it is not
 * evidence howchain reads either, so callers refuse it by name); null for files that are not SQLite.
 */
export function sqliteKind(path: string): { kind: 'case' } | { kind: 'sqlite'; problem: string } | null {
  if (!startsLikeSqlite(path)) return null;
  let db: Database.Database | null = null;
  try {
    const SQLite = betterSqlite3();
    db = new SQLite(path, { readonly: true, fileMustExist: true });
    const version = db.pragma('user_version', { simple: true }) as number;
    const tables = new Set(
      (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
        (row) => row.name,
      ),
    );
    if (version >= 1 && CASE_TABLES.every((table) => tables.has(table))) return { kind: 'case' };
    return { kind: 'sqlite', problem: notACase(WITHOUT_CASE_TABLES) };
  } catch (error) {
    return { kind: 'sqlite', problem: notACase((error as Error).message) };
  } finally {
    db?.close();
  }
}

/**
 * The inputs that are case databases. Any other SQLite file is refused by name: it is neither a
 * case nor evidence howchain reads, and read as a log it would silently give nothing.
 */
export function caseInputs(inputs: string[]): string[] {
  const cases: string[] = [];
  for (const input of inputs) {
    const sqlite = sqliteKind(input);
    if (sqlite?.kind === 'sqlite') throw new EvidenceError(input, sqlite.problem);
    if (sqlite?.kind === 'case') cases.push(input);
  }
  return cases;
}

/** A folder with no file anywhere in it (only empty folders, or nothing): an input that gives nothing. */
export function isEmptyFolder(path: string): boolean {
  if (!statSync(path, { throwIfNoEntry: false })?.isDirectory()) return false;
  const pending = [path];
  while (pending.length > 0) {
    const dir = opendirSync(pending.pop()!);
    try {
      for (let entry = dir.readSync(); entry !== null; entry = dir.readSync()) {
        if (entry.isDirectory()) pending.push(join(dir.path, entry.name));
        else return false;
      }
    } finally {
      dir.closeSync();
    }
  }
  return true;
}

/** Types that say nothing about an incident on their own: a bundle of only these was not understood. */
const NOT_EVIDENCE = new Set(['unknown', 'text', 'empty', 'gzip', 'link']);

export interface UnreadInput {
  bundle: string;
  /** One line: why nothing was taken from it. */
  problem: string;
}

/**
 * The bundles of `bundles` (absolute paths, as the case records them) that gave nothing to analyse:
 * no files at all, or only files of no type howchain reads and no event in any of them. A bundle
 * whose every file was set aside as a copy is not in this list: CaseData.setAside names it.
 */
export function unreadInputs(data: CaseData, bundles: string[]): UnreadInput[] {
  return bundles.flatMap((bundle) => {
    const problem = unreadProblem(
      data.manifest.filter((entry) => entry.bundle === bundle),
      (data.setAside ?? []).filter((file) => file.bundle === bundle).length,
      data.events.some((event) => event.bundle === bundle),
    );
    return problem === null ? [] : [{ bundle, problem }];
  });
}

/** Why a bundle gave nothing (its counted files, its files set aside, whether it has events), or null. */
export function unreadProblem(entries: ManifestEntry[], copies: number, hasEvents: boolean): string | null {
  if (entries.length === 0) return copies > 0 ? null : 'no files in it: nothing to analyse';
  if (hasEvents || entries.some((entry) => !NOT_EVIDENCE.has(entry.type))) return null;
  const types = [...new Set(entries.map((entry) => entry.type))].sort().join(', ');
  return `nothing howchain reads in it (${entries.length} file${entries.length === 1 ? '' : 's'} of type ${types}, no events); see docs/formats.md`;
}
