import type { KinePrefixStats, SnapshotReport } from '../../types/index.js';
import { type Detector } from '../detector.js';

/** A kine prefix holding at least this share of rows or value bytes dominates the datastore. */
export const DOMINANT_SHARE = 0.25;

function kineOf(report: SnapshotReport) {
  return report.databases.find((d) => d.kine !== null)?.kine ?? null;
}

export const datastoreBloat: Detector = {
  id: 'datastore-bloat',
  title: 'Datastore bloat by kine prefix',
  detect({ data }) {
    // The biggest copy is the one that shows the bloat (an "after" copy shows the cure).
    const reports = data.snapshotReports
      .filter((r) => kineOf(r) !== null)
      .sort((a, b) => kineOf(b)!.rows - kineOf(a)!.rows || a.file.localeCompare(b.file));
    const report = reports[0];
    if (!report) return null;
    const kine = kineOf(report)!;
    const totalBytes = kine.prefixes.reduce((n, p) => n + p.bytes, 0);
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
      data: {
        file: report.file,
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
};
