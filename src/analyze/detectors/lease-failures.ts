import type { EvidenceEvent, LeaseFact } from '../../types/index.js';
import { eventRef, factRef } from '../evidence.js';
import { eventBounds, plural, windowOf, type Detector } from '../detector.js';

const LEASE_KINDS = new Set(['lease_renew_failure', 'lease_lock_retrieve_error', 'leader_lost']);

/**
 * `leaderelection lost` names no lease; in a controller's own log it is about the lease the log's
 * other lines name most often.
 */
function leaseNamedInFile(events: EvidenceEvent[]): Map<string, string> {
  const counts = new Map<string, Map<string, number>>();
  for (const e of events) {
    if (!e.subject) continue;
    const perFile = counts.get(e.file) ?? new Map<string, number>();
    perFile.set(e.subject, (perFile.get(e.subject) ?? 0) + 1);
    counts.set(e.file, perFile);
  }
  const named = new Map<string, string>();
  for (const [file, perFile] of counts) {
    const [top] = [...perFile.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    if (top) named.set(file, top[0]);
  }
  return named;
}

export const leaseFailures: Detector = {
  id: 'lease-failures',
  title: 'Leader-election lease failures',
  detect({ data, sha256 }) {
    const events = data.events
      .filter((e) => LEASE_KINDS.has(e.kind))
      .sort(
        (a, b) => (a.ts ?? '').localeCompare(b.ts ?? '') || a.file.localeCompare(b.file) || a.line - b.line,
      );
    if (events.length === 0) return null;
    const leaseOfFile = leaseNamedInFile(events);
    const bySubject = new Map<string, EvidenceEvent[]>();
    for (const e of events) {
      const key = e.subject ?? leaseOfFile.get(e.file) ?? e.file;
      const list = bySubject.get(key);
      if (list) list.push(e);
      else bySubject.set(key, [e]);
    }
    const leases = data.facts.filter((f): f is LeaseFact => f.kind === 'lease');
    const perLease = [...bySubject.entries()]
      .map(([subject, list]) => {
        const count = (kind: string) => list.filter((e) => e.kind === kind).length;
        const fact = leases.find((l) => `${l.namespace}/${l.name}` === subject) ?? null;
        return {
          subject,
          renewFailures: count('lease_renew_failure'),
          retrieveErrors: count('lease_lock_retrieve_error'),
          leaderLost: count('leader_lost'),
          window: windowOf(list.map((e) => e.ts)),
          transitions: fact?.transitions ?? null,
          leaseDurationSeconds: fact?.leaseDurationSeconds ?? null,
          // Cite the renew failures themselves when there are any: they are what the claim counts.
          first: (list.find((e) => e.kind === 'lease_renew_failure') ?? list[0])!,
          last: (list.findLast((e) => e.kind === 'lease_renew_failure') ?? list[list.length - 1])!,
          fact,
        };
      })
      .sort((a, b) => b.renewFailures - a.renewFailures || a.subject.localeCompare(b.subject));
    const renewTotal = perLease.reduce((n, l) => n + l.renewFailures, 0);
    const lostTotal = perLease.reduce((n, l) => n + l.leaderLost, 0);
    const listed = perLease.map((l) => `${l.subject} (${l.renewFailures})`).join(', ');
    return {
      claim:
        `${plural(perLease.length, 'lease holder')} failed to renew ${perLease.length === 1 ? 'its lease' : 'their leases'} ` +
        `${plural(renewTotal, 'time')} in the logs: ${listed}. A holder that cannot renew within its renewDeadline gives up leadership` +
        (lostTotal
          ? `; ${plural(lostTotal, 'leadership loss', 'leadership losses')} (process exits such as "leaderelection lost") follow in the same logs.`
          : '.'),
      evidence: perLease.flatMap((l) => [
        eventRef(l.first, sha256),
        ...(l.last !== l.first ? [eventRef(l.last, sha256)] : []),
        ...(l.fact ? [factRef(l.fact, `leaseTransitions ${l.fact.transitions ?? '?'}`)] : []),
      ]),
      confidence: renewTotal > 0 ? 'high' : 'medium',
      window: windowOf(events.map((e) => e.ts)),
      data: {
        windowEvidence: eventBounds(events, sha256),
        renewFailures: renewTotal,
        leases: perLease.map(({ first, last, fact, ...rest }) => rest),
      },
    };
  },
};
