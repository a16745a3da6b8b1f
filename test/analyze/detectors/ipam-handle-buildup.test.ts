import { describe, expect, it } from 'vitest';
import { ipamHandleBuildup } from '../../../src/analyze/detectors/ipam-handle-buildup/index.js';
import { caseData, count, detect, pod } from '../_case.js';

describe('ipam-handle-buildup', () => {
  it('reports thousands of handles against the pods that exist', () => {
    const data = caseData({
      facts: [count('ipamhandles.crd.projectcalico.org', 6071), pod({ name: 'a' }), pod({ name: 'b' })],
    });
    const finding = detect(ipamHandleBuildup, data)!;
    expect(finding.claim).toContain('6,071 Calico IPAM handles for 2 pods');
    expect(finding.data).toEqual({ handles: 6071, pods: 2 });
  });

  it('stays silent below the alert threshold', () => {
    expect(
      detect(ipamHandleBuildup, caseData({ facts: [count('ipamhandles.crd.projectcalico.org', 57)] })),
    ).toBeUndefined();
  });
});
