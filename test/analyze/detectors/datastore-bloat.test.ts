import { describe, expect, it } from 'vitest';
import { datastoreBloat } from '../../../src/analyze/detectors/datastore-bloat/index.js';
import { caseData, detect, snapshotReport } from '../_case.js';

describe('datastore-bloat', () => {
  it('names the kine prefix that dominates the biggest snapshot copy', () => {
    const before = snapshotReport('k8s02/backend-snapshots/snapshot-1-900-100', 900, [
      ['/registry/crd.projectcalico.org/ipamhandles/', 6071, 9_000_000],
      ['/registry/pods/', 300, 2_000_000],
      ['/registry/leases/', 40, 20_000],
    ]);
    const after = snapshotReport('k8s02/backend-snapshots/snapshot-1-1200-200', 1200, [
      ['/registry/crd.projectcalico.org/ipamhandles/', 599, 900_000],
      ['/registry/pods/', 300, 2_000_000],
    ]);
    const finding = detect(datastoreBloat, caseData({ snapshotReports: [after, before] }))!;
    expect(finding.data).toMatchObject({
      file: 'k8s02/backend-snapshots/snapshot-1-900-100',
      dominantPrefix: '/registry/crd.projectcalico.org/ipamhandles/',
      kineRows: 6411,
      ipam: true,
    });
    expect(finding.claim).toContain('holds 6,071 of 6,411 rows (95%)');
  });

  it('stays silent when no prefix dominates', () => {
    const even = snapshotReport('s', 1, [
      ['/registry/pods/', 100, 100],
      ['/registry/leases/', 100, 100],
      ['/registry/events/', 100, 100],
      ['/registry/configmaps/', 100, 100],
      ['/registry/secrets/', 100, 100],
    ]);
    expect(detect(datastoreBloat, caseData({ snapshotReports: [even] }))).toBeUndefined();
  });
});
