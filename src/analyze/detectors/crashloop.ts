import type { PodFact } from '../../types/index.js';
import { eventRef, factRef, sampleEnds } from '../evidence.js';
import { plural, windowOf, type Detector } from '../detector.js';

/** Restarts above which a pod counts as crash-looping even when the dump caught it running. */
export const CRASHLOOP_RESTARTS = 20;

/** `awx-operator-controller-manager-6d9f7c5b8-x2k9p` → `awx-operator-controller-manager`. */
export function workloadOf(pod: string): string {
  return pod.replace(/-[a-z0-9]{8,10}-[a-z0-9]{5}$/, '').replace(/-[a-z0-9]{5}$/, '');
}

export const crashloop: Detector = {
  id: 'crashloop',
  title: 'Crash-looping pods',
  detect({ data, sha256 }) {
    const pods = data.facts
      .filter((f): f is PodFact => f.kind === 'pod')
      .filter((p) => p.waitingReason === 'CrashLoopBackOff' || p.restarts >= CRASHLOOP_RESTARTS)
      .sort((a, b) => b.restarts - a.restarts || a.name.localeCompare(b.name));
    const events = data.events.filter((e) => e.kind === 'crashloop');
    if (pods.length === 0 && events.length === 0) return null;
    const names = pods.map((p) => `${p.namespace}/${workloadOf(p.name)} (${p.restarts} restarts)`);
    const claim = pods.length
      ? `${plural(pods.length, 'pod')} ${pods.length === 1 ? 'is' : 'are'} crash-looping or restarting continually: ${names.join(', ')}.`
      : `Restart back-off was logged ${plural(events.length, 'time')}, but no pod dump shows which pods.`;
    return {
      claim,
      evidence: [
        ...pods.map((p) =>
          factRef(p, `restartCount ${p.restarts}${p.waitingReason ? `, waiting: ${p.waitingReason}` : ''}`),
        ),
        ...sampleEnds(events, 1).map((e) => eventRef(e, sha256)),
      ],
      confidence: pods.some((p) => p.waitingReason === 'CrashLoopBackOff') ? 'high' : 'medium',
      window: windowOf(events.map((e) => e.ts)),
      data: {
        pods: pods.map((p) => ({
          namespace: p.namespace,
          name: p.name,
          workload: workloadOf(p.name),
          restarts: p.restarts,
          waitingReason: p.waitingReason,
          node: p.node,
        })),
        backoffEvents: events.length,
        totalRestarts: pods.reduce((n, p) => n + p.restarts, 0),
      },
    };
  },
};
