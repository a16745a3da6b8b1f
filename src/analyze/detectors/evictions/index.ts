import { plural, type Detector } from '../../detector.js';
import { cited } from '../_events.js';
import { entitiesOf } from '../../links.js';

export interface EvictionsData {
  events: number;
  pods: string[];
  resources: string[];
}

export const evictions: Detector<EvictionsData> = {
  id: 'evictions',
  title: 'Pods evicted by the kubelet',
  role: 'symptom',
  reads:
    'kubelet eviction manager lines (`attempting to reclaim`, `pod is evicted successfully`) and Evicted pod events',
  thresholds: [{ name: 'occurrence', value: 'any eviction line or Evicted event' }],
  detect({ model, sha256 }) {
    const events = model.events.ofKind('node_pressure').filter((e) => e.attrs?.signal === 'eviction');
    if (events.length === 0) return null;
    const pods = entitiesOf(events, ['pod']).map((e) => e.id);
    const resources = [
      ...new Set(events.flatMap((e) => (typeof e.attrs?.resource === 'string' ? [e.attrs.resource] : []))),
    ];
    return {
      claim:
        `The kubelet evicted pods to reclaim ${resources.join(', ') || 'node resources'} (${plural(events.length, 'eviction line')}` +
        `${pods.length ? `; ${plural(pods.length, 'pod')}: ${pods.slice(0, 5).join(', ')}${pods.length > 5 ? ', …' : ''}` : ''}). Evicted pods stop and are recreated, and are evicted again while the pressure lasts.`,
      ...cited(events, sha256),
      confidence: 'high',
      entities: entitiesOf(events, ['pod', 'node']),
      data: { events: events.length, pods, resources },
    };
  },
  question: () => 'How did the node come to evict its pods?',
  unexplained: () => 'The evictions are logged; what consumed the resource is not.',
  collectNext: [
    '`kubectl describe node` (Conditions, Allocated resources)',
    '`df -h` / `free -m` on the node',
  ],
  links: [],
  actions: () => [
    {
      action:
        'Set requests and limits for ephemeral storage and memory so the kubelet evicts the right pods.',
      priority: 'Medium',
    },
  ],
};
