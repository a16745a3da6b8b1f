import type { Entity, NodeFact } from '../../../types/index.js';
import { sameEntity } from '../../links.js';
import { factRef } from '../../../model/index.js';
import { presentAtStart, ran, type Detector } from '../../detector.js';

export interface DiskPressureData {
  nodes: { name: string; since: string | null }[];
}

export const diskPressure: Detector<DiskPressureData> = {
  id: 'disk-pressure',
  title: 'Node under disk pressure',
  role: 'cause',
  reads: 'node conditions in node dumps (DiskPressure True)',
  thresholds: [{ name: 'condition', value: 'DiskPressure=True' }],
  detect({ data }) {
    const nodes = data.facts
      .filter((f): f is NodeFact => f.kind === 'node')
      .flatMap((n) => {
        const condition = n.conditions.find((c) => c.type === 'DiskPressure' && c.status === 'True');
        return condition
          ? [{ node: n, since: condition.lastTransitionTime, message: condition.message }]
          : [];
      });
    if (nodes.length === 0) return null;
    const since = nodes
      .map((n) => n.since)
      .filter((t): t is string => t !== null)
      .sort();
    return {
      claim: `${nodes.map((n) => `${n.node.name} (since ${n.since ?? 'an unknown time'})`).join(', ')} reported DiskPressure; the kubelet evicts pods and refuses new ones on such a node.`,
      evidence: nodes.map((n) => factRef(n.node, `DiskPressure True${n.message ? `: ${n.message}` : ''}`)),
      confidence: 'high',
      window: since.length ? { start: since[0]!, end: since[since.length - 1]! } : null,
      entities: nodes.map((n): Entity => ({ kind: 'node', id: n.node.name })),
      data: { nodes: nodes.map((n) => ({ name: n.node.name, since: n.since })) },
    };
  },
  question: () => 'How did the node’s disk fill up?',
  unexplained: () => 'The node dump shows the condition, not what filled the disk.',
  collectNext: [
    '`df -h` and `du -xsh /var/snap/microk8s/* /var/lib/containerd /var/log` on the node',
    '`iostat -x 5` over the incident window',
  ],
  links: [
    {
      // The kubelet evicts pods to relieve the pressure: the same node, the pressure there first.
      explains: 'evictions',
      tests: (cause, effect, { data }) =>
        ran(sameEntity(cause, effect, ['node'], data), presentAtStart(cause, effect)),
      text: (cause) => cause.claim,
    },
    {
      // A full disk on the node serving the API slows its datastore: the same node, at the same time.
      explains: 'apiserver-unavailable',
      tests: (cause, effect, { data }) =>
        ran(sameEntity(cause, effect, ['node'], data), presentAtStart(cause, effect)),
      text: (cause) => `Contributing: ${cause.claim}`,
    },
  ],
  actions: () => [
    {
      action:
        'Find what fills the node’s disk (snapshot folder, images, logs) and alert before DiskPressure.',
      priority: 'Medium',
    },
  ],
};
