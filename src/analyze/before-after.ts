import type { AnalysisResult, SnapshotReport } from '../types/index.js';
import { renderSnapshotDiffMarkdown } from '../render/snapshot-diff.js';
import { diffSnapshots } from './snapshot-diff.js';

/**
 * The before/after row-count table: the decoded copies with the lowest and the highest raft index
 * (the raft index only grows, so it orders copies even when their wall-clock times are unknown).
 */
export function beforeAfter(
  reports: SnapshotReport[],
): Pick<AnalysisResult, 'snapshotDiffMarkdown' | 'snapshotDiffFiles'> {
  const decoded = reports
    .filter((r) => r.databases.length > 0)
    .sort((a, b) => a.meta.index - b.meta.index || a.file.localeCompare(b.file));
  const before = decoded[0];
  const after = decoded[decoded.length - 1];
  if (!before || !after || before === after) return { snapshotDiffMarkdown: null, snapshotDiffFiles: null };
  return {
    snapshotDiffMarkdown: renderSnapshotDiffMarkdown(diffSnapshots(before, after)),
    snapshotDiffFiles: { before: before.file, after: after.file },
  };
}
