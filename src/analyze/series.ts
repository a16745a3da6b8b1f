import type { CaseData, DatedEvidence, EvidenceEvent } from '../types/index.js';
import { eventRef, hashLookup } from './evidence.js';

export interface SnapshotSeries {
  snapshots: DatedEvidence[];
  /** Snapshots seen without a wall-clock time we trust. */
  undated: number;
  /** In words: which evidence placed the snapshots on the wall clock. */
  anchor: string;
}

const basename = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/**
 * Snapshot writes on the wall clock. Listings and inventories give real times (file mtimes as the node
 * saw them); the copies in the bundle do not: copying and git reset a file's mtime, and the TIMESTAMP in
 * the name is a monotonic clock. So a copy's time is used only when its anchor is not its own mtime.
 * The same snapshot seen in several places is counted once (by file name).
 */
export function snapshotSeries(data: CaseData): SnapshotSeries {
  const sha = hashLookup(data.manifest);
  const seen = new Set<string>();
  const snapshots: DatedEvidence[] = [];
  const perFile = new Map<string, number>();
  let undated = 0;
  const events = data.events
    .filter((e) => e.kind === 'snapshot')
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  for (const event of events) {
    const name = typeof event.attrs?.name === 'string' ? basename(event.attrs.name) : null;
    const key = name ?? `${event.ts}|${event.attrs?.bytes}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (event.ts === null) {
      undated++;
      continue;
    }
    const bytes = Number(event.attrs?.bytes);
    snapshots.push({
      ts: event.ts,
      subject: name,
      bytes: Number.isFinite(bytes) ? bytes : null,
      evidence: eventRef(event, sha),
    });
    perFile.set(event.file, (perFile.get(event.file) ?? 0) + 1);
  }
  let mtimeOnly = 0;
  for (const report of data.snapshotReports) {
    const name = basename(report.file);
    if (seen.has(name)) continue;
    seen.add(name);
    if (report.meta.wallClock === null || /mtime/i.test(report.meta.wallClockAnchor)) {
      mtimeOnly++;
      continue;
    }
    snapshots.push({
      ts: report.meta.wallClock,
      subject: name,
      bytes: report.bytes,
      evidence: {
        file: report.file,
        sha256: report.sha256,
        excerpt: `anchor: ${report.meta.wallClockAnchor}`,
      },
    });
    perFile.set(report.file, (perFile.get(report.file) ?? 0) + 1);
  }
  undated += mtimeOnly;
  snapshots.sort((a, b) => a.ts.localeCompare(b.ts) || (a.subject ?? '').localeCompare(b.subject ?? ''));
  const sources = [...perFile.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([file, n]) => `${file} (${n})`);
  const parts: string[] = [];
  if (sources.length > 0) {
    parts.push(
      `Snapshot write times are the file modification times recorded by listings and inventories: ${sources.join(', ')}. ` +
        'The TIMESTAMP in a snapshot name is a monotonic clock (ms since boot) and was not used.',
    );
  } else parts.push('No listing or inventory gave snapshot write times.');
  if (mtimeOnly > 0) {
    parts.push(
      `${mtimeOnly} snapshot cop${mtimeOnly === 1 ? 'y' : 'ies'} in the bundle had only ${mtimeOnly === 1 ? 'its' : 'their'} own file mtime, which copying resets, and ${mtimeOnly === 1 ? 'was' : 'were'} not placed on the clock.`,
    );
  }
  return { snapshots, undated, anchor: parts.join(' ') };
}

/**
 * Dated lease failures, each once even when two copies of a log show it. A failure is the renew
 * failure, the point where a leader gives up; evidence without any (e.g. only `leaderelection lost`
 * exits) falls back to the leadership losses, and `kind` says which was used.
 */
export function failureSeries(data: CaseData): {
  failures: DatedEvidence[];
  undated: number;
  kind: 'lease_renew_failure' | 'leader_lost';
} {
  const kind = data.events.some((e) => e.kind === 'lease_renew_failure')
    ? 'lease_renew_failure'
    : 'leader_lost';
  const sha = hashLookup(data.manifest);
  const seen = new Set<string>();
  const failures: DatedEvidence[] = [];
  let undated = 0;
  for (const event of data.events) {
    if (event.kind !== kind) continue;
    if (event.ts === null) {
      undated++;
      continue;
    }
    const key = `${event.subject ?? event.file}|${event.ts}`;
    if (seen.has(key)) continue;
    seen.add(key);
    failures.push({ ts: event.ts, subject: event.subject, bytes: null, evidence: eventRef(event, sha) });
  }
  return { failures, undated, kind };
}

/**
 * Snapshot copies with an honest wall-clock time: a copy's own mtime was reset when it was copied (or
 * checked out), so a copy anchored on its mtime takes the time a listing or inventory recorded for the
 * same file name, or none. Keeps the PIR reproducible: no output depends on when files were copied.
 */
export function placeSnapshotCopies(data: CaseData): CaseData['snapshotReports'] {
  const recorded = new Map<string, EvidenceEvent>();
  for (const event of data.events) {
    if (event.kind !== 'snapshot' || event.ts === null || typeof event.attrs?.name !== 'string') continue;
    const name = basename(event.attrs.name);
    const known = recorded.get(name);
    if (!known || event.file.localeCompare(known.file) < 0) recorded.set(name, event);
  }
  return data.snapshotReports.map((report) => {
    if (report.meta.wallClock !== null && !/mtime/i.test(report.meta.wallClockAnchor)) return report;
    const seen = recorded.get(basename(report.file));
    const meta = seen
      ? { ...report.meta, wallClock: seen.ts, wallClockAnchor: `mtime recorded in ${seen.file}:${seen.line}` }
      : {
          ...report.meta,
          wallClock: null,
          wallClockAnchor: 'none (the copy’s own mtime does not survive copying)',
        };
    return { ...report, meta };
  });
}
