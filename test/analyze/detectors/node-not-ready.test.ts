import { describe, expect, it } from 'vitest';
import { nodeNotReady } from '../../../src/analyze/detectors/node-not-ready/index.js';
import { findings, incident } from '../_incident.js';

describe('node-not-ready', () => {
  it('reads NodeNotReady events and failing node-lease heartbeats', async () => {
    const cert = findings(await incident('cert-expired'), [nodeNotReady]).get('node-not-ready')!;
    expect(cert.data).toEqual({ notReadyLines: 1, heartbeatFailures: 0, nodes: ['node-1'] });
    const refused = findings(await incident('apiserver-unreachable'), [nodeNotReady]).get('node-not-ready')!;
    expect(refused.data).toEqual({ notReadyLines: 0, heartbeatFailures: 1, nodes: ['node-1'] });
  });

  it('finds nothing on a node that registered', async () => {
    expect(findings(await incident('apiserver-unreachable', 'noisy'), [nodeNotReady]).size).toBe(0);
  });
});
