import { podSubject } from './_subjects.js';
import type { EventRule, RuleMatch } from './types.js';

/**
 * The kubelet/containerd could not pull an image (catalog §9): `Failed to pull image`, `PullImage …
 * failed`, `failed to pull and unpack image`, ErrImagePull, ImagePullBackOff. `attrs.cause` reads the
 * error: `not-found` (`not found`, `manifest unknown`), `auth` (`pull access denied`, `401
 * Unauthorized`, `insufficient_scope`), `unreachable` (timeouts, DNS, refused, proxy); `attrs.sandbox`
 * when the image is the pod sandbox (`failed to get sandbox image`), which stops every pod of the node.
 */
const IMAGE =
  /(?:[Ff]ailed to pull(?: and unpack)? image|Back-off pulling image|PullImage) \\*"([^"\\]+)\\*"/;
const CAUSES: [string, RegExp][] = [
  ['auth', /pull access denied|401 Unauthorized|insufficient_scope|authorization failed|unauthorized: /i],
  ['not-found', /: not found\b|manifest unknown|code = NotFound|not found: manifest/],
  [
    'unreachable',
    /i\/o timeout|no such host|connection refused|Client\.Timeout|TLS handshake timeout|request canceled|network is unreachable|proxyconnect|no route to host|server misbehaving/,
  ],
];

export const imagePullFailure: EventRule = {
  kind: 'image_pull_failure',
  description: 'an image could not be pulled (ErrImagePull, ImagePullBackOff)',
  severity: 'warning',
  needles: [
    'to pull image',
    'pull and unpack image',
    'ErrImagePull',
    'ImagePullBackOff',
    'Back-off pulling image',
  ],
  match(input): RuleMatch | null {
    const image = IMAGE.exec(input.text);
    if (image || /\b(?:ErrImagePull|ImagePullBackOff)\b/.test(input.text)) {
      const attrs: Record<string, string | boolean> = {};
      if (image) attrs.image = image[1] as string;
      const cause = CAUSES.find(([, pattern]) => pattern.test(input.text));
      if (cause) attrs.cause = cause[0];
      if (/\bsandbox image\b/.test(input.text)) attrs.sandbox = true;
      return { subject: podSubject(input), attrs };
    }
    return null;
  },
  samples: [
    {
      line: 'E0401 12:05:01.000000   53319 remote_image.go:180] "PullImage from image service failed" err="rpc error: code = NotFound desc = failed to pull and unpack image \\"gcr.io/kubebuilder/kube-rbac-proxy:v0.15.0\\": not found" image="gcr.io/kubebuilder/kube-rbac-proxy:v0.15.0"',
      subject: null,
    },
    {
      line: 'E0401 12:05:11.000000   53319 pod_workers.go:1300] "Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"kube-rbac-proxy\\" with ImagePullBackOff: \\"Back-off pulling image \\\\\\"gcr.io/kubebuilder/kube-rbac-proxy:v0.15.0\\\\\\"\\"" pod="awx/awx-operator-controller-manager-5d8f" podUID="9a1f"',
      subject: 'awx/awx-operator-controller-manager-5d8f',
    },
    {
      line: 'time="2024-01-12T10:00:31.123456789Z" level=error msg="PullImage \\"docker.io/library/web:1.2\\" failed" error="failed to pull and unpack image \\"docker.io/library/web:1.2\\": failed to resolve reference \\"docker.io/library/web:1.2\\": docker.io/library/web:1.2: not found"',
      subject: null,
    },
    {
      line: 'E0112 10:00:31.123456    4321 remote_runtime.go:176] "RunPodSandbox from runtime service failed" err="rpc error: code = Unknown desc = failed to get sandbox image \\"registry.k8s.io/pause:3.7\\": failed to pull image \\"registry.k8s.io/pause:3.7\\": failed to pull and unpack image \\"registry.k8s.io/pause:3.7\\": failed to resolve reference \\"registry.k8s.io/pause:3.7\\": failed to do request: Head \\"https://registry.k8s.io/v2/pause/manifests/3.7\\": dial tcp: lookup registry.k8s.io on 127.0.0.53:53: read udp 127.0.0.1:40211->127.0.0.53:53: i/o timeout"',
      subject: null,
    },
    {
      line: 'E0112 10:00:31.123456    4321 remote_image.go:113] PullImage "k8s.gcr.io/pause:3.1" from image service failed: rpc error: code = Unknown desc = failed to pull and unpack image "k8s.gcr.io/pause:3.1": failed to resolve reference "k8s.gcr.io/pause:3.1": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
      subject: null,
    },
  ],
  negatives: [
    'I0401 12:05:00.000000   53319 event.go:376] "Event occurred" object="awx/awx-operator-controller-manager-5d8f" kind="Pod" type="Normal" reason="Pulling" message="Pulling image \\"registry.k8s.io/kubebuilder/kube-rbac-proxy:v0.15.0\\""',
    'I0401 12:05:02.000000   53319 event.go:376] "Event occurred" reason="Pulled" message="Successfully pulled image \\"registry.k8s.io/kubebuilder/kube-rbac-proxy:v0.15.0\\" in 1.2s"',
    '        imagePullPolicy: IfNotPresent',
  ],
};
