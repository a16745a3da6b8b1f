import type { NodeFact } from '../../../types/index.js';
import { factRef } from '../../../model/index.js';
import { presentBefore, ran, type Detector } from '../../detector.js';
import { cited, tally } from '../_events.js';

const PRESSURES = ['DiskPressure', 'MemoryPressure', 'PIDPressure'];

export interface NodePressureData {
  nodes: string[];
  signals: string[];
}

export const nodePressure: Detector<NodePressureData> = {
  id: 'node-pressure',
  title: 'Node under resource pressure',
  role: 'cause',
  reads:
    '`Node X status is now: NodeHasDiskPressure / NodeHasInsufficientMemory / NodeHasInsufficientPID` events, `The node had condition: [DiskPressure]` rejections, and MemoryPressure/PIDPressure conditions in node dumps (DiskPressure conditions: `disk-pressure`)',
  thresholds: [{ name: 'condition', value: 'a pressure event, or MemoryPressure/PIDPressure=True' }],
  detect({ model, data, sha256 }) {
    const nodeFacts = data.facts.filter((f): f is NodeFact => f.kind === 'node');
    // DiskPressure a node dump already shows is disk-pressure's finding; the events would repeat it.
    const diskPressureShown = new Set(
      nodeFacts
        .filter((n) => n.conditions.some((c) => c.type === 'DiskPressure' && c.status === 'True'))
        .map((n) => n.name),
    );
    const events = model.events
      .ofKind('node_pressure')
      .filter(
        (e) =>
          PRESSURES.includes(String(e.attrs?.signal)) &&
          !(e.attrs?.signal === 'DiskPressure' && diskPressureShown.has(e.subject ?? '')),
      );
    const facts = nodeFacts.flatMap((n) =>
      n.conditions
        .filter((c) => c.status === 'True' && (c.type === 'MemoryPressure' || c.type === 'PIDPressure'))
        .map((c) => ({ node: n, condition: c })),
    );
    if (events.length === 0 && facts.length === 0) return null;
    const signals = [...events.map((e) => String(e.attrs?.signal)), ...facts.map((f) => f.condition.type)];
    const nodes = [
      ...new Set([
        ...events.flatMap((e) => (e.subject && !e.subject.includes('/') ? [e.subject] : [])),
        ...facts.map((f) => f.node.name),
      ]),
    ];
    const base = cited(events, sha256);
    return {
      claim: `${nodes.length ? nodes.join(', ') : 'A node'} reported resource pressure (${tally(signals)}); under pressure the kubelet evicts pods and admits no new ones.`,
      ...base,
      evidence: [...base.evidence, ...facts.map((f) => factRef(f.node, `${f.condition.type} True`))],
      window:
        base.window ??
        (facts[0]?.condition.lastTransitionTime
          ? { start: facts[0].condition.lastTransitionTime, end: facts[0].condition.lastTransitionTime }
          : null),
      confidence: 'high',
      entities: nodes.map((id) => ({ kind: 'node' as const, id })),
      data: { nodes, signals: [...new Set(signals)] },
    };
  },
  question: () => 'How did the node run short of the resource?',
  unexplained: () => 'The node reported the pressure; what used the resource is not in the evidence.',
  collectNext: [
    '`df -h`, `free -m`, `ps aux --sort=-rss | head` on the node',
    '`kubectl top pods -A --sort-by=memory`',
  ],
  links: [
    {
      // Evictions start when the pressure does; the pressure must be there first.
      explains: 'evictions',
      tests: (cause, effect) => ran(presentBefore(cause, effect)),
      text: (cause) => `Resource pressure on the node: ${cause.claim}`,
    },
  ],
  actions: () => [
    {
      action: 'Alert on node pressure conditions and on the resource before the eviction threshold.',
      priority: 'High',
    },
  ],
};
