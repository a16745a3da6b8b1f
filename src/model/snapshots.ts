import type {
  CaseData,
  EvidenceEvent,
  EvidenceModel,
  SnapshotPlacement,
  SnapshotWrite,
} from '../types/index.js';
import { eventRef } from './refs.js';

const basename = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** The source of the `snapshot` event ingest records for a decoded copy. */
const COPY = 'dqlite-snapshot';

/** How a `snapshot` event was placed on the clock: decided here, once, from typed fields. */
export function placementOf(event: EvidenceEvent): SnapshotPlacement | 'none' {
  if (event.attrs?.source === 'trace') return 'trace';
  if (event.source === 'csv') return 'inventory';
  if (event.source === 'ls' || event.source === 'find') return 'listing';
  const placement = event.attrs?.placement;
  if (
    placement === 'inventory' ||
    placement === 'listing' ||
    placement === 'trace' ||
    placement === 'boot-time'
  )
    return placement;
  return event.ts === null ? 'none' : 'copy-mtime';
}

/** Which record of one snapshot is kept when several show it: what the node recorded first. */
const RANK: Record<SnapshotPlacement | 'none', number> = {
  inventory: 0,
  listing: 0,
  trace: 1,
  'boot-time': 2,
  'copy-mtime': 3,
  none: 4,
};

/**
 * Snapshot copies with the time the node recorded for them: a copy's own mtime is usually reset by
 * copying or a git checkout, so a listing's or an inventory's time for the same file name replaces it.
 */
export function placeSnapshotCopies(data: CaseData): CaseData['snapshotReports'] {
  const recorded = new Map<string, EvidenceEvent>();
  for (const event of data.events) {
    if (event.kind !== 'snapshot' || event.ts === null || typeof event.attrs?.name !== 'string') continue;
    const placement = placementOf(event);
    if (placement !== 'inventory' && placement !== 'listing') continue;
    const name = basename(event.attrs.name);
    const known = recorded.get(name);
    if (!known || event.file.localeCompare(known.file) < 0) recorded.set(name, event);
  }
  return data.snapshotReports.map((report) => {
    const basis = report.meta.wallClockBasis ?? (report.meta.wallClock === null ? 'none' : 'copy-mtime');
    if (basis !== 'copy-mtime' && basis !== 'none') return report;
    const seen = recorded.get(basename(report.file));
    if (!seen) return { ...report, meta: { ...report.meta, wallClockBasis: basis } };
    return {
      ...report,
      meta: {
        ...report.meta,
        wallClock: seen.ts,
        wallClockAnchor: `mtime recorded in ${seen.file}:${seen.line}`,
        wallClockBasis: placementOf(seen),
      },
    };
  });
}

/**
 * Snapshot writes on the wall clock, each once: by file name, and by raft index between a trace line
 * and anything else (unless both name different nodes). Copies placed only by their own mtime are
 * kept apart: shown, never correlated.
 */
export function snapshotWrites(data: CaseData, sha256: (file: string) => string): EvidenceModel['snapshots'] {
  const seen = new Set<string>();
  const byIndex = new IndexedSnapshots();
  const writes: SnapshotWrite[] = [];
  const copyMtime: SnapshotWrite[] = [];
  let undated = 0;
  const events = data.events
    .filter((e) => e.kind === 'snapshot')
    .map((event) => ({ event, placement: placementOf(event) }))
    .sort(
      (a, b) =>
        RANK[a.placement] - RANK[b.placement] ||
        // A copy placed by a listing or trace line says no more than that record: keep the record.
        Number(a.event.source === COPY) - Number(b.event.source === COPY) ||
        a.event.file.localeCompare(b.event.file) ||
        a.event.line - b.event.line,
    );
  for (const { event, placement } of events) {
    const name = typeof event.attrs?.name === 'string' ? basename(event.attrs.name) : null;
    const key = name ?? `${event.ts}|${event.attrs?.bytes}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (byIndex.seenBefore(event)) continue;
    if (event.ts === null || placement === 'none') {
      undated++;
      continue;
    }
    const bytes = Number(event.attrs?.bytes);
    const index = event.attrs?.index;
    const write: SnapshotWrite = {
      ts: event.ts,
      subject: name,
      bytes: event.attrs?.bytes !== null && Number.isFinite(bytes) ? bytes : null,
      evidence: eventRef(event, sha256),
      placement,
      index: typeof index === 'number' ? index : null,
    };
    (placement === 'copy-mtime' ? copyMtime : writes).push(write);
  }
  // Copies decoded at ingest whose event was not kept (cases written before copy events existed).
  for (const report of data.snapshotReports) {
    const name = basename(report.file);
    if (seen.has(name)) continue;
    seen.add(name);
    const placement = report.meta.wallClockBasis ?? (report.meta.wallClock === null ? 'none' : 'copy-mtime');
    if (report.meta.wallClock === null || placement === 'none') {
      undated++;
      continue;
    }
    const write: SnapshotWrite = {
      ts: report.meta.wallClock,
      subject: name,
      bytes: report.bytes,
      evidence: {
        file: report.file,
        sha256: report.sha256,
        excerpt: `anchor: ${report.meta.wallClockAnchor}`,
      },
      placement,
      index: report.meta.index,
    };
    (placement === 'copy-mtime' ? copyMtime : writes).push(write);
  }
  const byTime = (a: SnapshotWrite, b: SnapshotWrite) =>
    a.ts.localeCompare(b.ts) || (a.subject ?? '').localeCompare(b.subject ?? '');
  writes.sort(byTime);
  copyMtime.sort(byTime);
  return { writes, copyMtime, undated, anchor: anchorText(writes, copyMtime) };
}

function anchorText(writes: SnapshotWrite[], copyMtime: SnapshotWrite[]): string {
  const tally = (placements: SnapshotPlacement[]) => {
    const perFile = new Map<string, number>();
    for (const w of writes)
      if (placements.includes(w.placement))
        perFile.set(w.evidence.file, (perFile.get(w.evidence.file) ?? 0) + 1);
    return [...perFile.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([file, n]) => `${file} (${n})`);
  };
  const recorded = tally(['inventory', 'listing']);
  const traces = tally(['trace']);
  const booted = tally(['boot-time']);
  const parts: string[] = [];
  if (recorded.length > 0)
    parts.push(
      `Snapshot write times are the file modification times recorded on the node by listings and inventories: ${recorded.join(', ')}. ` +
        'The TIMESTAMP in a snapshot name is a monotonic clock (ms since boot) and was not used.',
    );
  if (traces.length > 0)
    parts.push(
      `${recorded.length > 0 ? 'Snapshots no listing recorded are' : 'Snapshots are'} placed by dqlite/libraft trace lines ` +
        `(\`take snapshot at <index>\`, the tracer's own UTC clock, when the write starts): ${traces.join(', ')}.`,
    );
  if (booted.length > 0)
    parts.push(
      `Snapshots placed by the given boot time plus the monotonic TIMESTAMP in their names: ${booted.join(', ')}.`,
    );
  if (writes.length === 0) parts.push('No listing, inventory or trace line gave snapshot write times.');
  if (copyMtime.length > 0)
    parts.push(
      `${copyMtime.length} snapshot cop${copyMtime.length === 1 ? 'y carries' : 'ies carry'} only ${copyMtime.length === 1 ? 'its' : 'their'} own file mtime, ` +
        'which copying or a git checkout resets: shown, not used for correlation.',
    );
  return parts.join(' ');
}

const isTrace = (event: EvidenceEvent) => event.attrs?.source === 'trace';

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
