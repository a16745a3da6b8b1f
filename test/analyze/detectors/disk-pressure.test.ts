import { describe, expect, it } from 'vitest';
import { diskPressure } from '../../../src/analyze/detectors/disk-pressure/index.js';
import { caseData, detect, node } from '../_case.js';

const condition = (status: string, since: string) => ({
  type: 'DiskPressure',
  status,
  lastTransitionTime: since,
  message: status === 'True' ? 'kubelet has disk pressure' : 'kubelet has no disk pressure',
});

describe('disk-pressure', () => {
  it('reports the node and since when', () => {
    const data = caseData({
      facts: [
        node('k8s01', [condition('False', '2022-08-14T03:30:00Z')]),
        node('k8s02', [condition('True', '2026-03-31T23:12:09Z')]),
      ],
    });
    const finding = detect(diskPressure, data)!;
    expect(finding.claim).toContain('k8s02 (since 2026-03-31T23:12:09Z)');
    expect(finding.claim).not.toContain('k8s01');
    expect(finding.window).toEqual({ start: '2026-03-31T23:12:09Z', end: '2026-03-31T23:12:09Z' });
  });

  it('is quiet when no node reports it', () => {
    expect(
      detect(
        diskPressure,
        caseData({ facts: [node('k8s01', [condition('False', '2022-08-14T03:30:00Z')])] }),
      ),
    ).toBeUndefined();
  });
});
