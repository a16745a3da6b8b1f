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
import type { ProgressCallback, SnapshotMeta, SnapshotReport } from '../types/index.js';
import { MetaFormatError, parseSnapshotMeta, type SnapshotMetaFile } from '../parse/dqlite/meta.js';
import { parseSnapshotName } from '../parse/dqlite/name.js';
import { measureDatabase } from './snapshot/database-stats.js';
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

/**
 * Decodes a copy of a dqlite snapshot (and its sibling `.meta`) read-only and reports what is inside.
 * Bad input throws EvidenceError; the scratch folder is removed in every case.
 */
export async function inspectSnapshot(path: string, options: InspectOptions = {}): Promise<SnapshotReport> {
  const displayName = options.displayName ?? path;
  const meta = readMeta(path, displayName);
  return withScratchDir(async (dir) => {
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
    return {
      file: displayName,
      sha256: decoded.sha256,
      bytes: decoded.bytes,
      compressed: decoded.compressed,
      payloadBytes: decoded.payloadBytes,
      meta: snapshotMeta,
      databases: decoded.databases.map((database) => measureDatabase(database, displayName, warnings)),
      warnings: [...warnings, ...decoded.warnings],
    };
  });
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
