import type {
  DatabaseReport,
  KinePrefixStats,
  KineStats,
  SnapshotDiff,
  SnapshotDiffEntry,
  SnapshotDiffMetric,
  SnapshotDiffSide,
  SnapshotReport,
} from '../types/index.js';
import { appendAll } from '../bounded.js';

function side(report: SnapshotReport): SnapshotDiffSide {
  const { term, index, timestamp, wallClock } = report.meta;
  return { file: report.file, sha256: report.sha256, term, index, timestamp, wallClock };
}

function entry(
  database: string | null,
  subject: string,
  kind: SnapshotDiffEntry['kind'],
  metric: SnapshotDiffMetric,
  before: number | null,
  after: number | null,
): SnapshotDiffEntry {
  const delta = (after ?? 0) - (before ?? 0);
  const percent = before ? Math.round((delta / before) * 1000) / 10 : null;
  return { database, subject, kind, metric, before, after, delta, percent };
}

/**
 * A prefix's entry when one side does not list it, but folded some: its value there is unknown,
 * at most `atMost`.
 */
function unknownEntry(
  database: string,
  subject: string,
  metric: SnapshotDiffMetric,
  known: { side: 'before' | 'after'; value: number | null },
  atMost: number,
): SnapshotDiffEntry {
  const unknown = known.side === 'before' ? 'after' : 'before';
  const before = known.side === 'before' ? known.value : null;
  const after = known.side === 'after' ? known.value : null;
  return {
    database,
    subject,
    kind: 'kine-prefix',
    metric,
    before,
    after,
    delta: null,
    percent: null,
    unknown,
    atMost,
  };
}

type PrefixMetric = 'rows' | 'liveKeys' | 'deletedRows' | 'bytes';

/**
 * The most a prefix a side does not list can have there, per metric, or null when the side lists
 * all it has (then the prefix is not there). A folded prefix has no more rows than the last one
 * listed (they are listed by rows), and no more of anything than all folded prefixes together.
 */
function foldedBound(kine: KineStats | null | undefined): Record<PrefixMetric, number> | null {
  if (!kine) return null;
  const folded = kine.otherPrefixes;
  if (folded.prefixes === 0) return null;
  const smallest = kine.prefixes.at(-1)?.rows ?? folded.rows;
  return {
    rows: Math.min(smallest, folded.rows),
    liveKeys: Math.min(smallest, folded.liveKeys),
    deletedRows: Math.min(smallest, folded.deletedRows),
    bytes: folded.bytes,
  };
}

const PREFIX_METRICS: [PrefixMetric, SnapshotDiffMetric, 'counts' | 'sizes'][] = [
  ['rows', 'rows', 'counts'],
  ['liveKeys', 'liveKeys', 'counts'],
  ['deletedRows', 'deletedRows', 'counts'],
  ['bytes', 'valueBytes', 'sizes'],
];

/**
 * Per kine prefix listed on either side, then the folded prefixes of both sides summed. Unless
 * `listedOnBoth`, a prefix listed on one side only may be among the other side's folded ones.
 */
function comparePrefixes(
  name: string,
  before: KineStats | null | undefined,
  after: KineStats | null | undefined,
  listedOnBoth: boolean,
  out: { counts: SnapshotDiffEntry[]; sizes: SnapshotDiffEntry[] },
): void {
  const boundBefore = listedOnBoth ? null : foldedBound(before);
  const boundAfter = listedOnBoth ? null : foldedBound(after);
  const listed = (kine: KineStats | null | undefined): KinePrefixStats[] => kine?.prefixes ?? [];
  for (const [prefix, { b, a }] of pairs(listed(before), listed(after), (p) => p.prefix)) {
    const bound = !b ? boundBefore : !a ? boundAfter : null;
    for (const [field, metric, list] of PREFIX_METRICS) {
      out[list].push(
        bound
          ? unknownEntry(
              name,
              prefix,
              metric,
              b ? { side: 'before', value: b[field] } : { side: 'after', value: a![field] },
              bound[field],
            )
          : entry(name, prefix, 'kine-prefix', metric, b?.[field] ?? null, a?.[field] ?? null),
      );
    }
  }
  const foldedBefore = before ? before.otherPrefixes : null;
  const foldedAfter = after ? after.otherPrefixes : null;
  if (!foldedBefore?.prefixes && !foldedAfter?.prefixes) return;
  out.counts.push(
    entry(name, '', 'kine-folded', 'prefixes', foldedBefore?.prefixes ?? null, foldedAfter?.prefixes ?? null),
  );
  for (const [field, metric, list] of PREFIX_METRICS)
    out[list].push(
      entry(name, '', 'kine-folded', metric, foldedBefore?.[field] ?? null, foldedAfter?.[field] ?? null),
    );
}

/** Largest absolute change first; ties by larger relative change, then by name for a stable order. */
function byLargestChange(a: SnapshotDiffEntry, b: SnapshotDiffEntry): number {
  return (
    Math.abs(b.delta ?? 0) - Math.abs(a.delta ?? 0) ||
    Math.abs(b.percent ?? Infinity) - Math.abs(a.percent ?? Infinity) ||
    `${a.database}\u0000${a.subject}\u0000${a.metric}`.localeCompare(
      `${b.database}\u0000${b.subject}\u0000${b.metric}`,
    )
  );
}

/**
 * Keys present on either side with the first item of each side under them, in first-seen order
 * (before first). One pass over each side: a kine table can hold a million prefixes, and a search
 * of the other side per key made the diff quadratic (an hour and more).
 */
function pairs<T>(before: T[], after: T[], key: (item: T) => string) {
  const paired = new Map<string, { b?: T; a?: T }>();
  for (const item of before) if (!paired.has(key(item))) paired.set(key(item), { b: item });
  for (const item of after) {
    const pair = paired.get(key(item));
    if (!pair) paired.set(key(item), { a: item });
    else pair.a ??= item;
  }
  return paired;
}

function compareDatabase(
  name: string,
  before: DatabaseReport | undefined,
  after: DatabaseReport | undefined,
  listedOnBoth: boolean,
) {
  const counts: SnapshotDiffEntry[] = [];
  const sizes: SnapshotDiffEntry[] = [];
  const tablesBefore = before?.tables ?? [];
  const tablesAfter = after?.tables ?? [];
  for (const [table, { b, a }] of pairs(tablesBefore, tablesAfter, (t) => t.name)) {
    counts.push(entry(name, table, 'table', 'rows', b?.rows ?? null, a?.rows ?? null));
    sizes.push(entry(name, table, 'table', 'tableBytes', b?.bytes ?? null, a?.bytes ?? null));
  }
  comparePrefixes(name, before?.kine, after?.kine, listedOnBoth, { counts, sizes });
  const size = (db: DatabaseReport | undefined) => (db ? db.pageCount * db.pageSize : null);
  sizes.push(entry(name, '', 'database', 'databaseBytes', size(before), size(after)));
  sizes.push(entry(name, '', 'database', 'pageCount', before?.pageCount ?? null, after?.pageCount ?? null));
  sizes.push(
    entry(name, '', 'database', 'freelistCount', before?.freelistCount ?? null, after?.freelistCount ?? null),
  );
  return { counts, sizes };
}

/**
 * Per table, per kine prefix and per size: before, after, delta and percent, largest change first.
 * `listedOnBoth`: each side lists every prefix the other lists that it has (inspectSnapshotPair),
 * so a prefix listed on one side only is not on the other, even where that side folded prefixes.
 */
export function diffSnapshots(
  before: SnapshotReport,
  after: SnapshotReport,
  { listedOnBoth = false }: { listedOnBoth?: boolean } = {},
): SnapshotDiff {
  const counts: SnapshotDiffEntry[] = [];
  const sizes: SnapshotDiffEntry[] = [
    entry(null, '', 'file', 'fileBytes', before.bytes, after.bytes),
    entry(null, '', 'file', 'payloadBytes', before.payloadBytes, after.payloadBytes),
  ];
  for (const [name, { b, a }] of pairs(before.databases, after.databases, (d) => d.name)) {
    const compared = compareDatabase(name, b, a, listedOnBoth);
    appendAll(counts, compared.counts);
    appendAll(sizes, compared.sizes);
  }
  return {
    before: side(before),
    after: side(after),
    counts: counts.sort(byLargestChange),
    sizes: sizes.sort(byLargestChange),
  };
}
