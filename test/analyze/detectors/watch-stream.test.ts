import { describe, expect, it } from 'vitest';
import { watchStream } from '../../../src/analyze/detectors/watch-stream/index.js';
import { caseData, deployment, detect, pod } from '../_case.js';

describe('watch-stream', () => {
  it('finds unobserved generations and unscheduled pods', () => {
    const data = caseData({
      facts: [
        deployment({
          namespace: 'ci',
          name: 'awx-operator-controller-manager',
          generation: 9,
          observedGeneration: 8,
        }),
        deployment({ name: 'test-stream', generation: 1, observedGeneration: null }),
        deployment({ name: 'fine', generation: 3, observedGeneration: 3 }),
        pod({ name: 'test-stream-pod', phase: 'Pending', node: null }),
      ],
    });
    const finding = detect(watchStream, data)!;
    expect(finding.claim).toContain('2 Deployments');
    expect(finding.claim).toContain('default/test-stream generation 1, observed none');
    expect(finding.claim).toContain('default/test-stream-pod');
    expect(finding.confidence).toBe('medium');
  });

  it('is quiet when every generation was observed and pods are scheduled', () => {
    const data = caseData({
      facts: [
        deployment({ name: 'fine', generation: 3, observedGeneration: 3 }),
        pod({ name: 'p', phase: 'Pending', node: 'k8s01' }),
      ],
    });
    expect(detect(watchStream, data)).toBeUndefined();
  });
});
