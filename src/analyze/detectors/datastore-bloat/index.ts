import type { Entity, KinePrefixStats, LinkTest, SnapshotReport } from '../../../types/index.js';
import { sameEntity } from '../../links.js';
import { ran, type Detector } from '../../detector.js';
import type { SnapshotStormData } from '../snapshot-storm/index.js';

/** A kine prefix holding at least this share of rows or value bytes dominates the datastore. */
export const DOMINANT_SHARE = 0.25;

function kineOf(report: SnapshotReport) {
  return report.databases.find((d) => d.kine !== null)?.kine ?? null;
}

export interface DatastoreBloatData {
  file: string;
  fileBytes: number;
  payloadBytes: number;
  kineRows: number;
  topPrefixes: (KinePrefixStats & { rowShare: number; byteShare: number })[];
  dominantPrefix: string;
  /** The dominant prefix holds Calico IPAM objects. */
  ipam: boolean;
}

/** A copy within this factor of the storm's median size is a snapshot of the same datastore. */
const SAME_SIZE_FACTOR = 2;

export const datastoreBloat: Detector<DatastoreBloatData> = {
  id: 'datastore-bloat',
  title: 'Datastore bloat by kine prefix',
  role: 'mechanism',
  reads: 'dqlite snapshot copies decoded into SQLite: kine rows and value bytes per key prefix',
  thresholds: [
    { name: 'dominant', value: `a prefix with ≥ ${DOMINANT_SHARE * 100}% of rows or value bytes` },
  ],
  detect({ data, model }) {
    // The biggest copy is the one that shows the bloat (an "after" copy shows the cure).
    const reports = data.snapshotReports
      .filter((r) => kineOf(r) !== null)
      .sort((a, b) => kineOf(b)!.rows - kineOf(a)!.rows || a.file.localeCompare(b.file));
    const report = reports[0];
    if (!report) return null;
    const kine = kineOf(report)!;
    // The folded prefixes' bytes count too: a share is of the whole table (absent in older cases).
    const totalBytes = kine.prefixes.reduce((n, p) => n + p.bytes, kine.otherPrefixes.bytes);
    const share = (p: KinePrefixStats) => ({
      rows: kine.rows ? p.rows / kine.rows : 0,
      bytes: totalBytes ? p.bytes / totalBytes : 0,
    });
    const ranked = [...kine.prefixes].sort((a, b) => b.rows - a.rows || a.prefix.localeCompare(b.prefix));
    const dominant = ranked.filter((p) => {
      const s = share(p);
      return s.rows >= DOMINANT_SHARE || s.bytes >= DOMINANT_SHARE;
    });
    if (dominant.length === 0) return null;
    const top = dominant[0]!;
    const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
    return {
      claim:
        `In the snapshot copy ${report.file}, kine prefix ${top.prefix} holds ${top.rows.toLocaleString('en-US')} of ` +
        `${kine.rows.toLocaleString('en-US')} rows (${pct(share(top).rows)}) and ${pct(share(top).bytes)} of the value bytes` +
        (dominant.length > 1
          ? `; also dominant: ${dominant
              .slice(1)
              .map((p) => p.prefix)
              .join(', ')}`
          : '') +
        '. Every snapshot carries these rows.',
      evidence: [
        {
          file: report.file,
          sha256: report.sha256,
          excerpt: `kine rows ${kine.rows}; ${top.prefix} rows ${top.rows}, live ${top.liveKeys}, deleted ${top.deletedRows}`,
        },
      ],
      confidence: 'high',
      window: report.meta.wallClock ? { start: report.meta.wallClock, end: report.meta.wallClock } : null,
      entities: ((node): Entity[] => (node ? [{ kind: 'node', id: node }] : []))(
        model.nodeOfPath(report.file),
      ),
      data: {
        file: report.file,
        fileBytes: report.bytes,
        payloadBytes: report.payloadBytes,
        kineRows: kine.rows,
        topPrefixes: ranked
          .slice(0, 5)
          .map((p) => ({ ...p, rowShare: share(p).rows, byteShare: share(p).bytes })),
        dominantPrefix: top.prefix,
        ipam: /ipamhandles|ipamblocks/.test(top.prefix),
      },
    };
  },
  question: (f) => `How did the rows under ${f.data.dominantPrefix} accumulate?`,
  unexplained: (f) => `No detector explains the growth of ${f.data.dominantPrefix}; the evidence ends here.`,
  collectNext: ['The controller that writes these objects and its garbage-collection settings'],
  links: [
    {
      explains: 'snapshot-storm',
      // The copy must be of the datastore that wrote the storm: the same node, else about the same size.
      tests: (cause, effect, { data }) =>
        ran(
          sameEntity(cause, effect, ['node'], data) ??
            sameSize(cause.data.fileBytes, effect.data as SnapshotStormData),
        ),
    },
  ],
  actions: (f) => [
    {
      action:
        'Compact the datastore online (microk8s dbctl / maintenance playbook), never by vacuuming snapshot copies offline; watch the row counts of the dominant prefix',
      subjects: [f.data.dominantPrefix],
      priority: 'High',
    },
  ],
};

/**
 * The entity test between a decoded copy and the storm: a snapshot serialises the whole database, so
 * the copy showing the bloat must be about as large as the snapshots of the storm.
 */
function sameSize(copyBytes: number, storm: SnapshotStormData): LinkTest | null {
  if (storm.medianBytes === null || copyBytes <= 0) return null;
  const ratio = copyBytes / storm.medianBytes;
  const passed = ratio <= SAME_SIZE_FACTOR && ratio >= 1 / SAME_SIZE_FACTOR;
  const mb = (n: number) => `${(n / 1e6).toFixed(0)} MB`;
  return {
    test: 'entity',
    passed,
    detail: `the decoded copy (${mb(copyBytes)}) is ${passed ? 'about the size of' : 'not the size of'} the storm's snapshots (median ${mb(storm.medianBytes)}): ${passed ? 'the same datastore' : 'not shown to be the same datastore'}`,
  };
}
