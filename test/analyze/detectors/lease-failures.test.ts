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

  it('lists and cites by its first line a lease that only failed to read its lock', () => {
    const retrieve = (ts: string, subject: string) =>
      event(
        'lease_lock_retrieve_error',
        ts,
        `E0331 22:04:42.355425       1 leaderelection.go:358] error retrieving resource lock ${subject}: context deadline exceeded`,
        { subject },
      );
    const data = caseData({
      events: [
        retrieve('2026-03-31T22:04:40.000Z', 'kube-system/quiet'),
        retrieve('2026-03-31T22:04:50.000Z', 'kube-system/quiet'),
        event('lease_renew_failure', '2026-03-31T22:04:43.996Z', klogRenew('ci/awx-operator'), {
          subject: 'ci/awx-operator',
        }),
      ],
    });
    const finding = detect(leaseFailures, data)!;
    // As the JSON lists them: the rows read their fields from the finding's columns.
    expect(JSON.parse(JSON.stringify(finding.data.leases))).toEqual([
      {
        subject: 'ci/awx-operator',
        renewFailures: 1,
        retrieveErrors: 0,
        leaderLost: 0,
        window: { start: '2026-03-31T22:04:43.996Z', end: '2026-03-31T22:04:43.996Z' },
        transitions: null,
        leaseDurationSeconds: null,
      },
      {
        subject: 'kube-system/quiet',
        renewFailures: 0,
        retrieveErrors: 2,
        leaderLost: 0,
        window: { start: '2026-03-31T22:04:40.000Z', end: '2026-03-31T22:04:50.000Z' },
        transitions: null,
        leaseDurationSeconds: null,
      },
    ]);
    const lines = finding.evidence.map((e) => [e.line, e.excerpt?.includes('kube-system/quiet')]);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toEqual([data.events.at(0).line, true]);
    expect(finding.entities.filter((e) => e.kind === 'lease').map((e) => e.id)).toEqual([
      'ci/awx-operator',
      'kube-system/quiet',
    ]);
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
