import type {
  Entity,
  EventKind,
  EvidenceRef,
  EvidenceModel,
  LeaseFact,
  LeaseFailure,
  ModelEvent,
  TimeWindow,
} from '../../../types/index.js';
import {
  detachedRef,
  eventRef,
  factRef,
  isHeartbeatLease,
  SAME_FAILURE_SECONDS,
} from '../../../model/index.js';
import { entitiesOfLists, sameEntity } from '../../links.js';
import { EventSpan, plural, presentBefore, ran, type Detector } from '../../detector.js';
import { eventKey, plannedLosses } from '../normal-shutdown/index.js';

/** Leases the claim names and cites; `data.leases` lists every one. */
const MAX_LEASES_NAMED = 10;

const LEASE_KINDS: EventKind[] = ['lease_renew_failure', 'lease_lock_retrieve_error', 'leader_lost'];

export interface LeaseFailuresData {
  /** Failed renewals (lines of one renewal counted once), or leadership losses when no renew failure was logged. */
  renewFailures: number;
  counted: EvidenceModel['leaseFailures']['kind'];
  leases: {
    subject: string;
    renewFailures: number;
    retrieveErrors: number;
    leaderLost: number;
    window: TimeWindow | null;
    transitions: number | null;
    leaseDurationSeconds: number | null;
  }[];
}

/** The pod that holds a lease: holderIdentity is `<pod name>_<uuid>` for client-go leader election. */
function holderPod(lease: LeaseFact): Entity | null {
  const pod = lease.holder?.split('_')[0];
  return pod && /^[a-z0-9][a-z0-9.-]*$/.test(pod) ? { kind: 'pod', id: `${lease.namespace}/${pod}` } : null;
}

/**
 * What the finding says of each lease, tallied over its failures and lines, as columns by lease
 * number: there can be 300,000 leases, and a record each was 120 bytes and a promoted object.
 */
class LeaseTallies {
  readonly subjects: string[] = [];
  private readonly numbers = new Map<string, number>();
  readonly renewFailures: number[];
  readonly retrieveErrors: number[];
  readonly leaderLost: number[];
  /** Its dated lines' earliest and latest time. */
  readonly start: (string | null)[];
  readonly end: (string | null)[];
  /** Its first and last counted failure's time. */
  readonly failedFrom: (string | null)[];
  readonly failedTo: (string | null)[];
  /** The lease entity its lines name already, so the finding adds no copy of it. */
  readonly entity: (Entity | null)[];

  /**
   * The failures' leases are numbered first and the columns made at their size: grown one push at
   * a time, each column left a copy of every size it passed behind.
   */
  constructor(failures: readonly LeaseFailure[]) {
    for (const f of failures) this.numberOf(f.subject);
    const size = this.subjects.length;
    this.renewFailures = new Array<number>(size).fill(0);
    this.retrieveErrors = new Array<number>(size).fill(0);
    this.leaderLost = new Array<number>(size).fill(0);
    this.start = new Array<string | null>(size).fill(null);
    this.end = new Array<string | null>(size).fill(null);
    this.failedFrom = new Array<string | null>(size).fill(null);
    this.failedTo = new Array<string | null>(size).fill(null);
    this.entity = new Array<Entity | null>(size).fill(null);
  }

  numberOf(subject: string): number {
    let n = this.numbers.get(subject);
    if (n === undefined) {
      n = this.subjects.length;
      this.numbers.set(subject, n);
      this.subjects.push(subject);
      // A lease met after the columns were made: one with lines and no counted failure.
      if (this.entity) {
        this.renewFailures.push(0);
        this.retrieveErrors.push(0);
        this.leaderLost.push(0);
        this.start.push(null);
        this.end.push(null);
        this.failedFrom.push(null);
        this.failedTo.push(null);
        this.entity.push(null);
      }
    }
    return n;
  }

  /** A line's time as the string the lease's failure holds when they are equal, so no other is kept. */
  sharedTime(n: number, ts: string): string {
    const from = this.failedFrom[n];
    const to = this.failedTo[n];
    return ts === from ? from : ts === to ? to : ts;
  }
}

export const leaseFailures: Detector<LeaseFailuresData> = {
  id: 'lease-failures',
  title: 'Leader-election lease failures',
  role: 'mechanism',
  reads:
    'leader-election log lines (failed to renew lease, error retrieving resource lock, leaderelection lost) and lease dumps; kube-node-lease heartbeats are left out',
  thresholds: [
    {
      name: 'one failure',
      value: `lines of the same lease within ${SAME_FAILURE_SECONDS} s count as one failed renewal`,
    },
  ],
  detect({ data, model, sha256 }) {
    const { failures, kind } = model.leaseFailures;
    // A lease released because the process was asked to stop is not a failure (normal-shutdown).
    const planned = new Set(plannedLosses(model.events).map(eventKey));
    const leaseOfFile = new Map<string, string>();
    const tallies = new LeaseTallies(failures);
    for (const f of failures) {
      leaseOfFile.set(f.evidence.file, f.subject);
      const n = tallies.numberOf(f.subject);
      tallies.renewFailures[n]!++;
      tallies.failedFrom[n] ??= f.ts;
      tallies.failedTo[n] = f.ts;
    }
    const subjectOf = (e: ModelEvent) => e.subject ?? leaseOfFile.get(e.file) ?? e.file;
    const counted = (e: ModelEvent) =>
      !isHeartbeatLease(e.subject) && !(e.kind === 'leader_lost' && planned.has(eventKey(e)));
    // One pass over the lines: an outage can log a million.
    const all = new EventSpan<ModelEvent>();
    model.events.eachOf(LEASE_KINDS, (e) => {
      if (!counted(e)) return;
      all.add(e);
      const subject = subjectOf(e);
      const n = tallies.numberOf(subject);
      tallies.entity[n] ??= e.entities.find((x) => x.kind === 'lease' && x.id === subject) ?? null;
      if (e.ts !== null) {
        const start = tallies.start[n];
        const end = tallies.end[n];
        if (start === null || e.ts < start!) tallies.start[n] = tallies.sharedTime(n, e.ts);
        if (end === null || e.ts > end!) tallies.end[n] = tallies.sharedTime(n, e.ts);
      }
      if (e.kind === 'lease_lock_retrieve_error') tallies.retrieveErrors[n]!++;
      if (e.kind === 'leader_lost') tallies.leaderLost[n]!++;
    });
    if (all.count === 0) return null;
    const leaseFact = new Map<string, LeaseFact>();
    for (const f of data.facts)
      if (f.kind === 'lease' && !leaseFact.has(`${f.namespace}/${f.name}`))
        leaseFact.set(`${f.namespace}/${f.name}`, f);
    const { subjects, renewFailures } = tallies;
    const perLease = Uint32Array.from(subjects.keys()).sort(
      (a, b) => renewFailures[b]! - renewFailures[a]! || subjects[a]!.localeCompare(subjects[b]!),
    );
    const renewTotal = failures.length;
    const lostTotal = tallies.leaderLost.reduce((sum, lost) => sum + lost, 0);
    // The leases that failed most are named and cited; thousands of holders would bury them.
    const named = [...perLease.subarray(0, MAX_LEASES_NAMED)].map((n) => ({
      subject: subjects[n]!,
      renewFailures: renewFailures[n]!,
      first: null as EvidenceRef | null,
      last: null as EvidenceRef | null,
      fact: leaseFact.get(subjects[n]!) ?? null,
    }));
    const namedOf = new Map(named.map((l) => [l.subject, l]));
    for (const f of failures) {
      const l = namedOf.get(f.subject);
      if (l) {
        l.first ??= f.evidence;
        l.last = f.evidence;
      }
    }
    // A lease no counted failure cites is cited by its first line.
    if (named.some((l) => !l.first))
      model.events.eachOf(LEASE_KINDS, (e) => {
        const l = counted(e) ? namedOf.get(subjectOf(e)) : undefined;
        if (l && !l.first) l.first = eventRef(e, sha256);
      });
    const listed =
      named.map((l) => `${l.subject} (${l.renewFailures})`).join(', ') +
      (perLease.length > named.length ? ` and ${plural(perLease.length - named.length, 'more lease')}` : '');
    const what = kind === 'lease_renew_failure' ? 'failed to renew' : 'lost';
    // Filled in place: spreads of 300,000 entities would each make a copy.
    const entities: Entity[] = new Array<Entity>(perLease.length);
    perLease.forEach((n, i) => (entities[i] = tallies.entity[n] ?? { kind: 'lease', id: subjects[n]! }));
    for (const entity of entitiesOfLists(all.entityLists, ['pod', 'node', 'component']))
      entities.push(entity);
    for (const n of perLease) {
      const fact = leaseFact.get(subjects[n]!);
      const pod = fact ? holderPod(fact) : null;
      if (pod) entities.push(pod);
    }
    const leases: LeaseFailuresData['leases'] = new Array(perLease.length);
    perLease.forEach((n, i) => {
      const fact = leaseFact.get(subjects[n]!);
      const start = tallies.start[n] ?? null;
      leases[i] = {
        subject: subjects[n]!,
        renewFailures: renewFailures[n]!,
        retrieveErrors: tallies.retrieveErrors[n]!,
        leaderLost: tallies.leaderLost[n]!,
        window: start === null ? null : { start, end: tallies.end[n]! },
        transitions: fact?.transitions ?? null,
        leaseDurationSeconds: fact?.leaseDurationSeconds ?? null,
      };
    });
    return {
      claim:
        `${plural(perLease.length, 'lease holder')} ${what} ${perLease.length === 1 ? 'its lease' : 'their leases'} ` +
        `${plural(renewTotal, 'time')} in the logs: ${listed}. A holder that cannot renew within its renewDeadline gives up leadership` +
        (lostTotal && kind === 'lease_renew_failure'
          ? `; ${plural(lostTotal, 'leadership loss', 'leadership losses')} (process exits such as "leaderelection lost") follow in the same logs.`
          : '.'),
      evidence: named.flatMap((l) => [
        ...(l.first ? [detachedRef(l.first)] : []),
        ...(l.last && l.last !== l.first ? [detachedRef(l.last)] : []),
        ...(l.fact ? [factRef(l.fact, `leaseTransitions ${l.fact.transitions ?? '?'}`)] : []),
      ]),
      confidence: kind === 'lease_renew_failure' ? 'high' : 'medium',
      window: all.window,
      entities,
      windowEvidence: all.bounds(sha256),
      data: {
        renewFailures: renewTotal,
        counted: kind,
        leases,
      },
    };
  },
  question: () => 'How did the controllers fail to renew their leases in time?',
  unexplained: () =>
    'Nothing in the evidence shows why the renewals failed: no API server or datastore finding lines up with them.',
  collectNext: [
    '`journalctl -o short-iso-precise` of the API server / kubelite from every control-plane node',
    'kube-apiserver logs at -v=2 (Trace lines) over the failure window',
  ],
  links: [
    {
      explains: 'crashloop',
      // A controller that loses its lease exits; its pod restarts: the pod must be the one that lost it.
      tests: (cause, effect, { data }) =>
        ran(sameEntity(cause, effect, ['pod'], data), presentBefore(cause, effect)),
    },
  ],
  actions: () => [{ action: 'Alert on `failed to renew lease` in controller logs.', priority: 'High' }],
};
