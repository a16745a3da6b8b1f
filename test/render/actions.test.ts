import { describe, expect, it } from 'vitest';
import { actionItems } from '../../src/render/actions.js';
import type { Finding } from '../../src/types/index.js';

const finding = (
  id: string,
  status: Finding['status'] = 'found',
  data: Record<string, unknown> = {},
): Finding => ({
  id,
  title: id,
  claim: '',
  evidence: [],
  confidence: 'high',
  window: null,
  status,
  data,
});

describe('actionItems', () => {
  it('proposes one action per found finding that has one, in finding order', () => {
    const items = actionItems([
      finding('ipam-gc-disabled'),
      finding('deprecated-registry', 'found', { images: ['gcr.io/kubebuilder/kube-rbac-proxy:v0.15.0'] }),
      finding('snapshot-correlation'),
      finding('snapshot-storm', 'failed'),
    ]);
    expect(items.map((i) => [i.finding, i.priority])).toEqual([
      ['ipam-gc-disabled', 'Critical'],
      ['deprecated-registry', 'Medium'],
    ]);
    expect(items[1]!.action).toContain('gcr.io/kubebuilder/kube-rbac-proxy:v0.15.0');
  });
});
