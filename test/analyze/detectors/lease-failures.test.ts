import { describe, expect, it } from 'vitest';
import { leaseFailures } from '../../../src/analyze/detectors/lease-failures/index.js';
import { caseData, detect, event, klogRenew, lease } from '../_case.js';

describe('lease-failures', () => {
  it('counts renew failures per lease and cites first and last', () => {
    const data = caseData({
      events: [
        event(
          'lease_lock_retrieve_error',
          '2026-03-31T22:04:42.355Z',
          'E0331 22:04:42.355425       1 leaderelection.go:358] error retrieving resource lock kube-system/csi-nfs: context deadline exceeded',
          { subject: 'kube-system/csi-nfs' },
        ),
        event('lease_renew_failure', '2026-03-31T22:04:43.996Z', klogRenew('kube-system/csi-nfs'), {
          subject: 'kube-system/csi-nfs',
        }),
        event(
          'lease_renew_failure',
          '2026-03-31T22:11:21.576Z',
          klogRenew('kube-system/csi-nfs', '22:11:21.576854'),
          { subject: 'kube-system/csi-nfs' },
        ),
        event('lease_renew_failure', '2026-03-31T22:04:37.027Z', klogRenew('ci/awx-operator'), {
          subject: 'ci/awx-operator',
        }),
      ],
      facts: [lease({ namespace: 'kube-system', name: 'csi-nfs', transitions: 641 })],
    });
    const finding = detect(leaseFailures, data)!;
    expect(finding.claim).toContain('2 lease holders failed to renew their leases 3 times');
    expect(finding.claim).toContain('kube-system/csi-nfs (2), ci/awx-operator (1)');
    const leases = finding.data.leases as {
      subject: string;
      renewFailures: number;
      retrieveErrors: number;
      transitions: number | null;
    }[];
    expect(leases[0]).toMatchObject({
      subject: 'kube-system/csi-nfs',
      renewFailures: 2,
      retrieveErrors: 1,
      transitions: 641,
    });
    expect(finding.window).toEqual({ start: '2026-03-31T22:04:37.027Z', end: '2026-03-31T22:11:21.576Z' });
    expect(finding.evidence.some((e) => e.object === 'lease/kube-system/csi-nfs')).toBe(true);
  });

  it('stays silent when leases were only acquired', () => {
    const data = caseData({
      events: [
        event(
          'leader_acquired',
          '2026-03-31T22:05:23.684Z',
          'successfully acquired lease kube-system/csi-nfs',
          { subject: 'kube-system/csi-nfs' },
        ),
      ],
    });
    expect(detect(leaseFailures, data)).toBeUndefined();
  });
});
