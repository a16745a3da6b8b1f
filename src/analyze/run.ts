import type {
  ActionItem,
  AffectedPod,
  AnalysisResult,
  CaseData,
  Correlation,
  EnvironmentFact,
  EventKind,
  EvidenceModel,
  Finding,
  LeaseFact,
  ProgressCallback,
} from '../types/index.js';
import { EVENT_KINDS } from '../types/index.js';
import { buildChain } from '../chain/build.js';
import { buildEvidenceModel, detachedRef, plural, SAME_FAILURE_SECONDS } from '../model/index.js';
import { correlate, DEFAULT_PERMUTATIONS, DEFAULT_SEED, DEFAULT_WINDOW_SECONDS } from './correlate.js';
import { runDetectors, type AnyDetector, type DetectorContext } from './detector.js';
import { detectors } from './detectors/index.js';
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
  /** --year / --tz as given, so the PIR can say which times they set. */
  year?: number;
  tz?: string;
  /** Progress of ingest (analyzeBundles) and of the permutation test. */
  onProgress?: ProgressCallback;
}

/** Everything the detectors read: the evidence model, derived once, and the correlation on it. */
export function detectorContext(data: CaseData, options: AnalyzeOptions = {}): DetectorContext {
  const model = buildEvidenceModel(data, {
    ...(options.bundles ? { bundles: options.bundles } : {}),
    ...(options.year !== undefined ? { year: options.year } : {}),
    ...(options.tz !== undefined ? { tz: options.tz } : {}),
  });
  const renewDeadlineSeconds = options.renewDeadlineSeconds ?? DEFAULT_WINDOW_SECONDS;
  const { failures, undated, kind } = model.leaseFailures;
  const correlation = correlate(
    model.snapshots.writes,
    failures,
    {
      windowSeconds: renewDeadlineSeconds,
      seed: options.seed ?? DEFAULT_SEED,
      permutations: options.permutations ?? DEFAULT_PERMUTATIONS,
      wallClockAnchor: model.snapshots.anchor,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    },
    undated,
  );
  if (kind === 'leader_lost' && failures.length > 0)
    correlation.notes.push(
      'No "failed to renew lease" line was found, so leadership losses (`leaderelection lost` and the like) stand in for the failures.',
    );
  correlation.notes.push(...longLeaseNotes(model.data, correlation));
  return { model, data: model.data, sha256: model.sha256, correlation, renewDeadlineSeconds };
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
  return detectorContext(input, options).correlation;
}

/** How counting departed from one line = one event, in words. */
function countingNotes(model: EvidenceModel): string[] {
  const notes: string[] = [];
  const { mergedLines, heartbeatFailures } = model.leaseFailures;
  if (mergedLines > 0)
    notes.push(
      `${plural(mergedLines, 'lease-failure line')} reported a renewal another line already reported (same lease within ${SAME_FAILURE_SECONDS} s) and ${mergedLines === 1 ? 'was' : 'were'} counted with it.`,
    );
  if (heartbeatFailures > 0)
    notes.push(
      `${plural(heartbeatFailures, 'failure')} of kubelet node-heartbeat leases (kube-node-lease) ${heartbeatFailures === 1 ? 'is' : 'are'} counted apart from leader election.`,
    );
  return notes;
}

/** What each finding's detector proposes, and what it says about the environment. */
function byDetector(findings: Finding[], registry: readonly AnyDetector[]) {
  const of = new Map(registry.map((d) => [d.id, d]));
  const actions: ActionItem[] = [];
  const environment: EnvironmentFact[] = [];
  const affected: AffectedPod[] = [];
  for (const finding of findings) {
    const detector = of.get(finding.id);
    if (finding.status !== 'found' || !detector) continue;
    for (const item of detector.actions?.(finding) ?? [])
      actions.push({ ...item, subjects: item.subjects ?? [], finding: finding.id });
    for (const fact of detector.environment?.(finding) ?? []) environment.push(fact);
    for (const pod of detector.affected?.(finding) ?? []) affected.push({ ...pod, finding: finding.id });
  }
  return { actions, environment, affected };
}

/**
 * Analyses a case already ingested: findings, correlation, the how's chain, timeline and signatures.
 * The correlation's failure rows read their quotes from the case (see lazyEventRef): write the
 * result out while the case is open, or `detachAnalysis` it first.
 */
export function analyzeCase(input: CaseData, options: AnalyzeOptions = {}): AnalysisResult {
  const context = detectorContext(input, options);
  const { model } = context;
  const findings = runDetectors(detectors, context);
  const counted = model.events.countByKind();
  const eventCounts: Partial<Record<EventKind, number>> = {};
  // In the vocabulary's order, so the JSON and the PIR list kinds the same way for every bundle.
  for (const kind of EVENT_KINDS) {
    const n = counted.get(kind);
    if (n) eventCounts[kind] = n;
  }
  return {
    bundles: options.bundles ?? [...new Set(input.manifest.map((m) => m.bundle))].sort(),
    manifest: [...model.data.manifest].sort((a, b) => a.path.localeCompare(b.path)),
    eventCounts,
    findings,
    correlation: context.correlation,
    chain: buildChain(findings, detectors, context),
    timeline: buildTimeline(findings),
    signatures: errorSignatures(model.data),
    snapshotDiff: beforeAfter(model.data.snapshotReports),
    problems: model.data.problems,
    timeAssumptions: model.timeAssumptions,
    setAside: model.setAside,
    countingNotes: countingNotes(model),
    ...byDetector(findings, detectors),
    settings: {
      renewDeadlineSeconds: context.renewDeadlineSeconds,
      seed: context.correlation.seed,
      permutations: context.correlation.permutations,
    },
  };
}

/**
 * The result made independent of its case, for keeping after the case is closed (the web UI's
 * cached page, a library caller): each failure row's quote is read once into a plain ref.
 */
export function detachAnalysis(result: AnalysisResult): AnalysisResult {
  for (const row of result.correlation.failures) row.evidence = detachedRef(row.evidence);
  return result;
}
