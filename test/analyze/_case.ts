/** Builders for CaseData values in real shapes, so detector tests read like the evidence they model. */
import { EventTable } from '../../src/store/event-table.js';
import { runDetectors, type AnyDetector, type Detector } from '../../src/analyze/detector.js';
import { detectorContext, type AnalyzeOptions } from '../../src/analyze/run.js';
import type {
  CaseData,
  CountFact,
  DeploymentFact,
  EventKind,
  EvidenceEvent,
  Finding,
  LeaseFact,
  NodeFact,
  PodFact,
  SnapshotReport,
} from '../../src/types/index.js';

let nextLine = 1;
const sha = (file: string) => `sha-${file}`;

export function caseData(
  parts: Partial<Omit<CaseData, 'events'>> & { events?: EvidenceEvent[] } = {},
): CaseData {
  const data: CaseData = {
    manifest: [],
    facts: [],
    snapshotReports: [],
    problems: [],
    ...parts,
    events: EventTable.from(parts.events ?? []),
  };
  const files = new Set([...data.events.map((e) => e.file), ...data.facts.map((f) => f.file)]);
  if (!parts.manifest)
    data.manifest = [...files].map((path) => ({
      bundle: 'bundle',
      path,
      size: 1,
      mtimeMs: 0,
      sha256: sha(path),
      type: 'test',
    }));
  return data;
}

export function event(
  kind: EventKind,
  ts: string | null,
  message: string,
  extra: Partial<EvidenceEvent> = {},
): EvidenceEvent {
  return {
    file: 'logs/app.log',
    line: nextLine++,
    ts,
    tsSource: ts ? 'line' : 'none',
    kind,
    subject: null,
    source: 'klog',
    severity: 'error',
    message,
    ...extra,
  };
}

const origin = (file: string) => ({ file, line: nextLine++, sha256: sha(file) });

export function pod(p: Partial<PodFact> & { name: string }): PodFact {
  return {
    ...origin('kubectl/pods.json'),
    kind: 'pod',
    namespace: 'default',
    node: 'k8s01',
    phase: 'Running',
    restarts: 0,
    lastTermination: null,
    waitingReason: null,
    images: [],
    args: [],
    ...p,
  };
}

export function deployment(d: Partial<DeploymentFact> & { name: string }): DeploymentFact {
  return {
    ...origin('kubectl/deployments.yaml'),
    kind: 'deployment',
    namespace: 'default',
    generation: 1,
    observedGeneration: 1,
    replicas: 1,
    readyReplicas: 1,
    images: [],
    env: {},
    args: [],
    ...d,
  };
}

export function node(name: string, conditions: NodeFact['conditions']): NodeFact {
  return { ...origin('kubectl/nodes.json'), kind: 'node', name, conditions };
}

export function lease(l: Partial<LeaseFact> & { namespace: string; name: string }): LeaseFact {
  return {
    ...origin('kubectl/leases.yaml'),
    kind: 'lease',
    holder: null,
    renewTime: null,
    acquireTime: null,
    leaseDurationSeconds: 15,
    transitions: 0,
    ...l,
  };
}

export function count(resource: string, n: number): CountFact {
  return { ...origin('kubectl/ipamhandles.txt'), kind: 'count', resource, count: n };
}

export function snapshotReport(
  file: string,
  index: number,
  prefixes: [prefix: string, rows: number, bytes: number][],
): SnapshotReport {
  const rows = prefixes.reduce((n, [, r]) => n + r, 0);
  return {
    file,
    sha256: sha(file),
    bytes: 1000,
    compressed: true,
    payloadBytes: 5000,
    meta: {
      term: 1,
      index,
      timestamp: 1000,
      wallClock: '2026-04-01T00:00:00.000Z',
      wallClockAnchor: 'file mtime',
      configurationIndex: 1,
      servers: [],
      formatVersion: 1,
      checksum: null,
    },
    databases: [
      {
        name: 'k8s',
        pageSize: 4096,
        pageCount: 10,
        freelistCount: 0,
        walFrames: 0,
        tables: [{ name: 'kine', rows, bytes: 4096 }],
        kine: {
          rows,
          liveKeys: rows,
          deletedRows: 0,
          bytes: prefixes.reduce((n, [, , b]) => n + b, 0),
          prefixCount: prefixes.length,
          otherPrefixes: { prefixes: 0, rows: 0, liveKeys: 0, deletedRows: 0, bytes: 0 },
          prefixes: prefixes.map(([prefix, r, bytes]) => ({
            prefix,
            rows: r,
            liveKeys: r,
            deletedRows: 0,
            bytes,
          })),
        },
      },
    ],
    warnings: [],
  };
}

/** Snapshot events as a listing or inventory gives them. */
export function snapshotEvent(
  ts: string,
  name: string,
  bytes: number,
  file = 'k8s02/snapshot-inventory.csv',
) {
  return event('snapshot', ts, `k8s02,${name},${bytes},${ts}`, {
    file,
    severity: 'info',
    source: 'csv',
    attrs: { name, bytes },
  });
}

/** Runs one detector the way the analysis does; returns its finding or undefined. */
export function detect<D>(
  detector: Detector<D>,
  data: CaseData,
  options: AnalyzeOptions = {},
): Finding<D> | undefined {
  const context = detectorContext(data, { permutations: 999, ...options });
  return runDetectors([detector as AnyDetector], context)[0] as Finding<D> | undefined;
}

export const klogRenew = (lease: string, time = '22:04:43.996761') =>
  `I0331 ${time}       1 leaderelection.go:297] failed to renew lease ${lease}: context deadline exceeded`;
