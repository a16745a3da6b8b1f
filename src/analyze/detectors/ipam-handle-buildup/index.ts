import type { CountFact, LinkTest, PodFact } from '../../../types/index.js';
import { uniquePods } from '../../../pods.js';
import { factRef } from '../../../model/index.js';
import type { DatastoreBloatData } from '../datastore-bloat/index.js';
import { type Detector } from '../../detector.js';

/** The reference PIR's alert threshold for IPAM handles. */
export const IPAM_HANDLES_WARN = 1000;

export interface IpamHandleBuildupData {
  handles: number;
  pods: number;
}

export const ipamHandleBuildup: Detector<IpamHandleBuildupData> = {
  id: 'ipam-handle-buildup',
  title: 'Calico IPAM handles accumulated',
  role: 'mechanism',
  reads: '`kubectl get ipamhandles -A` (a table or a count) and the pod dumps',
  thresholds: [{ name: 'handles', value: `≥ ${IPAM_HANDLES_WARN.toLocaleString('en-US')}` }],
  detect({ data }) {
    const count = data.facts.find(
      (f): f is CountFact => f.kind === 'count' && /^ipamhandles/i.test(f.resource),
    );
    if (!count || count.count < IPAM_HANDLES_WARN) return null;
    const pods = uniquePods(data.facts.filter((f): f is PodFact => f.kind === 'pod')).length;
    return {
      claim:
        `The cluster holds ${count.count.toLocaleString('en-US')} Calico IPAM handles` +
        (pods ? ` for ${pods.toLocaleString('en-US')} pods in the dumps` : '') +
        `; every handle is a datastore row, and more than ${IPAM_HANDLES_WARN.toLocaleString('en-US')} means handles of deleted pods are not being released.`,
      evidence: [factRef(count, `${count.count} ${count.resource}`)],
      confidence: 'high',
      window: null,
      entities: [{ kind: 'component', id: 'calico-ipam' }],
      data: { handles: count.count, pods },
    };
  },
  question: () => 'How did the Calico IPAM handles accumulate?',
  unexplained: () => 'The evidence does not show how Calico’s IPAM garbage collection is configured.',
  collectNext: [
    '`kubectl -n kube-system get deploy calico-kube-controllers -o yaml` (ENABLED_CONTROLLERS, image version)',
    '`kubectl get kubecontrollersconfigurations default -o yaml` (leakGracePeriod)',
    '`calicoctl ipam check --show-problem-ips`',
  ],
  links: [
    {
      explains: 'datastore-bloat',
      tests: (_cause, effect) => [ipamPrefixTest(effect.data as DatastoreBloatData)],
    },
  ],
  actions: () => [
    { action: 'Alert on the IPAM handle count (warn > 1,000, critical > 3,000).', priority: 'High' },
  ],
  environment: (f) => [{ label: 'IPAM handles', value: f.data.handles.toLocaleString('en-US') }],
};

/** The entity test into datastore bloat: the rows that dominate are Calico IPAM objects. */
export function ipamPrefixTest(bloat: DatastoreBloatData): LinkTest {
  return {
    test: 'entity',
    passed: bloat.ipam,
    detail: bloat.ipam
      ? `the dominant kine prefix ${bloat.dominantPrefix} holds Calico IPAM objects`
      : `the dominant kine prefix ${bloat.dominantPrefix} is not Calico IPAM`,
  };
}
