import type {
  DatabaseReport,
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

/** Largest absolute change first; ties by larger relative change, then by name for a stable order. */
function byLargestChange(a: SnapshotDiffEntry, b: SnapshotDiffEntry): number {
  return (
    Math.abs(b.delta) - Math.abs(a.delta) ||
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
) {
  const counts: SnapshotDiffEntry[] = [];
  const sizes: SnapshotDiffEntry[] = [];
  const tablesBefore = before?.tables ?? [];
  const tablesAfter = after?.tables ?? [];
  for (const [table, { b, a }] of pairs(tablesBefore, tablesAfter, (t) => t.name)) {
    counts.push(entry(name, table, 'table', 'rows', b?.rows ?? null, a?.rows ?? null));
    sizes.push(entry(name, table, 'table', 'tableBytes', b?.bytes ?? null, a?.bytes ?? null));
  }
  const prefixesBefore = before?.kine?.prefixes ?? [];
  const prefixesAfter = after?.kine?.prefixes ?? [];
  for (const [prefix, { b, a }] of pairs(prefixesBefore, prefixesAfter, (p) => p.prefix)) {
    counts.push(entry(name, prefix, 'kine-prefix', 'rows', b?.rows ?? null, a?.rows ?? null));
    counts.push(entry(name, prefix, 'kine-prefix', 'liveKeys', b?.liveKeys ?? null, a?.liveKeys ?? null));
    counts.push(
      entry(name, prefix, 'kine-prefix', 'deletedRows', b?.deletedRows ?? null, a?.deletedRows ?? null),
    );
    sizes.push(entry(name, prefix, 'kine-prefix', 'valueBytes', b?.bytes ?? null, a?.bytes ?? null));
  }
  const size = (db: DatabaseReport | undefined) => (db ? db.pageCount * db.pageSize : null);
  sizes.push(entry(name, '', 'database', 'databaseBytes', size(before), size(after)));
  sizes.push(entry(name, '', 'database', 'pageCount', before?.pageCount ?? null, after?.pageCount ?? null));
  sizes.push(
    entry(name, '', 'database', 'freelistCount', before?.freelistCount ?? null, after?.freelistCount ?? null),
  );
  return { counts, sizes };
}

/** Per table, per kine prefix and per size: before, after, delta and percent, largest change first. */
export function diffSnapshots(before: SnapshotReport, after: SnapshotReport): SnapshotDiff {
  const counts: SnapshotDiffEntry[] = [];
  const sizes: SnapshotDiffEntry[] = [
    entry(null, '', 'file', 'fileBytes', before.bytes, after.bytes),
    entry(null, '', 'file', 'payloadBytes', before.payloadBytes, after.payloadBytes),
  ];
  for (const [name, { b, a }] of pairs(before.databases, after.databases, (d) => d.name)) {
    const compared = compareDatabase(name, b, a);
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
