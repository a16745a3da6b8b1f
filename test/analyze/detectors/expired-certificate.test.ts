import { describe, expect, it } from 'vitest';
import { expiredCertificate } from '../../../src/analyze/detectors/expired-certificate/index.js';
import { nodeNotReady } from '../../../src/analyze/detectors/node-not-ready/index.js';
import { findings, incident, linkTests } from '../_incident.js';

describe('expired-certificate', () => {
  it('joins the x509 lines with the bundle certificate that expired, and explains the node going NotReady', async () => {
    const data = await incident('cert-expired');
    const finding = findings(data, [expiredCertificate]).get('expired-certificate')!;
    expect(finding.confidence).toBe('high');
    expect(finding.data).toEqual({
      lines: 6,
      states: ['rotation-failed', 'expired'],
      certificates: [
        {
          where: 'pem block 1',
          subject: 'CN=system:node:node-1, O=system:nodes',
          notBefore: '2023-01-10T08:00:00.000Z',
          notAfter: '2024-01-10T08:00:00.000Z',
          file: 'certs/kubelet-client-current.pem',
        },
      ],
    });
    expect(JSON.stringify(finding)).not.toMatch(/PRIVATE KEY|BEGIN CERTIFICATE/);
    expect(linkTests(expiredCertificate, nodeNotReady, data)).toMatchObject([{ test: 'time', passed: true }]);
  });

  it('finds nothing with valid certificates', async () => {
    expect(findings(await incident('cert-expired', 'noisy'), [expiredCertificate]).size).toBe(0);
  });
});
