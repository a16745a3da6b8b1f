import type { CaseData, EvidenceEvent, PodFact } from '../../types/index.js';

/** A snapshot write placed on the wall clock, with the evidence it came from. */
export interface SnapshotWrite {
  at: number;
  bytes: number;
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
  writes.sort((a, b) => a.at - b.at || (a.name ?? '').localeCompare(b.name ?? ''));
  return { writes, undated };
}

function controllerOfFailure(event: EvidenceEvent): string {
  return event.subject ?? basename(event.file).replace(/\.(log|txt|json)$/, '');
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
    failures.push({ at, controller: controllerOfFailure(event), file: event.file, line: event.line });
  }
  failures.sort((a, b) => a.at - b.at || a.controller.localeCompare(b.controller));
  return { failures, undated };
}

/**
 * Kubernetes names pods `<deployment>-<replicaset hash>-<suffix>`, `<daemonset|job>-<suffix>` or
 * `<statefulset>-<ordinal>`, with hash and suffix drawn from the alphabet below (apimachinery's
 * rand.SafeEncodeString, which leaves out vowels and look-alikes); stripping them gives the workload.
 */
const safeAlphabet = '[bcdfghjklmnpqrstvwxz2456789]';
const podSuffixes = [
  new RegExp(`-${safeAlphabet}{6,10}-${safeAlphabet}{5}$`),
  new RegExp(`-${safeAlphabet}{5}$`),
  /-\d+$/,
];

export function workloadOf(pod: Pick<PodFact, 'namespace' | 'name'>): string {
  for (const suffix of podSuffixes) {
    if (suffix.test(pod.name)) return `${pod.namespace}/${pod.name.replace(suffix, '')}`;
  }
  return `${pod.namespace}/${pod.name}`;
}

function restartsPerController(data: CaseData): ControllerRestarts[] {
  const byWorkload = new Map<string, ControllerRestarts>();
  // A pod listed in two dumps (a JSON List and a `kubectl get` table) is counted once: the later dump wins.
  const latestPods = new Map<string, PodFact>();
  for (const fact of data.facts) {
    if (fact.kind === 'pod') latestPods.set(`${fact.namespace}/${fact.name}`, fact);
  }
  for (const pod of latestPods.values()) {
    if (pod.restarts <= 0) continue;
    const controller = workloadOf(pod);
    const entry = byWorkload.get(controller) ?? { controller, restarts: 0, pods: 0 };
    entry.restarts += pod.restarts;
    entry.pods += 1;
    byWorkload.set(controller, entry);
  }
  return [...byWorkload.values()].sort(
    (a, b) => b.restarts - a.restarts || a.controller.localeCompare(b.controller),
  );
}

/** The one place chart input is derived from a case, so charts look the same from `ingest`, `analyze` or `serve`. */
export function chartData(data: CaseData): ChartData {
  const snapshots = snapshotWrites(data);
  const failures = leaseFailures(data);
  return {
    snapshots: snapshots.writes,
    leaseFailures: failures.failures,
    restarts: restartsPerController(data),
    undated: { snapshots: snapshots.undated, leaseFailures: failures.undated },
  };
}
