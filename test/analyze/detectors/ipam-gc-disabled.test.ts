import { describe, expect, it } from 'vitest';
import { ipamGcDisabled } from '../../../src/analyze/detectors/ipam-gc-disabled/index.js';
import { caseData, deployment, detect } from '../_case.js';

const calico = (image: string, enabled?: string) =>
  deployment({
    namespace: 'kube-system',
    name: 'calico-kube-controllers',
    images: [image],
    env:
      enabled === undefined
        ? { DATASTORE_TYPE: 'kubernetes' }
        : { ENABLED_CONTROLLERS: enabled, DATASTORE_TYPE: 'kubernetes' },
  });

describe('ipam-gc-disabled', () => {
  it('flags v3.13.2 with only the node controller (no leaked-IP GC in that version)', () => {
    const finding = detect(
      ipamGcDisabled,
      caseData({ facts: [calico('docker.io/calico/kube-controllers:v3.13.2', 'node')] }),
    )!;
    expect(finding.claim).toContain('v3.13.2');
    expect(finding.claim).toContain('predates leaked-IP garbage collection');
    expect(finding.data).toEqual({ enabledControllers: 'node', version: 'v3.13.2', leakGcAvailable: false });
    expect(finding.evidence[0]!.excerpt).toContain('ENABLED_CONTROLLERS=node');
  });

  it('flags a configuration without the node controller whatever the version', () => {
    const finding = detect(
      ipamGcDisabled,
      caseData({ facts: [calico('docker.io/calico/kube-controllers:v3.29.3', 'policy,namespace')] }),
    )!;
    expect(finding.claim).toContain('leaves out the node controller');
  });

  it('accepts v3.20+ with the node controller (GC on by default)', () => {
    expect(
      detect(
        ipamGcDisabled,
        caseData({ facts: [calico('docker.io/calico/kube-controllers:v3.25.1', 'node')] }),
      ),
    ).toBeUndefined();
  });

  it('claims nothing when the version cannot be read', () => {
    expect(
      detect(ipamGcDisabled, caseData({ facts: [calico('registry.local/kc:latest', 'node')] })),
    ).toBeUndefined();
  });
});
