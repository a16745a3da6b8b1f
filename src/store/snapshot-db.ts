import {
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  statSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { EvidenceError, UsageError } from '../errors.js';
import { evidenceAround, refuseOutputInEvidence } from '../paths.js';
import { makeScratchDir, removeScratchDir } from '../scratch.js';
import type { KineStats, ProgressCallback, SnapshotMeta, SnapshotReport } from '../types/index.js';
import { MetaFormatError, parseSnapshotMeta, type SnapshotMetaFile } from '../parse/dqlite/meta.js';
import { parseSnapshotName } from '../parse/dqlite/name.js';
import { kinePrefixesNamed, measureDatabase } from './snapshot/database-stats.js';
import {
  DEFAULT_MAX_OUTPUT_BYTES,
  materializeSnapshot,
  type MaterializedSnapshot,
} from './snapshot/materialize.js';

export { DEFAULT_MAX_OUTPUT_BYTES } from './snapshot/materialize.js';

export interface InspectOptions {
  /** What the report calls the file (e.g. a bundle-relative path); defaults to `path`. */
  displayName?: string;
  /** Host boot time: anchors the monotonic TIMESTAMP to the wall clock (preferred over mtime). */
  bootTime?: Date;
  /** The file's mtime when the caller knows better than the file system (e.g. a tar header). */
  mtimeMs?: number;
  /** Cap on decompressed bytes (LZ4 bomb guard); default 4 GiB. */
  maxOutputBytes?: number;
  /** Most databases in one snapshot; default 64 (src/limits.ts). */
  maxDatabases?: number;
  /** Most kine prefixes listed one by one; the rest are summed (src/limits.ts). */
  maxKinePrefixes?: number;
  onProgress?: ProgressCallback;
}

const MAX_META_BYTES = 32 + 1024 * 1024;

/** Reads the sibling `.meta` read-only; null when it does not exist. */
function readMeta(path: string, displayName: string): SnapshotMetaFile | null {
  const metaPath = `${path}.meta`;
  const metaName = `${displayName}.meta`;
  let size: number;
  try {
    const stat = statSync(metaPath);
    if (!stat.isFile()) throw new EvidenceError(metaName, 'not a regular file');
    size = stat.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    if (error instanceof EvidenceError) throw error;
    throw new EvidenceError(metaName, `cannot read: ${(error as Error).message}`);
  }
  if (size > MAX_META_BYTES) throw new EvidenceError(metaName, 'larger than any raft .meta (over 1 MiB)');
  const fd = openSync(metaPath, constants.O_RDONLY);
  try {
    const buffer = Buffer.alloc(size);
    let length = 0;
    for (let read; length < size && (read = readSync(fd, buffer, length, size - length, length)) > 0;) {
      length += read;
    }
    return parseSnapshotMeta(buffer.subarray(0, length));
  } catch (error) {
    if (error instanceof MetaFormatError) throw new EvidenceError(metaName, error.message);
    throw error;
  } finally {
    closeSync(fd);
  }
}

function buildMeta(
  path: string,
  displayName: string,
  meta: SnapshotMetaFile | null,
  mtimeMs: number,
  bootTime: Date | undefined,
  warnings: string[],
): SnapshotMeta {
  const name = parseSnapshotName(basename(displayName)) ?? parseSnapshotName(basename(path));
  if (!name) {
    warnings.push(
      'file name is not snapshot-TERM-INDEX-TIMESTAMP: term, index and timestamp are reported as 0',
    );
  }
  if (!meta)
    warnings.push(`no ${basename(displayName)}.meta beside the snapshot: raft configuration unknown`);
  let wallClock: string | null = null;
  let wallClockAnchor: string;
  let wallClockBasis: SnapshotMeta['wallClockBasis'];
  if (bootTime && name) {
    wallClock = new Date(bootTime.getTime() + name.timestamp).toISOString();
    wallClockAnchor = `boot time ${bootTime.toISOString()} + TIMESTAMP ms (given)`;
    wallClockBasis = 'boot-time';
  } else if (Number.isFinite(mtimeMs) && mtimeMs > 0) {
    wallClock = new Date(mtimeMs).toISOString();
    wallClockAnchor = 'file mtime (approximate: only as good as the copy that preserved it)';
    wallClockBasis = 'copy-mtime';
  } else {
    wallClockAnchor = 'none (TIMESTAMP is a monotonic clock; give a boot time or keep mtimes)';
    wallClockBasis = 'none';
  }
  return {
    term: name?.term ?? 0,
    index: name?.index ?? 0,
    timestamp: name?.timestamp ?? 0,
    wallClock,
    wallClockAnchor,
    wallClockBasis,
    configurationIndex: meta?.configurationIndex ?? null,
    servers: meta?.servers ?? [],
    formatVersion: meta?.formatVersion ?? null,
    checksum: meta?.checksum ?? null,
  };
}

/** Runs `work` with a private scratch folder under os.tmpdir() that is always removed afterwards. */
async function withScratchDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = makeScratchDir('snapshot');
  try {
    return await work(dir);
  } finally {
    removeScratchDir(dir);
  }
}

function decode(path: string, dir: string, options: InspectOptions): Promise<MaterializedSnapshot> {
  const displayName = options.displayName ?? path;
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch (error) {
    throw new EvidenceError(
      displayName,
      `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  // Checked before opening: opening a FIFO or a device could block or have side effects.
  if (!isFile) throw new EvidenceError(displayName, 'not a regular file');
  const name = basename(path);
  if (name.endsWith('.meta') && parseSnapshotName(name.slice(0, -'.meta'.length))) {
    throw new EvidenceError(
      displayName,
      `this is raft's metadata file; give the snapshot beside it (${name.slice(0, -'.meta'.length)})`,
    );
  }
  return materializeSnapshot(
    path,
    dir,
    displayName,
    options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
    options.onProgress,
    options.maxDatabases,
  );
}

interface Measured {
  report: SnapshotReport;
  decoded: MaterializedSnapshot;
}

/** Decodes `path` into `dir` and measures it; the scratch files stay until `dir` is removed. */
async function measure(
  path: string,
  dir: string,
  meta: SnapshotMetaFile | null,
  options: InspectOptions,
): Promise<Measured> {
  const displayName = options.displayName ?? path;
  const decoded = await decode(path, dir, options);
  const warnings: string[] = [];
  const snapshotMeta = buildMeta(
    path,
    displayName,
    meta,
    options.mtimeMs ?? decoded.mtimeMs,
    options.bootTime,
    warnings,
  );
  const databases = decoded.databases.map((database) =>
    measureDatabase(database, displayName, warnings, options.maxKinePrefixes),
  );
  const report: SnapshotReport = {
    file: displayName,
    sha256: decoded.sha256,
    bytes: decoded.bytes,
    compressed: decoded.compressed,
    payloadBytes: decoded.payloadBytes,
    meta: snapshotMeta,
    databases,
    warnings: [...warnings, ...decoded.warnings],
  };
  return { report, decoded };
}

/**
 * Decodes a copy of a dqlite snapshot (and its sibling `.meta`) read-only and reports what is inside.
 * Bad input throws EvidenceError; the scratch folder is removed in every case.
 */
export async function inspectSnapshot(path: string, options: InspectOptions = {}): Promise<SnapshotReport> {
  const meta = readMeta(path, options.displayName ?? path);
  return withScratchDir(async (dir) => (await measure(path, dir, meta, options)).report);
}

/** SQLite's order of text (bytes of UTF-8), which ranks equal row counts in `measureKine`. */
function bytewise(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * Lists in `side`'s kine the prefixes `wanted` names that it folded (looked up in its scratch files),
 * taking them out of its folded sums.
 */
function listFolded(side: Measured, index: number, wanted: string[]): void {
  const kine = side.report.databases[index]?.kine;
  const database = side.decoded.databases[index];
  if (!kine || !database || kine.otherPrefixes.prefixes === 0) return;
  const listed = new Set(kine.prefixes.map((p) => p.prefix));
  const other = kine.otherPrefixes;
  for (const found of kinePrefixesNamed(
    database,
    wanted.filter((prefix) => !listed.has(prefix)),
  )) {
    kine.prefixes.push(found);
    other.prefixes -= 1;
    other.rows -= found.rows;
    other.liveKeys -= found.liveKeys;
    other.deletedRows -= found.deletedRows;
    other.bytes -= found.bytes;
  }
  kine.prefixes.sort((a, b) => b.rows - a.rows || bytewise(a.prefix, b.prefix));
}

/**
 * Both copies of a before/after pair, read as `inspectSnapshot` reads one, with each side's kine
 * prefixes also listed (exactly) on the other side when that side had folded them: both sides then
 * list the same prefixes (up to twice `maxKinePrefixes`), and a prefix listed on one side only is
 * not in the other's kine table. Databases are paired by name, the first of each name, as the diff
 * pairs them.
 */
export async function inspectSnapshotPair(
  beforePath: string,
  afterPath: string,
  options: Omit<InspectOptions, 'displayName' | 'mtimeMs'> = {},
): Promise<{ before: SnapshotReport; after: SnapshotReport }> {
  const metas = [readMeta(beforePath, beforePath), readMeta(afterPath, afterPath)] as const;
  return withScratchDir((beforeDir) =>
    withScratchDir(async (afterDir) => {
      const before = await measure(beforePath, beforeDir, metas[0], options);
      const after = await measure(afterPath, afterDir, metas[1], options);
      const firstOf = (side: Measured, name: string) =>
        side.report.databases.findIndex((d) => d.name === name);
      const names = (kine: KineStats | null | undefined) => kine?.prefixes.map((p) => p.prefix) ?? [];
      for (const [i, database] of before.report.databases.entries()) {
        const j = firstOf(after, database.name);
        if (j < 0 || firstOf(before, database.name) !== i) continue;
        const listedBefore = names(database.kine);
        listFolded(before, i, names(after.report.databases[j]?.kine));
        listFolded(after, j, listedBefore);
      }
      return { before: before.report, after: after.report };
    }),
  );
}

export interface ExtractedDatabase {
  name: string;
  path: string;
}

/**
 * Rebuilds each database of the snapshot as a standalone SQLite file (WAL applied, journal mode
 * DELETE) in `outDir`, named after the database. Refuses an `outDir` inside the evidence around
 * the snapshot (src/paths.ts evidenceAround, links resolved).
 */
export async function extractSnapshot(
  path: string,
  outDir: string,
  options: Omit<InspectOptions, 'bootTime' | 'mtimeMs'> = {},
): Promise<ExtractedDatabase[]> {
  const displayName = options.displayName ?? path;
  // The same refusal as the CLI's: anywhere in the evidence around the snapshot, links resolved.
  refuseOutputInEvidence(outDir, '--out', evidenceAround(path));
  readMeta(path, displayName);
  return withScratchDir(async (dir) => {
    const decoded = await decode(path, dir, options);
    const taken = new Set<string>();
    const planned = decoded.databases.map((database, i) => {
      // Database names are arbitrary text: keep them readable but never a path, and never twice.
      const safe = database.name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || `db-${i}`;
      let file = `${safe}.sqlite`;
      for (let n = 2; taken.has(file); n++) file = `${safe}-${n}.sqlite`;
      taken.add(file);
      return { database, path: join(outDir, file) };
    });
    for (const { path: out } of planned) {
      if (existsSync(out)) throw new UsageError(`${out} already exists; extract never overwrites`);
    }
    mkdirSync(outDir, { recursive: true });
    return planned.map(({ database, path: out }) => {
      if (database.mainBytes > 0) {
        let db: Database.Database | null = null;
        try {
          db = new Database(database.mainPath, { fileMustExist: true });
          db.pragma('wal_checkpoint(TRUNCATE)');
          db.pragma('journal_mode = DELETE');
        } catch (error) {
          throw new EvidenceError(
            displayName,
            `database '${database.name}' cannot be read by SQLite: ${(error as Error).message}`,
          );
        } finally {
          db?.close();
        }
      }
      copyFileSync(database.mainPath, out, constants.COPYFILE_EXCL);
      return { name: database.name, path: out };
    });
  });
}
