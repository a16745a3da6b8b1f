import { describe, expect, it } from 'vitest';
import { apiserverRefused } from '../../../src/analyze/detectors/apiserver-refused/index.js';
import { nodeNotReady } from '../../../src/analyze/detectors/node-not-ready/index.js';
import { unknownFlag } from '../../../src/analyze/detectors/unknown-flag/index.js';
import { findings, incident, linkTests } from '../_incident.js';

describe('apiserver-refused', () => {
  it('counts refused connections and explains the kubelet losing its node lease', async () => {
    const data = await incident('apiserver-unreachable');
    const finding = findings(data, [apiserverRefused]).get('apiserver-refused')!;
    expect(finding.data).toEqual({ lines: 10, causes: 'connection refused 10' });
    expect(finding.claim).toContain('not a datastore problem');
    expect(linkTests(apiserverRefused, nodeNotReady, data)).toMatchObject([{ test: 'time', passed: true }]);
  });

  it('is explained by a flag the API server binary rejected at start-up', async () => {
    const data = await incident('unknown-flag');
    expect(linkTests(unknownFlag, apiserverRefused, data)).toMatchObject([{ test: 'time', passed: true }]);
  });

  it('finds nothing when the API server answers', async () => {
    expect(findings(await incident('apiserver-unreachable', 'noisy'), [apiserverRefused]).size).toBe(0);
  });
});
