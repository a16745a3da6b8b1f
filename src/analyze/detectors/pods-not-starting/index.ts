import { uniquePods } from '../../../pods.js';
import type { Entity, PodFact } from '../../../types/index.js';
import { factRef } from '../../../model/index.js';
import { plural, type Detector } from '../../detector.js';

/** Waiting reasons of a container that never started. */
const NOT_STARTED =
  /^(?:ContainerCreating|ImagePullBackOff|ErrImagePull|CreateContainerConfigError|CreateContainerError|Init:ImagePullBackOff|Init:ErrImagePull)$/;

export interface PodsNotStartingData {
  pods: { pod: string; reason: string }[];
}

export const podsNotStarting: Detector<PodsNotStartingData> = {
  id: 'pods-not-starting',
  title: 'Pods not starting',
  role: 'symptom',
  reads:
    'pod dumps and tables whose containers wait in ContainerCreating, ImagePullBackOff, ErrImagePull or CreateContainerConfigError',
  thresholds: [{ name: 'pods', value: 'any pod waiting to start' }],
  detect({ data }) {
    const pods = uniquePods(data.facts.filter((f): f is PodFact => f.kind === 'pod')).filter(
      (p) => p.waitingReason !== null && NOT_STARTED.test(p.waitingReason),
    );
    if (pods.length === 0) return null;
    return {
      claim: `${plural(pods.length, 'pod')} never started: ${pods.map((p) => `${p.namespace}/${p.name} (${p.waitingReason})`).join(', ')}.`,
      evidence: pods.map((p) => factRef(p, `waiting: ${p.waitingReason}`)),
      confidence: 'high',
      window: null,
      entities: pods.map((p): Entity => ({ kind: 'pod', id: `${p.namespace}/${p.name}` })),
      data: {
        pods: pods.map((p) => ({ pod: `${p.namespace}/${p.name}`, reason: p.waitingReason as string })),
      },
    };
  },
  question: () => 'How did the pods come to be unable to start?',
  unexplained: () => 'The dump shows the pods waiting, not why.',
  collectNext: [
    '`kubectl describe pod` of a waiting pod (its Events)',
    'The kubelet and containerd journals of its node',
  ],
  links: [],
};
