import { describe, expect, it } from 'vitest';
import { podsNotStarting } from '../../../src/analyze/detectors/pods-not-starting/index.js';
import { findingOf, findings, incident } from '../_incident.js';

describe('pods-not-starting', () => {
  it('lists the pods stuck in ContainerCreating', async () => {
    const finding = findingOf(await incident('image-pull-sandbox'), podsNotStarting)!;
    expect(finding.data.pods).toEqual([
      { pod: 'default/web-7d9c4-ax2kq', reason: 'ContainerCreating' },
      { pod: 'kube-system/coredns-864597b5fd-9nq2d', reason: 'ContainerCreating' },
    ]);
  });

  it('finds nothing when every pod runs', async () => {
    expect(findings(await incident('dns-loop', 'noisy'), [podsNotStarting]).size).toBe(0);
  });
});
