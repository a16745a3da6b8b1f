import { describe, expect, it } from 'vitest';
import { apiserverUnavailable } from '../../../src/analyze/detectors/apiserver-unavailable/index.js';
import { diskFull } from '../../../src/analyze/detectors/disk-full/index.js';
import { findings, incident, linkTests } from '../_incident.js';

describe('disk-full', () => {
  it('counts the ENOSPC lines and names the certificate a full disk left empty', async () => {
    const data = await incident('disk-full');
    const finding = findings(data, [diskFull]).get('disk-full')!;
    expect(finding.data).toMatchObject({ events: 6, emptyFiles: ['certs/kubelet.crt'] });
    expect(finding.claim).toContain('the datastore could not write');
    expect(linkTests(diskFull, apiserverUnavailable, data)).toMatchObject([{ test: 'time', passed: true }]);
  });

  it('finds nothing on a disk at 45 %', async () => {
    expect(findings(await incident('disk-full', 'noisy'), [diskFull]).size).toBe(0);
  });
});
