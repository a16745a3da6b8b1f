import type { DeploymentFact, Entity, PodFact } from '../../../types/index.js';
import { sameEntity } from '../../links.js';
import { eventRef, factRef } from '../../../model/index.js';
import { ran, type Detector } from '../../detector.js';

export interface DeprecatedRegistryData {
  images: string[];
  failing: boolean;
  objects: string[];
}

/** Registries that stopped serving images (gcr.io/kubebuilder since March 2025; k8s.gcr.io frozen 2023). */
export const DEPRECATED_REGISTRIES = [
  'gcr.io/kubebuilder/',
  'k8s.gcr.io/',
  'gcr.io/google_containers/',
  'gcr.io/google-containers/',
];

const isDeprecated = (image: string) => DEPRECATED_REGISTRIES.some((r) => image.startsWith(r));

export const deprecatedRegistry: Detector<DeprecatedRegistryData> = {
  id: 'deprecated-registry',
  title: 'Image pulled from a deprecated registry',
  role: 'cause',
  reads: 'images of pods and Deployments; image pull failures naming a deprecated registry',
  thresholds: [{ name: 'registries', value: DEPRECATED_REGISTRIES.join(', ') }],
  detect({ data, sha256 }) {
    const users = data.facts.filter(
      (f): f is PodFact | DeploymentFact =>
        (f.kind === 'pod' || f.kind === 'deployment') && f.images.some(isDeprecated),
    );
    const pulls = data.events
      .ofKind('image_pull_failure')
      .filter((e) => DEPRECATED_REGISTRIES.some((r) => e.message.includes(r)));
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
      // A Deployment's pods are named after it, so its name stands for their workload.
      entities: users.map((f): Entity => ({ kind: 'pod', id: `${f.namespace}/${f.name}` })),
      data: { images, failing, objects: users.map((f) => `${f.kind}/${f.namespace}/${f.name}`) },
    };
  },
  question: () => 'How did an image from a deprecated registry stay in use?',
  unexplained: () =>
    'The evidence shows the image reference, not where it is set or why it was not moved. TODO(author).',
  collectNext: ['Where the image reference is set (GitOps repository, Helm values) and when it last changed'],
  links: [
    {
      explains: 'crashloop',
      tests: (cause, effect, { data }) => ran(sameEntity(cause, effect, ['pod'], data)),
      text: (cause) => `Contributing: ${cause.claim}`,
    },
  ],
  actions: (f) => [
    {
      action: 'Move the images to a maintained registry (registry.k8s.io)',
      subjects: f.data.images,
      priority: 'Medium',
    },
  ],
};
