import type { DatedEvidence } from '../../../types/index.js';
import { sampleEnds } from '../../../model/index.js';
import { overlapping, plural, ran, type Detector } from '../../detector.js';
import { correlationTest } from '../snapshot-correlation/index.js';
import { maxOf } from '../../../bounded.js';

/** Thresholds from the reference PIR's alert proposal: more than one snapshot per 5 min, or > 50 MB. */
export const STORM_MAX_INTERVAL_SECONDS = 300;
export const STORM_MAX_BYTES = 50 * 1000 * 1000;
/** A gap this long splits the record into separate runs (listings taken hours later are not the storm). */
export const RUN_GAP_SECONDS = 30 * 60;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Splits time-sorted snapshots where the record has a long gap. */
export function runs(snapshots: DatedEvidence[], gapSeconds = RUN_GAP_SECONDS): DatedEvidence[][] {
  const out: DatedEvidence[][] = [];
  for (const s of snapshots) {
    const current = out[out.length - 1];
    const last = current?.[current.length - 1];
    if (current && last && Date.parse(s.ts) - Date.parse(last.ts) <= gapSeconds * 1000) current.push(s);
    else out.push([s]);
  }
  return out;
}

export interface SnapshotStormData {
  snapshots: number;
  medianIntervalSeconds: number;
  medianBytes: number | null;
  maxBytes: number | null;
  frequent: boolean;
  large: boolean;
  otherRuns: { start: string; end: string; snapshots: number }[];
}

export const snapshotStorm: Detector<SnapshotStormData> = {
  id: 'snapshot-storm',
  title: 'dqlite snapshot storm',
  role: 'mechanism',
  reads:
    'snapshot writes placed on the clock by listings, inventories, trace lines or a boot time (never by a copy’s own mtime)',
  thresholds: [
    { name: 'frequency', value: `median interval < ${STORM_MAX_INTERVAL_SECONDS / 60} min` },
    { name: 'size', value: `median size > ${STORM_MAX_BYTES / 1e6} MB` },
    { name: 'run', value: `writes more than ${RUN_GAP_SECONDS / 60} min apart start a new run` },
  ],
  detect({ model }) {
    const all = runs(model.snapshots.writes);
    // The storm is the longest dense run; the rest (e.g. listings after the fix) are reported beside it.
    const list = [...all].sort((a, b) => b.length - a.length || a[0]!.ts.localeCompare(b[0]!.ts))[0];
    if (!list || list.length < 2) return null;
    const times = list.map((s) => Date.parse(s.ts));
    const intervals = times.slice(1).map((t, i) => (t - times[i]!) / 1000);
    const medianInterval = median(intervals);
    const sizes = list.flatMap((s) => (s.bytes === null ? [] : [s.bytes]));
    const medianBytes = sizes.length ? median(sizes) : null;
    const maxBytes = sizes.length ? maxOf(sizes) : null;
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
    const elsewhere = all.filter((r) => r !== list);
    const later = elsewhere.length
      ? ` Outside this run the evidence shows ${plural(
          elsewhere.reduce((n, r) => n + r.length, 0),
          'more snapshot',
        )} (${elsewhere
          .map((r) => {
            const sized = r.flatMap((s) => (s.bytes === null ? [] : [s.bytes]));
            return `${r[0]!.ts}${sized.length ? `, ${mb(median(sized))}` : ''}`;
          })
          .join('; ')}).`
      : '';
    return {
      claim:
        `dqlite wrote ${plural(list.length, 'snapshot')} between ${list[0]!.ts} and ${list[list.length - 1]!.ts}: ` +
        `${reasons.join(', ')}. Each snapshot serialises the whole database.${later}`,
      evidence: sampleEnds(list, 2).map((s) => s.evidence),
      confidence: frequent && large ? 'high' : 'medium',
      window: { start: list[0]!.ts, end: list[list.length - 1]!.ts },
      entities: [...new Set(list.map((w) => model.nodeOfPath(w.evidence.file)))].flatMap((node) =>
        node ? [{ kind: 'node' as const, id: node }] : [],
      ),
      windowEvidence: { start: list[0]!.evidence, end: list[list.length - 1]!.evidence },
      data: {
        snapshots: list.length,
        medianIntervalSeconds: medianInterval,
        medianBytes,
        maxBytes,
        frequent,
        large,
        otherRuns: elsewhere.map((r) => ({ start: r[0]!.ts, end: r[r.length - 1]!.ts, snapshots: r.length })),
      },
    };
  },
  question: () => 'How did the dqlite snapshots become so large and so frequent?',
  unexplained: () => 'No snapshot copy and no object count shows what fills the datastore.',
  collectNext: [
    'Copies of the newest `snapshot-*` files with their `.meta` from the dqlite backend folder (for `howchain snapshot inspect`)',
    'Object counts per resource (`kubectl get <resource> -A --no-headers | wc -l` for the largest ones)',
  ],
  links: [
    {
      explains: 'apiserver-unavailable',
      // Snapshot writes stalling the API server is a timing claim: it needs the statistic.
      tests: (cause, effect, { correlation }) =>
        ran(overlapping(cause, effect), correlationTest(correlation)),
      text: (cause, _effect, { correlation }) =>
        `${cause.claim} Lease failures cluster after the writes: ${correlationTest(correlation).detail}.`,
    },
  ],
  actions: () => [
    {
      action: 'Alert on dqlite snapshot rate (> 1 per 5 min) and size (> 50 MB) in the backend folder.',
      priority: 'High',
    },
  ],
  environment: (f) => [
    { label: 'dqlite snapshots in the record', value: String(f.data.snapshots) },
    ...(f.data.medianBytes !== null
      ? [{ label: 'median snapshot size', value: `${(f.data.medianBytes / 1e6).toFixed(0)} MB` }]
      : []),
    { label: 'median interval between snapshots', value: `${f.data.medianIntervalSeconds.toFixed(0)} s` },
  ],
};
