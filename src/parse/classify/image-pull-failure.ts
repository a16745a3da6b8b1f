import { podSubject } from './_subjects.js';
import type { EventRule } from './types.js';

/** The kubelet/containerd could not pull an image: `Failed to pull image`, ErrImagePull, ImagePullBackOff. */
const IMAGE = /(?:[Ff]ailed to pull(?: and unpack)? image|Back-off pulling image) \\?"([^"\\]+)\\?"/;

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
  match(input) {
    const image = IMAGE.exec(input.text);
    if (image || /\b(?:ErrImagePull|ImagePullBackOff)\b/.test(input.text)) {
      return { subject: podSubject(input), attrs: image ? { image: image[1] as string } : undefined };
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
  ],
  negatives: [
    'I0401 12:05:00.000000   53319 event.go:376] "Event occurred" object="awx/awx-operator-controller-manager-5d8f" kind="Pod" type="Normal" reason="Pulling" message="Pulling image \\"registry.k8s.io/kubebuilder/kube-rbac-proxy:v0.15.0\\""',
    'I0401 12:05:02.000000   53319 event.go:376] "Event occurred" reason="Pulled" message="Successfully pulled image \\"registry.k8s.io/kubebuilder/kube-rbac-proxy:v0.15.0\\" in 1.2s"',
    '        imagePullPolicy: IfNotPresent',
  ],
};
