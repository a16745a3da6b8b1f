import type {
  AnalysisResult,
  CaseData,
  Correlation,
  EventKind,
  LeaseFact,
  ProgressCallback,
} from '../types/index.js';
import { EVENT_KINDS } from '../types/index.js';
import { buildChain } from '../chain/build.js';
import { correlate, DEFAULT_PERMUTATIONS, DEFAULT_SEED, DEFAULT_WINDOW_SECONDS } from './correlate.js';
import { runDetectors, type DetectorContext } from './detector.js';
import { detectors } from './detectors/index.js';
import { hashLookup } from './evidence.js';
import { failureSeries, placeSnapshotCopies, snapshotSeries } from './series.js';
import { beforeAfter } from './before-after.js';
import { errorSignatures } from './signatures.js';
import { buildTimeline } from './timeline.js';

export interface AnalyzeOptions {
  /** The window after a snapshot write that counts as "near" (default 10 s, client-go's renewDeadline). */
  renewDeadlineSeconds?: number;
  /** Seed of the permutation test (default 1). */
  seed?: number;
  /** Circular shifts in the permutation test (default 9999). */
  permutations?: number;
  /** The bundles the case came from, for the report. */
  bundles?: string[];
  /** Progress of ingest (analyzeBundles) and of the permutation test. */
  onProgress?: ProgressCallback;
}

/** Everything the detectors read, derived once from the case. */
export function detectorContext(data: CaseData, options: AnalyzeOptions = {}): DetectorContext {
  const renewDeadlineSeconds = options.renewDeadlineSeconds ?? DEFAULT_WINDOW_SECONDS;
  const snapshots = snapshotSeries(data);
  const { failures, undated, kind } = failureSeries(data);
  const correlation = correlate(
    snapshots.snapshots,
    failures,
    {
      windowSeconds: renewDeadlineSeconds,
      seed: options.seed ?? DEFAULT_SEED,
      permutations: options.permutations ?? DEFAULT_PERMUTATIONS,
      wallClockAnchor: snapshots.anchor,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    },
    undated,
  );
  if (kind === 'leader_lost' && failures.length > 0)
    correlation.notes.push(
      'No "failed to renew lease" line was found, so leadership losses (`leaderelection lost` and the like) stand in for the failures.',
    );
  correlation.notes.push(...longLeaseNotes(data, correlation));
  return { data, sha256: hashLookup(data.manifest), snapshots, correlation, renewDeadlineSeconds };
}

/** client-go's defaults: 15 s lease, 10 s renew deadline. A longer lease usually comes with a longer deadline. */
const DEFAULT_LEASE_SECONDS = 15;

/**
 * Leases configured longer than the default (MicroK8s runs kube-controller-manager with 60 s / 30 s)
 * lose leadership later after a stall, so their failures are expected outside a 10 s window. Said
 * beside the figures so a low share for such a lease is not read as "unrelated to snapshots".
 */
function longLeaseNotes(data: CaseData, correlation: Correlation): string[] {
  const leases = new Map<string, LeaseFact>();
  for (const f of data.facts) if (f.kind === 'lease') leases.set(`${f.namespace}/${f.name}`, f);
  return correlation.perSubject.flatMap((group) => {
    const lease = leases.get(group.subject);
    const seconds = lease?.leaseDurationSeconds ?? null;
    if (seconds === null || seconds <= DEFAULT_LEASE_SECONDS) return [];
    return [
      `${group.subject} has leaseDurationSeconds ${seconds} (default ${DEFAULT_LEASE_SECONDS}), so its renew deadline is likely longer than the ${correlation.windowSeconds} s window and its failures come later (median lag ${group.medianLagSeconds === null ? 'n/a' : group.medianLagSeconds.toFixed(1)} s); see ${lease!.file}${lease!.line ? `:${lease!.line}` : ''}.`,
    ];
  });
}

/** The correlation alone, computed exactly as `analyzeCase` does (for `howchain correlate`). */
export function correlateCase(input: CaseData, options: AnalyzeOptions = {}): Correlation {
  return detectorContext({ ...input, snapshotReports: placeSnapshotCopies(input) }, options).correlation;
}

/** Analyses a case already ingested: findings, correlation, the how's chain, timeline and signatures. */
export function analyzeCase(input: CaseData, options: AnalyzeOptions = {}): AnalysisResult {
  const data = { ...input, snapshotReports: placeSnapshotCopies(input) };
  const context = detectorContext(data, options);
  const findings = runDetectors(detectors, context);
  const counted = new Map<EventKind, number>();
  for (const event of data.events) counted.set(event.kind, (counted.get(event.kind) ?? 0) + 1);
  const eventCounts: Partial<Record<EventKind, number>> = {};
  // In the vocabulary's order, so the JSON and the PIR list kinds the same way for every bundle.
  for (const kind of EVENT_KINDS) {
    const n = counted.get(kind);
    if (n) eventCounts[kind] = n;
  }
  return {
    bundles: options.bundles ?? [...new Set(data.manifest.map((m) => m.bundle))].sort(),
    manifest: [...data.manifest].sort((a, b) => a.path.localeCompare(b.path)),
    eventCounts,
    findings,
    correlation: context.correlation,
    chain: buildChain(findings),
    timeline: buildTimeline(findings),
    signatures: errorSignatures(data),
    snapshotDiff: beforeAfter(data.snapshotReports),
    problems: data.problems,
    settings: {
      renewDeadlineSeconds: context.renewDeadlineSeconds,
      seed: context.correlation.seed,
      permutations: context.correlation.permutations,
    },
  };
}
