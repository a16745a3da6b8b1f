import { describe, expect, it } from 'vitest';
import { crashloop } from '../../../src/analyze/detectors/crashloop/index.js';
import { dnsFailure } from '../../../src/analyze/detectors/dns-failure/index.js';
import { findings, incident, linkTests } from '../_incident.js';

describe('dns-failure', () => {
  it("names CoreDNS' forwarding loop and explains CoreDNS crash-looping (same pod)", async () => {
    const data = await incident('dns-loop');
    const finding = findings(data, [dnsFailure]).get('dns-failure')!;
    expect(finding.data).toEqual({ loop: true, causes: 'loop 4', names: [] });
    expect(linkTests(dnsFailure, crashloop, data)).toMatchObject([{ test: 'entity', passed: true }]);
  });

  it('finds nothing in a healthy CoreDNS start', async () => {
    expect(findings(await incident('dns-loop', 'noisy'), [dnsFailure]).size).toBe(0);
  });
});
