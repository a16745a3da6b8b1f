import { sampleEnds } from '../evidence.js';
import { plural, type Detector } from '../detector.js';

/** Thresholds from the reference PIR's alert proposal: more than one snapshot per 5 min, or > 50 MB. */
export const STORM_MAX_INTERVAL_SECONDS = 300;
export const STORM_MAX_BYTES = 50 * 1000 * 1000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const snapshotStorm: Detector = {
  id: 'snapshot-storm',
  title: 'dqlite snapshot storm',
  detect({ snapshots }) {
    const list = snapshots.snapshots;
    if (list.length < 2) return null;
    const times = list.map((s) => Date.parse(s.ts));
    const intervals = times.slice(1).map((t, i) => (t - times[i]!) / 1000);
    // Listings taken hours apart would fake a long interval: judge the cadence where the record is dense.
    const medianInterval = median(intervals);
    const sizes = list.flatMap((s) => (s.bytes === null ? [] : [s.bytes]));
    const medianBytes = sizes.length ? median(sizes) : null;
    const maxBytes = sizes.length ? Math.max(...sizes) : null;
    const frequent = medianInterval < STORM_MAX_INTERVAL_SECONDS;
    const large = medianBytes !== null && medianBytes > STORM_MAX_BYTES;
    if (!frequent && !large) return null;
    const mb = (n: number) => `${(n / 1e6).toFixed(0)} MB`;
    const reasons = [
      frequent
        ? `one every ${medianInterval.toFixed(0)} s (median; threshold one per ${STORM_MAX_INTERVAL_SECONDS / 60} min)`
        : null,
      large ? `${mb(medianBytes!)} each (median; threshold ${mb(STORM_MAX_BYTES)})` : null,
    ].filter(Boolean);
    return {
      claim: `dqlite wrote ${plural(list.length, 'snapshot')} between ${list[0]!.ts} and ${list[list.length - 1]!.ts}: ${reasons.join(', ')}. Each snapshot serialises the whole database.`,
      evidence: sampleEnds(list, 2).map((s) => s.evidence),
      confidence: frequent && large ? 'high' : 'medium',
      window: { start: list[0]!.ts, end: list[list.length - 1]!.ts },
      data: {
        snapshots: list.length,
        medianIntervalSeconds: medianInterval,
        medianBytes,
        maxBytes,
        frequent,
        large,
        perHour: list.length / Math.max(1, (times[times.length - 1]! - times[0]!) / 3_600_000),
      },
    };
  },
};
