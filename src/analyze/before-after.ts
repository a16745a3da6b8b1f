import type { SnapshotDiff, SnapshotReport } from '../types/index.js';
import { diffSnapshots } from './snapshot-diff.js';

/**
 * The before/after comparison: the decoded copies with the lowest and the highest raft index
 * (the raft index only grows, so it orders copies even when their wall-clock times are unknown).
 */
export function beforeAfter(reports: SnapshotReport[]): SnapshotDiff | null {
  const decoded = reports
    .filter((r) => r.databases.length > 0)
    .sort((a, b) => a.meta.index - b.meta.index || a.file.localeCompare(b.file));
  const before = decoded[0];
  const after = decoded[decoded.length - 1];
  if (!before || !after || before === after) return null;
  return diffSnapshots(before, after);
}
