import type { CountFact, PodFact } from '../../types/index.js';
import { uniquePods } from '../../pods.js';
import { factRef } from '../evidence.js';
import { type Detector } from '../detector.js';

/** The reference PIR's alert threshold for IPAM handles. */
export const IPAM_HANDLES_WARN = 1000;

export const ipamHandleBuildup: Detector = {
  id: 'ipam-handle-buildup',
  title: 'Calico IPAM handles accumulated',
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
      data: { handles: count.count, pods },
    };
  },
};
