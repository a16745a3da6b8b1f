import type {
  Entity,
  EventKind,
  EvidenceRef,
  EvidenceModel,
  LeaseFact,
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

/** What the finding says of one lease, tallied over its failures and lines. */
interface LeaseTally {
  subject: string;
  renewFailures: number;
  retrieveErrors: number;
  leaderLost: number;
  /** Its dated lines' earliest and latest time. */
  start: string | null;
  end: string | null;
  /** The first and last counted failure's citations. */
  first: EvidenceRef | null;
  last: EvidenceRef | null;
  /** Its first line, kept only while no counted failure cites the lease. */
  firstLine: ModelEvent | null;
  /** Its first and last counted failure's time. */
  failedFrom: string | null;
  failedTo: string | null;
}

/**
 * A time of the lease's window as the string its failure already holds when they are equal: each
 * line's time is a string of its own, and two of them per lease held by the finding were 24 MB for
 * 300,000 leases.
 */
const sameText = (ts: string, l: LeaseTally) =>
  ts === l.failedFrom ? l.failedFrom : ts === l.failedTo ? l.failedTo : ts;

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
    // One record per lease, holding only what the finding says: there can be 300,000 leases.
    const tallies = new Map<string, LeaseTally>();
    const tallyOf = (subject: string) => {
      let tally = tallies.get(subject);
      if (!tally)
        tallies.set(
          subject,
          (tally = {
            subject,
            renewFailures: 0,
            retrieveErrors: 0,
            leaderLost: 0,
            start: null,
            end: null,
            first: null,
            firstLine: null,
            last: null,
            failedFrom: null,
            failedTo: null,
          }),
        );
      return tally;
    };
    for (const f of failures) {
      leaseOfFile.set(f.evidence.file, f.subject);
      const tally = tallyOf(f.subject);
      tally.renewFailures++;
      tally.first ??= f.evidence;
      tally.last = f.evidence;
      tally.failedFrom ??= f.ts;
      tally.failedTo = f.ts;
    }
    // One pass over the lines: an outage can log a million.
    const all = new EventSpan<ModelEvent>();
    model.events.eachOf(LEASE_KINDS, (e) => {
      if (isHeartbeatLease(e.subject) || (e.kind === 'leader_lost' && planned.has(eventKey(e)))) return;
      all.add(e);
      const tally = tallyOf(e.subject ?? leaseOfFile.get(e.file) ?? e.file);
      // The line cited for a lease no counted failure cites.
      if (!tally.first) tally.firstLine ??= e;
      if (e.ts !== null) {
        if (tally.start === null || e.ts < tally.start) tally.start = e.ts;
        if (tally.end === null || e.ts > tally.end) tally.end = e.ts;
      }
      if (e.kind === 'lease_lock_retrieve_error') tally.retrieveErrors++;
      if (e.kind === 'leader_lost') tally.leaderLost++;
    });
    if (all.count === 0) return null;
    const leaseFact = new Map<string, LeaseFact>();
    for (const f of data.facts)
      if (f.kind === 'lease' && !leaseFact.has(`${f.namespace}/${f.name}`))
        leaseFact.set(`${f.namespace}/${f.name}`, f);
    const perLease = [...tallies.values()].sort(
      (a, b) => b.renewFailures - a.renewFailures || a.subject.localeCompare(b.subject),
    );
    const renewTotal = failures.length;
    const lostTotal = perLease.reduce((n, l) => n + l.leaderLost, 0);
    // The leases that failed most are named and cited; thousands of holders would bury them.
    const named = perLease.slice(0, MAX_LEASES_NAMED).map((l) => {
      const fact = leaseFact.get(l.subject) ?? null;
      const first = l.first ?? (l.firstLine ? eventRef(l.firstLine, sha256) : null);
      return { ...l, first, fact };
    });
    const listed =
      named.map((l) => `${l.subject} (${l.renewFailures})`).join(', ') +
      (perLease.length > named.length ? ` and ${plural(perLease.length - named.length, 'more lease')}` : '');
    const what = kind === 'lease_renew_failure' ? 'failed to renew' : 'lost';
    const entities: Entity[] = [
      ...perLease.map((l): Entity => ({ kind: 'lease', id: l.subject })),
      ...entitiesOfLists(all.entityLists, ['pod', 'node', 'component']),
      ...perLease.flatMap((l) => {
        const fact = leaseFact.get(l.subject);
        return fact ? (holderPod(fact) ?? []) : [];
      }),
    ];
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
        // Literals of one shape: rest-copies of 300,000 tallies would each be a dictionary.
        leases: perLease.map((l) => {
          const fact = leaseFact.get(l.subject);
          return {
            subject: l.subject,
            renewFailures: l.renewFailures,
            retrieveErrors: l.retrieveErrors,
            leaderLost: l.leaderLost,
            window: l.start === null ? null : { start: sameText(l.start, l), end: sameText(l.end!, l) },
            transitions: fact?.transitions ?? null,
            leaseDurationSeconds: fact?.leaseDurationSeconds ?? null,
          };
        }),
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
