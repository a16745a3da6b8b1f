import { ran, type Detector } from '../../detector.js';
import { entitiesOf, sameEntity } from '../../links.js';
import { cited, tally } from '../_events.js';

export interface ImagePullFailureData {
  images: string[];
  causes: string;
  sandbox: boolean;
}

export const imagePullFailure: Detector<ImagePullFailureData> = {
  id: 'image-pull-failure',
  title: 'Images could not be pulled',
  role: 'cause',
  reads:
    'image pull failures (kubelet, containerd) with their cause read from the error: registry unreachable (timeouts, DNS, refused, proxy), not found, authorization; the sandbox (pause) image',
  thresholds: [
    { name: 'occurrence', value: 'any pull failure; the sandbox image stops every pod of the node' },
  ],
  detect({ model, sha256 }) {
    const events = model.events.ofKind('image_pull_failure');
    if (events.length === 0) return null;
    const images = [
      ...new Set(events.flatMap((e) => (typeof e.attrs?.image === 'string' ? [e.attrs.image] : []))),
    ];
    const causes = tally(events.flatMap((e) => (typeof e.attrs?.cause === 'string' ? [e.attrs.cause] : [])));
    const sandbox = events.some((e) => e.attrs?.sandbox === true);
    const why: Record<string, string> = {
      unreachable: 'the registry could not be reached (timeouts, DNS, refused connections)',
      'not-found': 'the image or tag does not exist',
      auth: 'the registry refused the credentials',
    };
    const top = causes.split(' ')[0] ?? '';
    return {
      claim:
        `${images.length ? images.join(', ') : 'Images'} could not be pulled (${events.length} failure${events.length === 1 ? '' : 's'}${causes ? `: ${causes}` : ''})` +
        (why[top] ? `; ${why[top]}` : '') +
        (sandbox ? '. It is the sandbox (pause) image: no pod on the node can start without it.' : '.'),
      ...cited(events, sha256),
      confidence: 'high',
      entities: entitiesOf(events, ['pod', 'node']),
      data: { images, causes, sandbox },
    };
  },
  question: () => 'How did the node lose access to the image?',
  unexplained: () => 'The pull errors say what failed, not what changed (network, registry, proxy, tag).',
  collectNext: [
    '`crictl pull <image>` on the node, and its DNS/proxy settings',
    'The containerd registry configuration (`certs.d`, mirrors)',
  ],
  links: [
    {
      explains: 'pods-not-starting',
      tests: (cause, effect, { data }) => ran(sameEntity(cause, effect, ['pod'], data)),
      text: (cause) => `The images could not be pulled: ${cause.claim}`,
    },
  ],
  actions: (finding) => [
    {
      action: finding.data.sandbox
        ? 'Make the sandbox image available on every node (pre-pull it, or point containerd `sandbox_image` at a reachable mirror).'
        : 'Mirror the images in a registry the nodes can reach, and alert on pull failures.',
      priority: 'High',
      subjects: finding.data.images,
    },
  ],
};
