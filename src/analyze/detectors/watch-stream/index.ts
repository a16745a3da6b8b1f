import type { DeploymentFact, Entity, PodFact } from '../../../types/index.js';
import { factRef } from '../../../model/index.js';
import { uniquePods } from '../../../pods.js';
import { plural, type Detector } from '../../detector.js';

/**
 * New objects nobody acted on: Deployments whose latest generation no controller observed, and pods
 * Pending with no node and no scheduling event. It is a symptom, not a log line — a broken watch stream
 * is silent — so the confidence stays medium.
 */
export interface WatchStreamData {
  staleDeployments: {
    namespace: string;
    name: string;
    generation: number | null;
    observedGeneration: number | null;
  }[];
  unscheduledPods: string[];
}

export const watchStream: Detector<WatchStreamData> = {
  id: 'watch-stream',
  title: 'New objects never observed (watch-stream failure)',
  role: 'symptom',
  reads:
    'Deployments whose generation no controller observed; Pending pods with no node and no scheduling event',
  thresholds: [{ name: 'stale', value: 'observedGeneration < generation, or a Pending pod never scheduled' }],
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
    // Every message is read from the case only when some pod is waiting for a scheduler.
    const scheduled = new Set(
      unscheduled.length === 0
        ? []
        : data.events.filter((e) => /Scheduled|FailedScheduling/.test(e.message)).map((e) => e.subject),
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
      // Observing objects is the controller-manager's and the scheduler's work.
      entities: [
        ...['kube-controller-manager', 'kube-scheduler'].map((id): Entity => ({ kind: 'component', id })),
      ],
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
  question: () => 'How did new Deployments and Pods stall without any error?',
  unexplained: () =>
    'A broken watch stream is silent: no log line in the evidence shows it break, so the chain cannot say how.',
  collectNext: [
    'kube-apiserver logs at -v=2 around each kubelite restart',
    '`kubectl get --raw /metrics` (apiserver_watch_events_total, apiserver_registered_watchers)',
    'Times of every kubelite restart (systemd journal) on all nodes',
  ],
  links: [],
  actions: () => [
    {
      action:
        'Write a runbook for "new objects are ignored": create a test Deployment and check a ReplicaSet appears within 30 s; restart kubelite only after datastore pressure subsides.',
      priority: 'High',
    },
  ],
};
