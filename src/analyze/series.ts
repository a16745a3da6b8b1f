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
 * dqlite/libraft trace lines (`take snapshot at <index>`) give the time on the tracer's UTC clock.
 * The same snapshot seen in several places is counted once: by file name, and by raft index between a
 * trace line and anything else (unless both name different nodes).
 */
export function snapshotSeries(data: CaseData): SnapshotSeries {
  const sha = hashLookup(data.manifest);
  const seen = new Set<string>();
  const byIndex = new IndexedSnapshots();
  const snapshots: DatedEvidence[] = [];
  const perFile = new Map<string, number>();
  const perTraceFile = new Map<string, number>();
  let undated = 0;
  const events = data.events
    .filter((e) => e.kind === 'snapshot')
    .sort((a, b) => recordRank(a) - recordRank(b) || a.file.localeCompare(b.file) || a.line - b.line);
  for (const event of events) {
    const name = typeof event.attrs?.name === 'string' ? basename(event.attrs.name) : null;
    const key = name ?? `${event.ts}|${event.attrs?.bytes}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (byIndex.seenBefore(event)) continue;
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
    const tally = isTrace(event) ? perTraceFile : perFile;
    tally.set(event.file, (tally.get(event.file) ?? 0) + 1);
  }
  // A copy's own mtime is only right if the copy kept it (cp -p, rsync -t, tar). With a listing or an
  // inventory in the evidence such copies are left out; with none, they are all there is, and the anchor
  // says so.
  const recorded = snapshots.length > 0;
  const mtimeCopies: DatedEvidence[] = [];
  let mtimeOnly = 0;
  for (const report of data.snapshotReports) {
    const name = basename(report.file);
    if (seen.has(name)) continue;
    seen.add(name);
    const ownMtime = /mtime/i.test(report.meta.wallClockAnchor);
    if (report.meta.wallClock === null || (ownMtime && recorded)) {
      mtimeOnly++;
      continue;
    }
    const dated: DatedEvidence = {
      ts: report.meta.wallClock,
      subject: name,
      bytes: report.bytes,
      evidence: {
        file: report.file,
        sha256: report.sha256,
        excerpt: `anchor: ${report.meta.wallClockAnchor}`,
      },
    };
    snapshots.push(dated);
    if (ownMtime) mtimeCopies.push(dated);
    else perFile.set(report.file, (perFile.get(report.file) ?? 0) + 1);
  }
  undated += mtimeOnly;
  snapshots.sort((a, b) => a.ts.localeCompare(b.ts) || (a.subject ?? '').localeCompare(b.subject ?? ''));
  const listed = (tally: Map<string, number>) =>
    [...tally.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([file, n]) => `${file} (${n})`);
  const sources = listed(perFile);
  const traces = listed(perTraceFile);
  const parts: string[] = [];
  if (sources.length > 0) {
    parts.push(
      `Snapshot write times are the file modification times recorded by listings and inventories: ${sources.join(', ')}. ` +
        'The TIMESTAMP in a snapshot name is a monotonic clock (ms since boot) and was not used.',
    );
  } else if (mtimeCopies.length === 0 && traces.length === 0)
    parts.push('No listing or inventory gave snapshot write times.');
  if (traces.length > 0) {
    parts.push(
      `${sources.length > 0 ? 'Snapshots no listing recorded are' : 'Snapshots are'} placed by dqlite/libraft trace lines ` +
        `(\`take snapshot at <index>\`, the tracer's own UTC clock, when the write starts): ${traces.join(', ')}.`,
    );
  }
  if (mtimeCopies.length > 0) {
    parts.push(
      `No listing or inventory recorded snapshot times, so ${mtimeCopies.length} snapshot cop${mtimeCopies.length === 1 ? 'y is' : 'ies are'} placed by ${mtimeCopies.length === 1 ? 'its' : 'their'} own file mtime: ` +
        'right only if the copy kept it (cp -p, rsync -t, tar); a plain copy or a git checkout resets it.',
    );
  }
  if (mtimeOnly > 0) {
    parts.push(
      `${mtimeOnly} snapshot cop${mtimeOnly === 1 ? 'y' : 'ies'} in the bundle had only ${mtimeOnly === 1 ? 'its' : 'their'} own file mtime, which copying resets, and ${mtimeOnly === 1 ? 'was' : 'were'} not placed on the clock.`,
    );
  }
  return { snapshots, undated, anchor: parts.join(' ') };
}

const isTrace = (event: EvidenceEvent) => event.attrs?.source === 'trace';

/**
 * Which record of a snapshot is kept when several show it: a listing or inventory first, then a trace
 * line, then a copy whose time came from a trace line (it says no more than that line).
 */
function recordRank(event: EvidenceEvent): number {
  if (isTrace(event)) return 1;
  const anchor = event.attrs?.wallClockAnchor;
  return typeof anchor === 'string' && anchor.startsWith('trace line') ? 2 : 0;
}

/**
 * Raft indexes already counted. A trace line names no file, so it matches other records of the same
 * snapshot by index; two nodes of a cluster can snapshot at the same index, so records that name
 * different nodes stay apart. Records that are not trace lines keep matching by name only.
 */
class IndexedSnapshots {
  private readonly seen = new Map<number, { subject: string | null; trace: boolean }[]>();

  seenBefore(event: EvidenceEvent): boolean {
    const index = event.attrs?.index;
    if (typeof index !== 'number') return false;
    const trace = isTrace(event);
    const records = this.seen.get(index) ?? [];
    const same = records.some(
      (record) =>
        (record.trace || trace) &&
        (record.subject === null || event.subject === null || record.subject === event.subject),
    );
    if (same) return true;
    records.push({ subject: event.subject, trace });
    this.seen.set(index, records);
    return false;
  }
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
 * Snapshot copies with an honest wall-clock time: a copy's own mtime is usually reset by copying (or a
 * git checkout), so when listings or inventories recorded snapshot times, a copy anchored on its mtime
 * takes the time recorded for the same file name, or none. Keeps the PIR reproducible: with a listing
 * in the bundle, no output depends on when files were copied.
 */
export function placeSnapshotCopies(data: CaseData): CaseData['snapshotReports'] {
  const recorded = new Map<string, EvidenceEvent>();
  for (const event of data.events) {
    if (event.kind !== 'snapshot' || event.ts === null || typeof event.attrs?.name !== 'string') continue;
    const name = basename(event.attrs.name);
    const known = recorded.get(name);
    if (!known || event.file.localeCompare(known.file) < 0) recorded.set(name, event);
  }
  // With no listing or inventory at all, a copy's own mtime is the only clock there is: keep it
  // (snapshotSeries says how weak it is).
  if (recorded.size === 0) return data.snapshotReports;
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
