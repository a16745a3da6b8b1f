import type { NodeFact } from '../../types/index.js';
import { factRef } from '../evidence.js';
import { type Detector } from '../detector.js';

export const diskPressure: Detector = {
  id: 'disk-pressure',
  title: 'Node under disk pressure',
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
      data: { nodes: nodes.map((n) => ({ name: n.node.name, since: n.since })) },
    };
  },
};
