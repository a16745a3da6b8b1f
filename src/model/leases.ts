import type {
  EventKind,
  EventList,
  EvidenceEvent,
  EvidenceModel,
  LeaseFailure,
  ModelEvent,
} from '../types/index.js';
import { lazyEventRef } from './refs.js';

/** Lines of one lease this close together report one failed renewal (client-go logs it up to twice). */
export const SAME_FAILURE_SECONDS = 2;

/** kubelet's node heartbeats live in kube-node-lease: their failures say a node is unhealthy, not a leader. */
export const isHeartbeatLease = (subject: string | null) => subject?.startsWith('kube-node-lease/') === true;

const LEADER_ELECTION_KINDS: EventKind[] = [
  'lease_renew_failure',
  'lease_lock_retrieve_error',
  'leader_lost',
  'leader_acquired',
];

/**
 * `leaderelection lost` names no lease; in a controller's own log it is about the lease the log's
 * other lines name most often. Tallied line by line: `add` each, then `named`. Only the files given
 * are tallied: those with a line naming no lease (a log naming 300,000 leases has no other use for
 * a count of each).
 */
class LeaseOfFile {
  private readonly counts = new Map<string, Map<string, number>>();

  constructor(files: Iterable<string>) {
    for (const file of files) this.counts.set(file, new Map());
  }

  add(e: EvidenceEvent): void {
    if (!e.subject) return;
    const perFile = this.counts.get(e.file);
    perFile?.set(e.subject, (perFile.get(e.subject) ?? 0) + 1);
  }

  named(): Map<string, string> {
    const named = new Map<string, string>();
    for (const [file, perFile] of this.counts) {
      let top: [string, number] | undefined;
      for (const entry of perFile)
        if (!top || entry[1] > top[1] || (entry[1] === top[1] && entry[0] < top[0])) top = entry;
      if (top) named.set(file, top[0]);
    }
    return named;
  }
}

/**
 * Leader-election failures, each once: a renew failure is where a leader gives up; evidence without
 * any (only `leaderelection lost` exits) falls back to leadership losses, and `kind` says which.
 * Lines of the same lease within SAME_FAILURE_SECONDS are one failure, however many files show it.
 * Read in passes over the events of these kinds, keeping only the failures: a million lines of one
 * outage are never held at once.
 */
export function leaseFailures(
  /** In time order, as the model keeps them. */
  events: EventList<ModelEvent>,
  sha256: (file: string) => string,
): EvidenceModel['leaseFailures'] {
  let heartbeatFailures = 0;
  let renewFailures = false;
  const unnamedIn = new Set<string>();
  events.eachOf(LEADER_ELECTION_KINDS, (e) => {
    if (!isHeartbeatLease(e.subject)) {
      if (e.kind === 'lease_renew_failure') renewFailures = true;
      if (!e.subject) unnamedIn.add(e.file);
    } else if (e.kind === 'lease_renew_failure' || e.kind === 'leader_lost') heartbeatFailures++;
  });
  const kind = renewFailures ? 'lease_renew_failure' : 'leader_lost';
  const leaseNames = new LeaseOfFile(unnamedIn);
  if (unnamedIn.size > 0)
    events.eachOf(LEADER_ELECTION_KINDS, (e) => {
      if (!isHeartbeatLease(e.subject)) leaseNames.add(e);
    });
  const leaseOfFile = leaseNames.named();
  // Events come in time order (then file, line), so each lease's lines are met in order: a line
  // within SAME_FAILURE_SECONDS of its lease's previous failure is that failure, seen again.
  const failures: LeaseFailure[] = [];
  let mergedLines = 0;
  let undated = 0;
  // Each lease's latest failure, whose time is where its lines are measured from.
  const lastOf = new Map<string, LeaseFailure>();
  events.eachOf([kind], (event) => {
    if (isHeartbeatLease(event.subject)) return;
    if (event.ts === null) {
      undated++;
      return;
    }
    const at = Date.parse(event.ts);
    const subject = event.subject ?? leaseOfFile.get(event.file) ?? event.file;
    const last = lastOf.get(subject);
    if (last && at - Date.parse(last.ts) <= SAME_FAILURE_SECONDS * 1000) {
      last.lines++;
      mergedLines++;
      return;
    }
    const failure = {
      ts: event.ts,
      subject,
      bytes: null,
      evidence: lazyEventRef(event, sha256),
      quality: event.quality,
      lines: 1,
      entities: event.entities,
      // Room for the fields the correlation gives each failure (see correlate): added later, they
      // went to a second block of 40 bytes per failure.
      lagSeconds: undefined,
      withinWindow: undefined,
      inSpan: undefined,
    };
    failures.push(failure);
    lastOf.set(subject, failure);
  });
  failures.sort((a, b) => a.ts.localeCompare(b.ts) || a.subject.localeCompare(b.subject));
  return { failures, undated, kind, mergedLines, heartbeatFailures };
}
