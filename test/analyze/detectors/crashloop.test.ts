import { describe, expect, it } from 'vitest';
import { crashloop } from '../../../src/analyze/detectors/crashloop/index.js';
import { caseData, detect, event, pod } from '../_case.js';

describe('crashloop', () => {
  it('names the crash-looping pods with their restart counts', () => {
    const data = caseData({
      facts: [
        pod({
          namespace: 'kube-system',
          name: 'csi-nfs-controller-6c8d7b9f4-r5t6u',
          restarts: 640,
          waitingReason: 'CrashLoopBackOff',
        }),
        pod({ namespace: 'ci', name: 'awx-operator-controller-manager-6d9f7c5b8-x2k9p', restarts: 712 }),
        pod({ namespace: 'kube-system', name: 'coredns-864597b5fd-9nq2d', restarts: 4 }),
      ],
      events: [
        event(
          'crashloop',
          '2026-04-01T06:07:00.000Z',
          'Back-off restarting failed container csi-provisioner in pod csi-nfs-controller-6c8d7b9f4-r5t6u_kube-system(2b8e)',
        ),
      ],
    });
    const finding = detect(crashloop, data)!;
    expect(finding.status).toBe('found');
    expect(finding.claim).toContain('2 pods');
    expect(finding.claim).toContain('ci/awx-operator-controller-manager (712 restarts)');
    expect(finding.claim).not.toContain('coredns');
    expect(finding.confidence).toBe('high');
    expect(finding.evidence[0]).toMatchObject({
      object: 'pod/ci/awx-operator-controller-manager-6d9f7c5b8-x2k9p',
      file: 'kubectl/pods.json',
    });
  });

  it('ignores healthy pods with a few restarts', () => {
    const data = caseData({ facts: [pod({ name: 'coredns-864597b5fd-9nq2d', restarts: 4 })] });
    expect(detect(crashloop, data)).toBeUndefined();
  });
});
