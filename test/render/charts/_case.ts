import type {
  CaseData,
  Correlation,
  EvidenceEvent,
  PodFact,
  SnapshotReport,
} from '../../../src/types/index.js';

import { EventTable } from '../../../src/store/event-table.js';

/** Builders for small cases: only the fields the charts read vary, the rest are plausible constants. */
export function emptyCase(): CaseData {
  return { manifest: [], events: EventTable.from([]), facts: [], snapshotReports: [], problems: [] };
}

/** The case with more events after its own. */
export function withEvents(data: CaseData, ...events: EvidenceEvent[]): CaseData {
  return { ...data, events: EventTable.from([...data.events, ...events]) };
}

export function snapshotEvent(ts: string | null, bytes: number, name: string, line = 1): EvidenceEvent {
  return {
    file: 'backend/list.out',
    line,
    ts,
    tsSource: ts === null ? 'none' : 'line',
    kind: 'snapshot',
    subject: null,
    source: 'ls',
    severity: 'info',
    message: `-rw------- 1 root root ${bytes} ${name}`,
    attrs: { bytes, name },
  };
}

export function leaseFailure(
  ts: string | null,
  subject: string | null,
  file = 'logs/csi-nfs.log',
  line = 7,
): EvidenceEvent {
  return {
    file,
    line,
    ts,
    tsSource: ts === null ? 'none' : 'line',
    kind: 'lease_renew_failure',
    subject,
    source: 'klog',
    severity: 'error',
    message: 'failed to renew lease kube-system/csi-nfs: timed out waiting for the condition',
  };
}

export function pod(namespace: string, name: string, restarts: number, file = 'k8s/pods.json'): PodFact {
  return {
    kind: 'pod',
    file,
    line: 1,
    sha256: 'a'.repeat(64),
    namespace,
    name,
    node: 'k8s01',
    phase: 'Running',
    restarts,
    lastTermination: null,
    waitingReason: null,
    images: [],
    args: [],
  };
}

export function snapshotReport(file: string, bytes: number, wallClock: string | null): SnapshotReport {
  return {
    file,
    sha256: 'b'.repeat(64),
    bytes,
    compressed: true,
    payloadBytes: bytes * 4,
    meta: {
      term: 3,
      index: 1024,
      timestamp: 123456,
      wallClock,
      wallClockAnchor: 'file mtime',
      configurationIndex: 1,
      servers: [],
      formatVersion: 1,
      checksum: null,
    },
    databases: [],
    warnings: [],
  };
}

/** Attributes of every `<tag class="cls" …>` in an SVG, numbers parsed. */
export function elements(svg: string, tag: string, cls: string): Record<string, number>[] {
  const found: Record<string, number>[] = [];
  for (const match of svg.matchAll(new RegExp(`<${tag} class="${cls}"([^>]*)>`, 'g'))) {
    const attrs: Record<string, number> = {};
    for (const [, name, value] of match[1]!.matchAll(/([\w-]+)="([^"]*)"/g)) attrs[name!] = Number(value);
    found.push(attrs);
  }
  return found;
}

/** Tags open and close in order (a cheap well-formedness check without an XML parser). */
export function tagsBalance(svg: string): boolean {
  const stack: string[] = [];
  for (const [, close, name, selfClose] of svg.matchAll(/<(\/?)([a-zA-Z][\w-]*)[^>]*?(\/?)>/g)) {
    if (selfClose) continue;
    if (close) {
      if (stack.pop() !== name) return false;
    } else stack.push(name!);
  }
  return stack.length === 0;
}

/** A correlation as the analysis reports it; only the points and the window matter to the charts. */
export function correlation(
  snapshots: { ts: string; name: string | null; bytes: number | null }[],
  failures: { ts: string; lease: string | null; file: string; line: number }[],
  windowSeconds = 10,
): Correlation {
  return {
    windowSeconds,
    wallClockAnchor: 'listing times',
    snapshots: snapshots.map((s) => ({
      ts: s.ts,
      subject: s.name,
      bytes: s.bytes,
      evidence: { file: 'backend/list.out', line: 1, sha256: 'c'.repeat(64) },
    })),
    failures: failures.map((f) => ({
      ts: f.ts,
      subject: f.lease,
      bytes: null,
      evidence: { file: f.file, line: f.line, sha256: 'd'.repeat(64) },
      lagSeconds: null,
      withinWindow: false,
      inSpan: true,
    })),
    excluded: { undated: 2, outsideSpan: 0 },
    span: null,
    failuresInSpan: failures.length,
    snapshotsInSpan: snapshots.length,
    snapshotsWithoutFailure: 0,
    withinWindow: 0,
    observedShare: null,
    expectedShare: null,
    lift: null,
    pValue: null,
    permutations: 0,
    seed: 1,
    perSubject: [],
    notes: [],
  };
}
