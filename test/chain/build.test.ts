import { describe, expect, it } from 'vitest';
import type { AnyDetector, DetectorContext } from '../../src/analyze/detector.js';
import { detectorContext } from '../../src/analyze/run.js';
import { buildChain, linkConfidence } from '../../src/chain/build.js';
import type { Confidence, Finding, LinkTest } from '../../src/types/index.js';
import { caseData } from '../analyze/_case.js';

const finding = (id: string, confidence: Confidence = 'high'): Finding => ({
  id,
  title: id,
  claim: `${id} happened.`,
  evidence: [{ file: `${id}.log`, line: 1, sha256: 'a' }],
  confidence,
  window: null,
  status: 'found',
  entities: [],
  data: {},
});

const pass = (test: LinkTest['test']): LinkTest => ({ test, passed: true, detail: `${test} ok` });
const fail = (test: LinkTest['test']): LinkTest => ({ test, passed: false, detail: `${test} not ok` });

/** A detector whose finding explains `explains` with the given test results. */
function detector(
  id: string,
  role: AnyDetector['role'],
  links: { explains: string; tests: LinkTest[] | (() => LinkTest[]) }[] = [],
): AnyDetector {
  return {
    id,
    title: id,
    role,
    reads: 'test',
    thresholds: [],
    detect: () => null,
    question: () => `How did ${id} happen?`,
    unexplained: () => `Nothing explains ${id}.`,
    collectNext: [`more about ${id}`],
    links: links.map((l) => ({
      explains: l.explains,
      tests: typeof l.tests === 'function' ? l.tests : () => l.tests as LinkTest[],
    })),
  };
}

const context: DetectorContext = detectorContext(caseData(), { permutations: 0 });

describe('linkConfidence', () => {
  const cause = finding('cause');
  it('earns high from a statistic, or from the same entity in the right time order', () => {
    expect(linkConfidence([pass('time'), pass('statistic')], cause, undefined).confidence).toBe('high');
    expect(linkConfidence([pass('entity'), pass('time')], cause, undefined).confidence).toBe('high');
  });
  it('earns medium from one test of entity or time', () => {
    expect(linkConfidence([pass('entity')], cause, undefined)).toMatchObject({
      kind: 'answer',
      confidence: 'medium',
    });
  });
  it('calls a link with a failed test, or with no test at all, co-occurrence at low confidence', () => {
    expect(linkConfidence([pass('time'), fail('statistic')], cause, undefined)).toMatchObject({
      kind: 'co-occurrence',
      confidence: 'low',
      reason: 'failed the statistic test: present, not shown to cause',
    });
    expect(linkConfidence([], cause, undefined)).toMatchObject({ kind: 'co-occurrence', confidence: 'low' });
  });
  it('never exceeds the cause finding’s own confidence or the link’s cap', () => {
    expect(
      linkConfidence([pass('entity'), pass('time')], finding('weak', 'medium'), undefined).confidence,
    ).toBe('medium');
    expect(linkConfidence([pass('entity'), pass('time')], cause, 'low')).toMatchObject({
      kind: 'answer',
      confidence: 'low',
    });
  });
});

describe('buildChain', () => {
  const registry = [
    detector('symptom', 'symptom'),
    detector('middle', 'mechanism', [{ explains: 'symptom', tests: [pass('entity'), pass('time')] }]),
    detector('root', 'cause', [{ explains: 'middle', tests: [pass('statistic')] }]),
    detector('bystander', 'cause', [{ explains: 'symptom', tests: [pass('time'), fail('entity')] }]),
  ];
  const findings = ['symptom', 'middle', 'root', 'bystander'].map((id) => finding(id));
  const chain = buildChain(findings, registry, context);

  it('starts at the symptoms and walks down the links that passed', () => {
    expect(chain.roots).toEqual(['symptom']);
    expect(chain.steps.map((s) => [s.id, s.depth])).toEqual([
      ['symptom', 0],
      ['middle', 1],
      ['root', 2],
    ]);
    expect(chain.conclusion).toEqual({
      symptom: 'symptom',
      cause: 'root',
      path: ['symptom', 'middle', 'root'],
      also: [],
    });
  });

  it('names a second symptom traced to its own cause, by a path sharing no finding, as another problem', () => {
    const two = [
      ...registry,
      detector('other-symptom', 'symptom'),
      detector('other-cause', 'cause', [
        { explains: 'other-symptom', tests: [pass('entity'), pass('time')] },
      ]),
      // Also reaches the first chain's mechanism: a branch of the same story, not another problem.
      detector('third-symptom', 'symptom'),
      detector('shared', 'cause', [{ explains: 'third-symptom', tests: [pass('time'), pass('entity')] }]),
    ];
    two[2] = detector('root', 'cause', [
      { explains: 'middle', tests: [pass('statistic')] },
      { explains: 'third-symptom', tests: [pass('statistic')] },
    ]);
    const ids = ['symptom', 'middle', 'root', 'other-symptom', 'other-cause', 'third-symptom'];
    const result = buildChain(
      ids.map((id) => finding(id)),
      two,
      context,
    );
    expect(result.conclusion.path).toEqual(['symptom', 'middle', 'root']);
    expect(result.conclusion.also).toEqual([
      { symptom: 'other-symptom', cause: 'other-cause', path: ['other-symptom', 'other-cause'] },
    ]);
  });

  it('shows a link that failed a test as co-occurrence and does not follow it', () => {
    const answers = chain.steps[0]!.answers;
    expect(answers.map((a) => [a.findings[0], a.kind, a.next])).toEqual([
      ['middle', 'answer', 'middle'],
      ['bystander', 'co-occurrence', null],
    ]);
    expect(answers[1]!.tests.map((t) => [t.test, t.passed])).toEqual([
      ['time', true],
      ['entity', false],
    ]);
  });

  it('ends where nothing explains a finding, naming what to collect', () => {
    expect(chain.gaps).toEqual([
      { step: 'root', missing: 'Nothing explains root.', collectNext: ['more about root'] },
    ]);
  });

  it('establishes no cause when only co-occurrence or low-confidence links reach the symptom', () => {
    const weak = buildChain([finding('symptom'), finding('bystander')], registry, context);
    expect(weak.conclusion).toEqual({ symptom: 'symptom', cause: null, path: ['symptom'], also: [] });
    expect(weak.gaps.map((g) => g.step)).toEqual(['symptom']);
  });

  it('has no chain without a symptom', () => {
    const none = buildChain([finding('root')], registry, context);
    expect(none).toMatchObject({
      roots: [],
      steps: [],
      conclusion: { symptom: null, cause: null, path: [] },
    });
  });

  it('turns a link test that throws into a failed test, never a crash', () => {
    const throwing = [
      detector('symptom', 'symptom'),
      detector('middle', 'mechanism', [
        {
          explains: 'symptom',
          tests: () => {
            throw new Error('bad shape');
          },
        },
      ]),
    ];
    const result = buildChain([finding('symptom'), finding('middle')], throwing, context);
    expect(result.steps[0]!.answers[0]).toMatchObject({ kind: 'co-occurrence' });
    expect(result.steps[0]!.answers[0]!.tests[0]!.detail).toContain('bad shape');
  });
});

describe('buildChain with very many entities', () => {
  it('links a lease-failures finding naming 300,000 leases to the crash loop of its pod', async () => {
    const { leaseFailures } = await import('../../src/analyze/detectors/lease-failures/index.js');
    const leases = Array.from({ length: 300_000 }, (_, i) => ({
      kind: 'lease' as const,
      id: `kube-system/h${i}`,
    }));
    const pod = { kind: 'pod' as const, id: 'kube-system/controller' };
    const cause = {
      ...finding('lease-failures'),
      window: { start: '2026-03-31T20:00:00.000Z', end: '2026-03-31T21:00:00.000Z' },
      entities: [...leases, pod],
    };
    const effect = {
      ...finding('crashloop'),
      window: { start: '2026-03-31T20:30:00.000Z', end: '2026-03-31T22:00:00.000Z' },
      entities: [pod],
    };
    const chain = buildChain([cause, effect], [detector('crashloop', 'symptom'), leaseFailures], context);
    const answer = chain.steps[0]!.answers.find((a) => a.findings.includes('lease-failures'))!;
    expect(answer.kind).toBe('answer');
    expect(answer.tests.find((t) => t.test === 'entity')!.detail).toBe('same pod: kube-system/controller');
  });
});
