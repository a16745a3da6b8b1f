import type { NodeFact } from '../../../types/index.js';
import { factRef } from '../../../model/index.js';
import { plural, type Detector } from '../../detector.js';
import { cited } from '../_events.js';
import { entitiesOf } from '../../links.js';

export interface NodeNotReadyData {
  notReadyLines: number;
  heartbeatFailures: number;
  nodes: string[];
}

export const nodeNotReady: Detector<NodeNotReadyData> = {
  id: 'node-not-ready',
  title: 'Node not ready or failing its heartbeats',
  role: 'symptom',
  reads:
    '`NodeNotReady` events, kubelet `Node became not ready`, node dumps with Ready≠True, and the kubelet failing to renew its node lease (kube-node-lease)',
  thresholds: [{ name: 'occurrence', value: 'any NotReady line or condition, or node-lease failure' }],
  detect({ model, data, sha256 }) {
    const notReady = model.events.ofKind('node_pressure').filter((e) => e.attrs?.signal === 'NotReady');
    const heartbeats = model.events
      .ofKind('node_lease_failure')
      .filter((e) => (e.subject ?? '').startsWith('kube-node-lease/'));
    const facts = data.facts.filter(
      (f): f is NodeFact =>
        f.kind === 'node' && f.conditions.some((c) => c.type === 'Ready' && c.status !== 'True'),
    );
    const events = [...notReady, ...heartbeats];
    if (events.length === 0 && facts.length === 0) return null;
    const nodes = [
      ...new Set([
        ...notReady.flatMap((e) => (e.subject && !e.subject.includes('/') ? [e.subject] : [])),
        ...heartbeats.map((e) => (e.subject ?? '').slice('kube-node-lease/'.length)),
        ...facts.map((f) => f.name),
      ]),
    ];
    const base = cited(events, sha256);
    return {
      claim:
        `${nodes.join(', ') || 'A node'} ${notReady.length || facts.length ? 'went NotReady' : 'could not renew its node lease'}` +
        ` (${[notReady.length ? plural(notReady.length, 'NotReady line') : '', heartbeats.length ? plural(heartbeats.length, 'node-lease failure') : '', facts.length ? 'Ready≠True in the node dump' : ''].filter(Boolean).join(', ')}). ` +
        'The control plane stops scheduling to a node it does not hear from and, after the toleration, evicts its pods.',
      ...base,
      evidence: [...base.evidence, ...facts.map((f) => factRef(f, 'Ready not True'))],
      confidence: 'high',
      entities: [...nodes.map((id) => ({ kind: 'node' as const, id })), ...entitiesOf(events, ['component'])],
      data: { notReadyLines: notReady.length, heartbeatFailures: heartbeats.length, nodes },
    };
  },
  question: () => 'How did the node stop reporting ready?',
  unexplained: () => 'The evidence shows the node stopped reporting, not why the kubelet could not.',
  collectNext: [
    'The kubelet journal of the node (`journalctl -u snap.microk8s.daemon-kubelite`)',
    '`kubectl describe node`',
  ],
  links: [],
};
