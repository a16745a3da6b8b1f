import type { Entity, EvidenceModel, LeaseFact, TimeWindow } from '../../../types/index.js';
import { eventRef, factRef, isHeartbeatLease, SAME_FAILURE_SECONDS } from '../../../model/index.js';
import { entitiesOf, sameEntity } from '../../links.js';
import { eventBounds, plural, presentBefore, ran, windowOf, type Detector } from '../../detector.js';
import { plannedLosses } from '../normal-shutdown/index.js';

const LEASE_KINDS = new Set(['lease_renew_failure', 'lease_lock_retrieve_error', 'leader_lost']);

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

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
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
    const planned = plannedLosses(model.events);
    const events = model.events.filter(
      (e) => LEASE_KINDS.has(e.kind) && !isHeartbeatLease(e.subject) && !planned.has(e),
    );
    if (events.length === 0) return null;
    const leaseOfFile = new Map<string, string>();
    for (const f of failures) leaseOfFile.set(f.evidence.file, f.subject);
    const subjectOf = (e: (typeof events)[number]) => e.subject ?? leaseOfFile.get(e.file) ?? e.file;
    const leases = data.facts.filter((f): f is LeaseFact => f.kind === 'lease');
    // One pass each: a lease's lines and its counted failures.
    const linesOf = groupBy(events, subjectOf);
    const failuresOf = groupBy(failures, (f) => f.subject);
    const subjects = [...new Set([...failuresOf.keys(), ...linesOf.keys()])];
    const perLease = subjects
      .map((subject) => {
        const list = linesOf.get(subject) ?? [];
        const counted = failuresOf.get(subject) ?? [];
        const fact = leases.find((l) => `${l.namespace}/${l.name}` === subject) ?? null;
        return {
          subject,
          renewFailures: counted.length,
          retrieveErrors: list.filter((e) => e.kind === 'lease_lock_retrieve_error').length,
          leaderLost: list.filter((e) => e.kind === 'leader_lost').length,
          window: windowOf(list.map((e) => e.ts)),
          transitions: fact?.transitions ?? null,
          leaseDurationSeconds: fact?.leaseDurationSeconds ?? null,
          first: counted[0]?.evidence ?? (list[0] ? eventRef(list[0], sha256) : null),
          last: counted[counted.length - 1]?.evidence ?? null,
          fact,
        };
      })
      .sort((a, b) => b.renewFailures - a.renewFailures || a.subject.localeCompare(b.subject));
    const renewTotal = failures.length;
    const lostTotal = perLease.reduce((n, l) => n + l.leaderLost, 0);
    const listed = perLease.map((l) => `${l.subject} (${l.renewFailures})`).join(', ');
    const what = kind === 'lease_renew_failure' ? 'failed to renew' : 'lost';
    const entities: Entity[] = [
      ...perLease.map((l): Entity => ({ kind: 'lease', id: l.subject })),
      ...entitiesOf(events, ['pod', 'node', 'component']),
      ...perLease.flatMap((l) => (l.fact ? (holderPod(l.fact) ?? []) : [])),
    ];
    return {
      claim:
        `${plural(perLease.length, 'lease holder')} ${what} ${perLease.length === 1 ? 'its lease' : 'their leases'} ` +
        `${plural(renewTotal, 'time')} in the logs: ${listed}. A holder that cannot renew within its renewDeadline gives up leadership` +
        (lostTotal && kind === 'lease_renew_failure'
          ? `; ${plural(lostTotal, 'leadership loss', 'leadership losses')} (process exits such as "leaderelection lost") follow in the same logs.`
          : '.'),
      evidence: perLease.flatMap((l) => [
        ...(l.first ? [l.first] : []),
        ...(l.last && l.last !== l.first ? [l.last] : []),
        ...(l.fact ? [factRef(l.fact, `leaseTransitions ${l.fact.transitions ?? '?'}`)] : []),
      ]),
      confidence: kind === 'lease_renew_failure' ? 'high' : 'medium',
      window: windowOf(events.map((e) => e.ts)),
      entities,
      windowEvidence: eventBounds(events, sha256),
      data: {
        renewFailures: renewTotal,
        counted: kind,
        leases: perLease.map(({ first, last, fact, ...rest }) => rest),
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
