import { uniquePods, workloadName } from '../../../pods.js';
import type { DeploymentFact, Entity, PodFact } from '../../../types/index.js';
import { factRef } from '../../../model/index.js';
import { plural, windowOf, type Detector } from '../../detector.js';
import { CitedEvents } from '../_events.js';
import { entitiesOfLists } from '../../links.js';

/** Restarts above which a pod counts as crash-looping even when the dump caught it running. */
export const CRASHLOOP_RESTARTS = 20;

export interface CrashloopData {
  pods: {
    namespace: string;
    name: string;
    workload: string;
    restarts: number;
    waitingReason: string | null;
    node: string | null;
  }[];
  backoffEvents: number;
  totalRestarts: number;
}

export const crashloop: Detector<CrashloopData> = {
  id: 'crashloop',
  title: 'Crash-looping pods',
  role: 'symptom',
  reads: 'pod dumps (waiting reason CrashLoopBackOff, restart counts) and BackOff events or kubelet lines',
  thresholds: [
    {
      name: 'restarts',
      value: `≥ ${CRASHLOOP_RESTARTS} restarts counts as crash-looping when the pod is running`,
    },
  ],
  detect({ data, model, sha256 }) {
    const pods = uniquePods(data.facts.filter((f): f is PodFact => f.kind === 'pod'))
      .filter((p) => p.waitingReason === 'CrashLoopBackOff' || p.restarts >= CRASHLOOP_RESTARTS)
      .sort((a, b) => b.restarts - a.restarts || a.name.localeCompare(b.name));
    // systemd unit restarts are control-plane-restarts' business.
    const events = new CitedEvents(1);
    model.events.eachOf(['crashloop'], (e) => {
      if (!e.subject?.endsWith('.service')) events.add(e);
    });
    if (pods.length === 0 && events.count === 0) return null;
    const deployments = data.facts.filter((f): f is DeploymentFact => f.kind === 'deployment');
    const names = pods.map((p) => `${p.namespace}/${workloadName(p, deployments)} (${p.restarts} restarts)`);
    const claim = pods.length
      ? `${plural(pods.length, 'pod')} ${pods.length === 1 ? 'is' : 'are'} crash-looping or restarting continually: ${names.join(', ')}.`
      : `Restarts were logged ${plural(events.count, 'time')}, but no pod dump shows which pods.`;
    const entities: Entity[] = [
      ...pods.map((p): Entity => ({ kind: 'pod', id: `${p.namespace}/${p.name}` })),
      ...entitiesOfLists(events.span.entityLists, ['pod']),
    ];
    const terminations = pods.map((p) => p.lastTermination?.finishedAt ?? null);
    const cite = events.cite(sha256);
    return {
      claim,
      evidence: [
        ...pods.map((p) =>
          factRef(p, `restartCount ${p.restarts}${p.waitingReason ? `, waiting: ${p.waitingReason}` : ''}`),
        ),
        ...cite.evidence,
      ],
      confidence: pods.some((p) => p.waitingReason === 'CrashLoopBackOff') ? 'high' : 'medium',
      window: windowOf([cite.window?.start ?? null, cite.window?.end ?? null, ...terminations]),
      entities,
      windowEvidence: cite.windowEvidence,
      data: {
        pods: pods.map((p) => ({
          namespace: p.namespace,
          name: p.name,
          workload: workloadName(p, deployments),
          restarts: p.restarts,
          waitingReason: p.waitingReason,
          node: p.node,
        })),
        backoffEvents: events.count,
        totalRestarts: pods.reduce((n, p) => n + p.restarts, 0),
      },
    };
  },
  question(finding) {
    const workloads = [...new Set(finding.data.pods.map((p) => `${p.namespace}/${p.workload}`))];
    return workloads.length > 0 && workloads.length <= 6
      ? `How did ${workloads.join(', ')} come to crash-loop?`
      : 'How did the pods come to crash-loop?';
  },
  unexplained: () => 'The evidence does not say why the containers exited.',
  collectNext: [
    '`kubectl logs --previous --timestamps` of each crash-looping container',
    '`kubectl describe pod` (Last State, exit code, OOMKilled)',
  ],
  links: [],
  affected: (f) =>
    f.data.pods.map((p) => ({
      namespace: p.namespace,
      workload: p.workload,
      pod: p.name,
      restarts: p.restarts,
      node: p.node,
      state: p.waitingReason ?? 'restarting',
    })),
  actions: () => [
    {
      action: 'Alert on containers restarting continually (CrashLoopBackOff, restart count growth).',
      priority: 'High',
    },
  ],
};
