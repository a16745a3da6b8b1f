import type { DeploymentFact, PodFact } from '../../types/index.js';
import { factRef } from '../evidence.js';
import { uniquePods } from '../../pods.js';
import { plural, type Detector } from '../detector.js';

/**
 * New objects nobody acted on: Deployments whose latest generation no controller observed, and pods
 * Pending with no node and no scheduling event. It is a symptom, not a log line — a broken watch stream
 * is silent — so the confidence stays medium.
 */
export const watchStream: Detector = {
  id: 'watch-stream',
  title: 'New objects never observed (watch-stream failure)',
  detect({ data }) {
    const stale = data.facts.filter(
      (f): f is DeploymentFact =>
        f.kind === 'deployment' &&
        f.generation !== null &&
        (f.observedGeneration === null || f.observedGeneration < f.generation),
    );
    const unscheduled = uniquePods(data.facts.filter((f): f is PodFact => f.kind === 'pod')).filter(
      (p) => p.phase === 'Pending' && p.node === null,
    );
    const scheduled = new Set(
      data.events.filter((e) => /Scheduled|FailedScheduling/.test(e.message)).map((e) => e.subject),
    );
    const silent = unscheduled.filter((p) => !scheduled.has(`${p.namespace}/${p.name}`));
    if (stale.length === 0 && silent.length === 0) return null;
    const parts: string[] = [];
    if (stale.length)
      parts.push(
        `${plural(stale.length, 'Deployment')} with a generation no controller observed (${stale
          .map(
            (d) =>
              `${d.namespace}/${d.name} generation ${d.generation}, observed ${d.observedGeneration ?? 'none'}`,
          )
          .join('; ')})`,
      );
    if (silent.length)
      parts.push(
        `${plural(silent.length, 'pod')} Pending with no node and no scheduling event (${silent
          .map((p) => `${p.namespace}/${p.name}`)
          .join(', ')})`,
      );
    return {
      claim: `Controllers and the scheduler did not act on new objects: ${parts.join('; ')}.`,
      evidence: [
        ...stale.map((d) =>
          factRef(d, `generation ${d.generation}, observedGeneration ${d.observedGeneration ?? '(unset)'}`),
        ),
        ...silent.map((p) => factRef(p, 'phase Pending, no nodeName')),
      ],
      confidence: stale.length && silent.length ? 'medium' : 'low',
      window: null,
      data: {
        staleDeployments: stale.map((d) => ({
          namespace: d.namespace,
          name: d.name,
          generation: d.generation,
          observedGeneration: d.observedGeneration,
        })),
        unscheduledPods: silent.map((p) => `${p.namespace}/${p.name}`),
      },
    };
  },
};
