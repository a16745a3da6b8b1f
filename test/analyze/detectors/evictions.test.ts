import { describe, expect, it } from 'vitest';
import { diskPressure } from '../../../src/analyze/detectors/disk-pressure/index.js';
import { evictions } from '../../../src/analyze/detectors/evictions/index.js';
import { findingOf, findings, incident, linkTests } from '../_incident.js';

describe('evictions', () => {
  it('collects the evicted pods and the resource reclaimed; DiskPressure on the node explains them', async () => {
    const data = await incident('node-pressure');
    const finding = findingOf(data, evictions)!;
    expect(finding.data.resources).toEqual(['ephemeral-storage']);
    expect(finding.data.pods).toHaveLength(5);
    // The eviction lines do not name their node (a kubelite journal without a node folder): time only.
    expect(linkTests(diskPressure, evictions, data).map((t) => [t.test, t.passed])).toEqual([['time', true]]);
  });

  it('finds nothing in healthy node events', async () => {
    expect(findings(await incident('node-pressure', 'noisy'), [evictions]).size).toBe(0);
  });
});
