import { uniquePods, workloadName } from '../../pods.js';
import type { DeploymentFact, PodFact } from '../../types/index.js';
import { eventRef, factRef, sampleEnds } from '../evidence.js';
import { eventBounds, plural, windowOf, type Detector } from '../detector.js';

/** Restarts above which a pod counts as crash-looping even when the dump caught it running. */
export const CRASHLOOP_RESTARTS = 20;

export const crashloop: Detector = {
  id: 'crashloop',
  title: 'Crash-looping pods',
  detect({ data, sha256 }) {
    const pods = uniquePods(data.facts.filter((f): f is PodFact => f.kind === 'pod'))
      .filter((p) => p.waitingReason === 'CrashLoopBackOff' || p.restarts >= CRASHLOOP_RESTARTS)
      .sort((a, b) => b.restarts - a.restarts || a.name.localeCompare(b.name));
    // systemd unit restarts are control-plane-restarts' business.
    const events = data.events
      .filter((e) => e.kind === 'crashloop' && !e.subject?.endsWith('.service'))
      .sort(
        (a, b) => (a.ts ?? '').localeCompare(b.ts ?? '') || a.file.localeCompare(b.file) || a.line - b.line,
      );
    if (pods.length === 0 && events.length === 0) return null;
    const deployments = data.facts.filter((f): f is DeploymentFact => f.kind === 'deployment');
    const names = pods.map((p) => `${p.namespace}/${workloadName(p, deployments)} (${p.restarts} restarts)`);
    const claim = pods.length
      ? `${plural(pods.length, 'pod')} ${pods.length === 1 ? 'is' : 'are'} crash-looping or restarting continually: ${names.join(', ')}.`
      : `Restarts were logged ${plural(events.length, 'time')}, but no pod dump shows which pods.`;
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
        windowEvidence: eventBounds(events, sha256),
        pods: pods.map((p) => ({
          namespace: p.namespace,
          name: p.name,
          workload: workloadName(p, deployments),
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
