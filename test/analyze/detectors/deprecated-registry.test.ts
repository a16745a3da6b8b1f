import { describe, expect, it } from 'vitest';
import { deprecatedRegistry } from '../../../src/analyze/detectors/deprecated-registry/index.js';
import { caseData, detect, event, pod } from '../_case.js';

describe('deprecated-registry', () => {
  it('flags gcr.io/kubebuilder images that fail to pull', () => {
    const data = caseData({
      facts: [
        pod({
          namespace: 'ci',
          name: 'awx-operator-controller-manager-6d9f7c5b8-x2k9p',
          images: ['gcr.io/kubebuilder/kube-rbac-proxy:v0.15.0', 'quay.io/ansible/awx-operator:2.19.1'],
          waitingReason: 'ImagePullBackOff',
        }),
      ],
      events: [
        event(
          'image_pull_failure',
          '2026-04-01T06:08:00.000Z',
          'Failed to pull image "gcr.io/kubebuilder/kube-rbac-proxy:v0.15.0": rpc error: code = NotFound',
        ),
      ],
    });
    const finding = detect(deprecatedRegistry, data)!;
    expect(finding.data).toMatchObject({
      images: ['gcr.io/kubebuilder/kube-rbac-proxy:v0.15.0'],
      failing: true,
    });
    expect(finding.confidence).toBe('high');
  });

  it('ignores registry.k8s.io images', () => {
    const data = caseData({
      facts: [pod({ name: 'p', images: ['registry.k8s.io/kubebuilder/kube-rbac-proxy:v0.15.0'] })],
    });
    expect(detect(deprecatedRegistry, data)).toBeUndefined();
  });
});
