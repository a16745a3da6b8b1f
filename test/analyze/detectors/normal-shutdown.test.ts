import { describe, expect, it } from 'vitest';
import { leaseFailures } from '../../../src/analyze/detectors/lease-failures/index.js';
import { normalShutdown } from '../../../src/analyze/detectors/normal-shutdown/index.js';
import { findings, incident } from '../_incident.js';

describe('normal-shutdown', () => {
  it('calls a leadership loss right after a systemd stop a stop, and lease-failures leaves it out', async () => {
    const found = findings(await incident('normal-shutdown'), [normalShutdown, leaseFailures]);
    expect(found.get('normal-shutdown')!.data).toEqual({
      losses: 1,
      stops: ['snap.microk8s.daemon-kubelite.service'],
    });
    expect(found.has('lease-failures')).toBe(false);
  });

  it('does not excuse a loss that followed renew failures', async () => {
    const found = findings(await incident('normal-shutdown', 'noisy'), [normalShutdown, leaseFailures]);
    expect(found.has('normal-shutdown')).toBe(false);
    expect(found.get('lease-failures')!.data).toMatchObject({ renewFailures: 1 });
  });
});
