import { describe, expect, it } from 'vitest';
import { imagePullFailure } from '../../../src/analyze/detectors/image-pull-failure/index.js';
import { podsNotStarting } from '../../../src/analyze/detectors/pods-not-starting/index.js';
import { findings, incident, linkTests } from '../_incident.js';

describe('image-pull-failure', () => {
  it('names the sandbox image and the unreachable registry; explains the pods that cannot start', async () => {
    const data = await incident('image-pull-sandbox');
    const finding = findings(data, [imagePullFailure]).get('image-pull-failure')!;
    expect(finding.data).toEqual({
      images: ['registry.k8s.io/pause:3.7'],
      causes: 'unreachable 5',
      sandbox: true,
    });
    expect(finding.claim).toContain('sandbox (pause) image');
    expect(linkTests(imagePullFailure, podsNotStarting, data)).toMatchObject([
      { test: 'entity', passed: true },
    ]);
  });

  it('finds nothing in successful pulls', async () => {
    expect(findings(await incident('image-pull-sandbox', 'noisy'), [imagePullFailure]).size).toBe(0);
  });
});
