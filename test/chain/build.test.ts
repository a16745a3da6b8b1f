import { describe, expect, it } from 'vitest';
import { buildChain } from '../../src/chain/build.js';
import { ROOTS, STEPS } from '../../src/chain/rules.js';
import type { Finding } from '../../src/types/index.js';

const finding = (
  id: string,
  data: Record<string, unknown> = {},
  status: Finding['status'] = 'found',
): Finding => ({
  id,
  title: id,
  claim: `claim of ${id}.`,
  evidence: [{ file: `${id}.log`, line: 7, sha256: `sha-${id}` }],
  confidence: id === 'watch-stream' ? 'medium' : 'high',
  window: null,
  status,
  data,
});

const incident = [
  'crashloop',
  'lease-failures',
  'apiserver-unavailable',
  'snapshot-correlation',
  'snapshot-storm',
  'ipam-handle-buildup',
  'ipam-gc-disabled',
  'unknown-flag',
  'deprecated-registry',
  'disk-pressure',
  'watch-stream',
].map((id) => finding(id));
incident.push(
  finding('datastore-bloat', { ipam: true, dominantPrefix: '/registry/crd.projectcalico.org/ipamhandles/' }),
);

/** The chain's path from a step by always taking the first answer that leads somewhere. */
function path(chain: ReturnType<typeof buildChain>, from: string): string[] {
  const steps = new Map(chain.steps.map((s) => [s.id, s]));
  const out: string[] = [];
  for (let id: string | null = from; id;) {
    out.push(id);
    id = steps.get(id)!.answers.find((a) => a.next)?.next ?? null;
  }
  return out;
}

describe('buildChain', () => {
  it('runs from the crash-looping controllers down to the disabled IPAM GC, every answer citing evidence', () => {
    const chain = buildChain(incident);
    expect(chain.roots).toEqual(['controllers-unavailable', 'new-objects-ignored']);
    expect(path(chain, 'controllers-unavailable')).toEqual([
      'controllers-unavailable',
      'crashloop-cause',
      'lease-loss',
      'apiserver-stalls',
      'snapshots-large',
      'ipam-accumulated',
      'gc-never-enabled',
    ]);
    for (const step of chain.steps)
      for (const answer of step.answers)
        if (answer.kind === 'answer') expect(answer.evidence.length, step.id).toBeGreaterThan(0);
    const ipam = chain.steps.find((s) => s.id === 'ipam-accumulated')!;
    expect(ipam.answers[0]).toMatchObject({
      kind: 'answer',
      findings: ['ipam-gc-disabled'],
      confidence: 'high',
    });
  });

  it('lets a step have several contributing answers', () => {
    const chain = buildChain(incident);
    const crash = chain.steps.find((s) => s.id === 'crashloop-cause')!;
    expect(crash.answers.map((a) => a.findings)).toEqual([['lease-failures'], ['unknown-flag']]);
    const stalls = chain.steps.find((s) => s.id === 'apiserver-stalls')!;
    expect(stalls.answers[0]!.findings).toEqual(['snapshot-correlation', 'snapshot-storm']);
    expect(stalls.answers[1]!.findings).toEqual(['disk-pressure']);
  });

  it('says where the evidence ends and what to collect next', () => {
    const chain = buildChain(incident);
    expect(chain.gaps.map((g) => g.step).sort()).toEqual(['gc-never-enabled', 'watch-broke']);
    expect(chain.gaps.find((g) => g.step === 'gc-never-enabled')!.missing).toContain('TODO(author)');
  });

  it('stops earlier when the IPAM configuration is missing, naming it', () => {
    const chain = buildChain(incident.filter((f) => f.id !== 'ipam-gc-disabled'));
    expect(path(chain, 'controllers-unavailable').at(-1)).toBe('ipam-accumulated');
    const gap = chain.gaps.find((g) => g.step === 'ipam-accumulated')!;
    expect(gap.collectNext.join(' ')).toContain('calico-kube-controllers');
    expect(chain.steps.some((s) => s.id === 'gc-never-enabled')).toBe(false);
  });

  it('does not let a failed detector answer', () => {
    const chain = buildChain([finding('crashloop'), finding('lease-failures', {}, 'failed')]);
    const crash = chain.steps.find((s) => s.id === 'crashloop-cause')!;
    expect(crash.answers).toHaveLength(1);
    expect(crash.answers[0]!.kind).toBe('gap');
  });

  it('asks the first question even without any symptom, as a gap', () => {
    const chain = buildChain([]);
    expect(chain.steps).toHaveLength(1);
    expect(chain.steps[0]!.answers[0]!.kind).toBe('gap');
  });

  it('defines every step a rule can lead to', () => {
    const ids = new Set(STEPS.map((s) => s.id));
    for (const root of ROOTS) expect(ids.has(root.step)).toBe(true);
  });
});
