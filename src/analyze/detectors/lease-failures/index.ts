import type {
  Entity,
  EventKind,
  EventList,
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
import { columnRows } from '../../../model/column-rows.js';
import { IsoTimes } from '../../../iso-times.js';
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

/** What the finding lists of each lease. */
type LeaseRow = LeaseFailuresData['leases'][number];

/**
 * What the finding says of each lease, tallied over its failures and lines, as columns indexed by
 * the events' number of its name (`EventList.numberOf`): there can be 300,000 leases, and a record
 * each (with its window and two times as text) was 200 bytes, a map of their names 30 MB more.
 * The finding's rows (`leaseRow`) read the columns.
 */
class LeaseTallies {
  /** The leases met, by number, in the order met. */
  readonly leases: number[] = [];
  readonly renewFailures: Uint32Array;
  readonly retrieveErrors: Uint32Array;
  readonly leaderLost: Uint32Array;
  /** Its dated lines' earliest and latest time. */
  readonly start: IsoTimes;
  readonly end: IsoTimes;
  /** The lease entity its lines name already, so the finding adds no copy of it. */
  readonly entity: (Entity | null)[];
  private readonly met: Uint8Array;

  constructor(
    readonly events: EventList<ModelEvent>,
    /** The lease dumps, by `namespace/name`: a row gives its lease's transitions and duration. */
    readonly facts: Map<string, LeaseFact>,
  ) {
    const size = events.numbered;
    this.renewFailures = new Uint32Array(size);
    this.retrieveErrors = new Uint32Array(size);
    this.leaderLost = new Uint32Array(size);
    this.start = new IsoTimes(size);
    this.end = new IsoTimes(size);
    this.entity = new Array<Entity | null>(size).fill(null);
    this.met = new Uint8Array(size);
  }

  /** The number of a lease (or file) name the events hold. */
  numberOf(subject: string): number {
    const n = this.events.numberOf(subject);
    if (!this.met[n]) {
      this.met[n] = 1;
      this.leases.push(n);
    }
    return n;
  }

  /** A dated line of lease `n`: its window reaches it. */
  reach(n: number, ts: string): void {
    if ((this.start.compareText(n, ts) ?? -1) < 0) this.start.set(n, ts);
    if ((this.end.compareText(n, ts) ?? 1) > 0) this.end.set(n, ts);
  }
}

const leaseRow = columnRows<LeaseTallies, LeaseRow>({
  subject: { get: (t, n) => t.events.textOf(n) },
  renewFailures: { get: (t, n) => t.renewFailures[n]! },
  retrieveErrors: { get: (t, n) => t.retrieveErrors[n]! },
  leaderLost: { get: (t, n) => t.leaderLost[n]! },
  window: {
    get: (t, n) => {
      const start = t.start.get(n);
      return start === null ? null : { start, end: t.end.get(n)! };
    },
  },
  transitions: { get: (t, n) => t.facts.get(t.events.textOf(n))?.transitions ?? null },
  leaseDurationSeconds: {
    get: (t, n) => t.facts.get(t.events.textOf(n))?.leaseDurationSeconds ?? null,
  },
});

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
    const leaseFact = new Map<string, LeaseFact>();
    for (const f of data.facts)
      if (f.kind === 'lease' && !leaseFact.has(`${f.namespace}/${f.name}`))
        leaseFact.set(`${f.namespace}/${f.name}`, f);
    const tallies = new LeaseTallies(model.events, leaseFact);
    for (const f of failures) {
      leaseOfFile.set(f.evidence.file, f.subject);
      tallies.renewFailures[tallies.numberOf(f.subject)]!++;
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
      if (e.ts !== null) tallies.reach(n, e.ts);
      if (e.kind === 'lease_lock_retrieve_error') tallies.retrieveErrors[n]!++;
      if (e.kind === 'leader_lost') tallies.leaderLost[n]!++;
    });
    if (all.count === 0) return null;
    const { renewFailures } = tallies;
    const name = (n: number) => model.events.textOf(n);
    const perLease = Uint32Array.from(tallies.leases).sort(
      (a, b) => renewFailures[b]! - renewFailures[a]! || name(a).localeCompare(name(b)),
    );
    const renewTotal = failures.length;
    const lostTotal = tallies.leaderLost.reduce((sum, lost) => sum + lost, 0);
    // The leases that failed most are named and cited (by their first and last failure, or by their
    // first line when no counted failure is theirs); thousands of holders would bury them.
    const named = [...perLease.subarray(0, MAX_LEASES_NAMED)].map((n) => ({
      subject: name(n),
      renewFailures: renewFailures[n]!,
      first: null as LeaseFailure | null,
      last: null as LeaseFailure | null,
      firstLine: null as EvidenceRef | null,
      fact: leaseFact.get(name(n)) ?? null,
    }));
    const namedOf = new Map(named.map((l) => [l.subject, l]));
    for (const f of failures) {
      const l = namedOf.get(f.subject);
      if (l) {
        l.first ??= f;
        l.last = f;
      }
    }
    if (named.some((l) => !l.first))
      model.events.eachOf(LEASE_KINDS, (e) => {
        const l = counted(e) ? namedOf.get(subjectOf(e)) : undefined;
        if (l && !l.first && !l.firstLine) l.firstLine = eventRef(e, sha256);
      });
    const listed =
      named.map((l) => `${l.subject} (${l.renewFailures})`).join(', ') +
      (perLease.length > named.length ? ` and ${plural(perLease.length - named.length, 'more lease')}` : '');
    const what = kind === 'lease_renew_failure' ? 'failed to renew' : 'lost';
    // Filled in place: spreads of 300,000 entities would each make a copy.
    const entities: Entity[] = new Array<Entity>(perLease.length);
    perLease.forEach((n, i) => (entities[i] = tallies.entity[n] ?? { kind: 'lease', id: name(n) }));
    for (const entity of entitiesOfLists(all.entityLists, ['pod', 'node', 'component']))
      entities.push(entity);
    for (const n of perLease) {
      const fact = leaseFact.get(name(n));
      const pod = fact ? holderPod(fact) : null;
      if (pod) entities.push(pod);
    }
    const leases: LeaseRow[] = new Array<LeaseRow>(perLease.length);
    perLease.forEach((n, i) => (leases[i] = leaseRow(tallies, n)));
    return {
      claim:
        `${plural(perLease.length, 'lease holder')} ${what} ${perLease.length === 1 ? 'its lease' : 'their leases'} ` +
        `${plural(renewTotal, 'time')} in the logs: ${listed}. A holder that cannot renew within its renewDeadline gives up leadership` +
        (lostTotal && kind === 'lease_renew_failure'
          ? `; ${plural(lostTotal, 'leadership loss', 'leadership losses')} (process exits such as "leaderelection lost") follow in the same logs.`
          : '.'),
      evidence: named.flatMap((l) => [
        ...(l.first ? [detachedRef(l.first.evidence)] : l.firstLine ? [l.firstLine] : []),
        ...(l.last && l.last !== l.first ? [detachedRef(l.last.evidence)] : []),
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
