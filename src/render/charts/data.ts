import { formatBytes } from '../format.js';
import { formatInstant } from './_scale.js';
import { uniquePods, workloadName } from '../../pods.js';
import { plain } from '../../model/column-rows.js';
import type {
  AnalysisResult,
  CaseData,
  DatedEvidence,
  DeploymentFact,
  EvidenceEvent,
  PodFact,
} from '../../types/index.js';

/** A snapshot write placed on the wall clock, with the evidence it came from. */
export interface SnapshotWrite {
  at: number;
  /** Null when the evidence dates the write but does not give its size (drawn as a guide, no bar). */
  bytes: number | null;
  /** The snapshot's file name when the evidence gives one. */
  name: string | null;
  file: string;
  line: number | null;
}

export interface LeaseFailure {
  at: number;
  /** The lease, e.g. `kube-system/csi-nfs`; the log file's name when the line names no lease. */
  controller: string;
  file: string;
  line: number;
}

export interface ControllerRestarts {
  /** `namespace/workload`, the pod name with its ReplicaSet/pod suffixes removed. */
  controller: string;
  restarts: number;
  pods: number;
}

/** Everything the charts draw, derived from a case by `chartData` alone. */
export interface ChartData {
  /** Sorted by time; each snapshot once even when several listings show it. */
  snapshots: SnapshotWrite[];
  /** Sorted by time. */
  leaseFailures: LeaseFailure[];
  /** Sorted by restarts, most first; controllers with no restarts are left out. */
  restarts: ControllerRestarts[];
  /** Evidence the charts cannot place in time, counted so captions can say what is missing. */
  undated: { snapshots: number; leaseFailures: number };
  /** The correlation window after each write (the renewDeadline), when the analysis gives one. */
  windowSeconds: number | null;
  /**
   * Where snapshot writes and lease failures overlap in time (the correlation's span when there is an
   * analysis): the timeline zooms to it, since a day of quiet evidence on either side would squeeze the
   * storm into a few pixels. Null when one of the two is missing.
   */
  /**
   * `exact` when the range is the correlation's span: then the chart draws and counts exactly what
   * the correlation counts; else (an overlap guessed from the points) a little beyond it.
   */
  focus: { start: number; end: number; exact?: boolean } | null;
}

/** `snapshot-3-1024-7000: 215 MiB at 2026-04-01 09:02:00 UTC (backend/list.out:4)` */
export function describeWrite(snapshot: SnapshotWrite): string {
  const size = snapshot.bytes === null ? 'size unknown' : formatBytes(snapshot.bytes);
  const where = snapshot.line === null ? snapshot.file : `${snapshot.file}:${snapshot.line}`;
  return `${snapshot.name ?? 'snapshot'}: ${size} at ${formatInstant(snapshot.at)} (${where})`;
}

function timeOf(event: EvidenceEvent): number | null {
  if (event.ts === null) return null;
  const at = Date.parse(event.ts);
  return Number.isNaN(at) ? null : at;
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function snapshotWrites(data: CaseData): { writes: SnapshotWrite[]; undated: number } {
  const seen = new Set<string>();
  const writes: SnapshotWrite[] = [];
  let undated = 0;
  const add = (write: Omit<SnapshotWrite, 'at'> & { at: number | null }): void => {
    // The same snapshot shows up in a listing, an inventory CSV and as a copied file: one write.
    const key = write.name ?? `${write.at}|${write.bytes}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (write.at === null) undated += 1;
    else writes.push({ ...write, at: write.at });
  };
  for (const event of data.events) {
    if (event.kind !== 'snapshot') continue;
    const bytes = Number(event.attrs?.bytes);
    if (!Number.isFinite(bytes) || bytes < 0) continue;
    const name = typeof event.attrs?.name === 'string' ? basename(event.attrs.name) : null;
    add({ at: timeOf(event), bytes, name, file: event.file, line: event.line });
  }
  for (const report of data.snapshotReports) {
    const at = report.meta.wallClock === null ? null : Date.parse(report.meta.wallClock);
    add({
      at: at === null || Number.isNaN(at) ? null : at,
      bytes: report.bytes,
      name: basename(report.file),
      file: report.file,
      line: null,
    });
  }
  return { writes: byTime(writes, (w) => w.name ?? ''), undated };
}

function controllerOf(subject: string | null, file: string): string {
  return subject ?? basename(file).replace(/\.(log|txt|json)$/, '');
}

function leaseFailures(data: CaseData): { failures: LeaseFailure[]; undated: number } {
  const failures: LeaseFailure[] = [];
  let undated = 0;
  for (const event of data.events) {
    if (event.kind !== 'lease_renew_failure') continue;
    const at = timeOf(event);
    if (at === null) {
      undated += 1;
      continue;
    }
    failures.push({
      at,
      controller: controllerOf(event.subject, event.file),
      file: event.file,
      line: event.line,
    });
  }
  return { failures: byTime(failures, (f) => f.controller), undated };
}

function restartsPerController(data: CaseData): ControllerRestarts[] {
  const byWorkload = new Map<string, ControllerRestarts>();
  const pods = uniquePods(data.facts.filter((f): f is PodFact => f.kind === 'pod'));
  const deployments = data.facts.filter((f): f is DeploymentFact => f.kind === 'deployment');
  for (const pod of pods) {
    if (pod.restarts <= 0) continue;
    const controller = `${pod.namespace}/${workloadName(pod, deployments)}`;
    const entry = byWorkload.get(controller) ?? { controller, restarts: 0, pods: 0 };
    entry.restarts += pod.restarts;
    entry.pods += 1;
    byWorkload.set(controller, entry);
  }
  return [...byWorkload.values()].sort(
    (a, b) => b.restarts - a.restarts || a.controller.localeCompare(b.controller),
  );
}

function byTime<T extends { at: number }>(items: T[], name: (item: T) => string): T[] {
  return items.sort((a, b) => a.at - b.at || name(a).localeCompare(name(b)));
}

function dated<T extends DatedEvidence>(items: T[]): (T & { at: number })[] {
  // Object.assign, not a spread: spread copies of correlation rows are dictionary-mode objects,
  // over three times the size, and a stall can have 100,000 failures. `plain` reads the model's
  // failures, whose fields are getters (src/model/column-rows.ts).
  return items
    .map((item) => Object.assign(plain(item), { at: Date.parse(item.ts) }))
    .filter((item) => !Number.isNaN(item.at));
}

/** From the later first point to the earlier last point of the two records (+ the window), if they overlap. */
function overlap(
  snapshots: SnapshotWrite[],
  failures: LeaseFailure[],
  windowSeconds: number,
): ChartData['focus'] {
  if (snapshots.length === 0 || failures.length === 0) return null;
  const start = Math.max(snapshots[0]!.at, failures[0]!.at);
  const end = Math.min(
    snapshots[snapshots.length - 1]!.at + windowSeconds * 1000,
    failures[failures.length - 1]!.at,
  );
  return end > start ? { start, end } : null;
}

/**
 * The one place chart input is derived, so charts look the same from `analyze`, `serve` or a bare case.
 * With an analysis, snapshot writes and lease failures are the correlation's own (its wall-clock
 * placement and lease names), so the pictures show exactly the points the correlation figures count.
 */
export function chartData(data: CaseData, analysis?: Pick<AnalysisResult, 'correlation'>): ChartData {
  const fromCase = snapshotWrites(data);
  const restarts = restartsPerController(data);
  if (!analysis) {
    const failures = leaseFailures(data);
    return {
      snapshots: fromCase.writes,
      leaseFailures: failures.failures,
      restarts,
      undated: { snapshots: fromCase.undated, leaseFailures: failures.undated },
      windowSeconds: null,
      focus: overlap(fromCase.writes, failures.failures, 0),
    };
  }
  const { correlation } = analysis;
  const snapshots = byTime(
    dated(correlation.snapshots).map((s) => ({
      at: s.at,
      bytes: s.bytes,
      name: s.subject,
      file: s.evidence.file,
      line: s.evidence.line ?? null,
    })),
    (s) => s.name ?? '',
  );
  const failuresOfAnalysis = byTime(
    dated(correlation.failures).map((f) => ({
      at: f.at,
      controller: controllerOf(f.subject, f.evidence.file),
      file: f.evidence.file,
      line: f.evidence.line ?? 0,
    })),
    (f) => f.controller,
  );
  const span = correlation.span && {
    start: Date.parse(correlation.span.start),
    end: Date.parse(correlation.span.end),
  };
  return {
    snapshots,
    leaseFailures: failuresOfAnalysis,
    restarts,
    undated: { snapshots: fromCase.undated, leaseFailures: correlation.excluded.undated },
    windowSeconds: correlation.windowSeconds,
    focus:
      span && !Number.isNaN(span.start) && !Number.isNaN(span.end)
        ? { ...span, exact: true }
        : overlap(snapshots, failuresOfAnalysis, correlation.windowSeconds),
  };
}
