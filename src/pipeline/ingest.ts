/**
 * Ingest, end to end: each bundle is read (src/bundle, which parses with src/parse), its snapshot
 * copies are decoded by the store's scratch SQLite, and everything read goes into the case database
 * (one transaction per bundle). The CLI and the web UI both call this.
 */
import { join, resolve } from 'node:path';
import { checkTimeOptions, readBundle } from '../bundle/ingest.js';
import { UsageError } from '../errors.js';
import { DEFAULT_LIMIT_VALUES, type Limits } from '../limits.js';
import { refuseOutputInEvidence } from '../paths.js';
import { makeScratchDir, removeScratchDir } from '../scratch.js';
import { loadCase, loadCaseSummary, openCase, saveBundle } from '../store/case-db.js';
import { inspectSnapshot } from '../store/snapshot-db.js';
import type { CaseData, CaseSummary, ProgressCallback } from '../types/index.js';

export interface IngestOptions {
  /** The case database to add to; without one a temporary case is used and removed afterwards. */
  casePath?: string;
  /** Year of log lines that carry none (klog, journald short, ls). */
  year?: number;
  /** Zone of log lines that carry none: an offset (`+10:00`) or an IANA name (`Australia/Brisbane`). */
  tz?: string;
  onProgress?: ProgressCallback;
  /** Limits other than the defaults (src/limits.ts), as the command line's options give them. */
  limits?: Partial<Limits>;
}

/**
 * Ingests bundles into a case and returns what it holds, with events counted rather than read
 * (`howchain ingest` prints this at any case size). Without `casePath` a temporary case is used.
 */
export async function ingestSummary(bundles: string[], options: IngestOptions = {}): Promise<CaseSummary> {
  return withCase(bundles, options, loadCaseSummary);
}

/**
 * Ingests bundles into a case and returns the whole case (earlier bundles included). Without
 * `casePath` the case lives in a temporary folder that is removed before returning.
 */
export async function ingest(bundles: string[], options: IngestOptions = {}): Promise<CaseData> {
  return withCase(bundles, options, loadCase);
}

async function withCase<T>(
  bundles: string[],
  options: IngestOptions,
  read: (casePath: string) => T,
): Promise<T> {
  const temporary = options.casePath ? null : makeScratchDir('case');
  const casePath = options.casePath ?? join(temporary as string, 'case.db');
  try {
    await addToCase(casePath, bundles, options);
    return read(casePath);
  } finally {
    if (temporary) removeScratchDir(temporary);
  }
}

/**
 * Ingests bundles into the case database at `casePath` (created if missing) without reading the case
 * back: for callers that load it later, or not at all (the web UI ingests into a copy it then renames).
 */
export async function addToCase(
  casePath: string,
  bundles: string[],
  options: Omit<IngestOptions, 'casePath'> = {},
): Promise<void> {
  if (bundles.length === 0) throw new UsageError('name at least one bundle (folder, .tar or .tar.gz)');
  checkTimeOptions(options);
  const limits = { ...DEFAULT_LIMIT_VALUES, ...options.limits };
  const resolved = bundles.map((bundle) => resolve(bundle));
  refuseOutputInEvidence(casePath, '--case', bundles);
  const target = resolve(casePath);
  const db = openCase(target);
  try {
    for (const bundle of resolved) {
      const record = await readBundle(bundle, {
        limits,
        context: { year: options.year, tz: options.tz },
        onProgress: options.onProgress,
        custody: true,
        decodeSnapshot: (path, decode) =>
          inspectSnapshot(path, {
            ...decode,
            maxOutputBytes: limits.maxOutputBytes,
            maxDatabases: limits.maxDatabases,
            maxKinePrefixes: limits.maxKinePrefixes,
          }),
      });
      try {
        saveBundle(db, record);
      } finally {
        record.close?.();
      }
    }
  } finally {
    db.close();
  }
}
