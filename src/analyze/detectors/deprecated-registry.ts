import type { DeploymentFact, PodFact } from '../../types/index.js';
import { eventRef, factRef } from '../evidence.js';
import { type Detector } from '../detector.js';

/** Registries that stopped serving images (gcr.io/kubebuilder since March 2025; k8s.gcr.io frozen 2023). */
export const DEPRECATED_REGISTRIES = [
  'gcr.io/kubebuilder/',
  'k8s.gcr.io/',
  'gcr.io/google_containers/',
  'gcr.io/google-containers/',
];

const isDeprecated = (image: string) => DEPRECATED_REGISTRIES.some((r) => image.startsWith(r));

export const deprecatedRegistry: Detector = {
  id: 'deprecated-registry',
  title: 'Image pulled from a deprecated registry',
  detect({ data, sha256 }) {
    const users = data.facts.filter(
      (f): f is PodFact | DeploymentFact =>
        (f.kind === 'pod' || f.kind === 'deployment') && f.images.some(isDeprecated),
    );
    const pulls = data.events.filter(
      (e) => e.kind === 'image_pull_failure' && DEPRECATED_REGISTRIES.some((r) => e.message.includes(r)),
    );
    if (users.length === 0 && pulls.length === 0) return null;
    const images = [...new Set(users.flatMap((f) => f.images.filter(isDeprecated)))].sort();
    const failing =
      pulls.length > 0 || users.some((f) => f.kind === 'pod' && f.waitingReason === 'ImagePullBackOff');
    return {
      claim:
        `${images.length ? images.join(', ') : 'An image'} comes from a registry that no longer serves it` +
        (failing ? ', and pulling it failed (ImagePullBackOff)' : '') +
        `: ${users.map((f) => `${f.kind} ${f.namespace}/${f.name}`).join(', ') || 'see the pull failures'}.`,
      evidence: [
        ...users.map((f) => factRef(f, f.images.filter(isDeprecated).join(', '))),
        ...pulls.slice(0, 2).map((e) => eventRef(e, sha256)),
      ],
      confidence: failing ? 'high' : 'low',
      window: null,
      data: { images, failing, objects: users.map((f) => `${f.kind}/${f.namespace}/${f.name}`) },
    };
  },
};
