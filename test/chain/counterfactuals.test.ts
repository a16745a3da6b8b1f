/**
 * The sample next to evidence that tries to fool the chain: each counterfactual changes one thing,
 * and the draft must claim only what the changed evidence supports.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeBundles } from '../../src/pipeline/analyze.js';
import { renderPir } from '../../src/render/pir.js';
import type { AnalysisResult, HowAnswer } from '../../src/types/index.js';
import {
  onlyUnrelatedCrashloop,
  SAMPLE,
  shiftedLeaseFailures,
  withNoise,
  withoutIpam,
  withoutIpamOrCopies,
  withUnrelatedCrashloop,
} from './_counterfactuals.js';

const scratch = mkdtempSync(join(tmpdir(), 'howchain-counterfactual-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const analyze = (bundles: string[], options: { year?: number; tz?: string } = {}) =>
  analyzeBundles(bundles, { permutations: 999, ...options });
const title = (result: AnalysisResult) => renderPir(result).split('\n')[0]!;
const answersTo = (result: AnalysisResult, step: string): HowAnswer[] =>
  result.chain.steps.find((s) => s.id === step)?.answers ?? [];
const answerBy = (result: AnalysisResult, step: string, finding: string) =>
  answersTo(result, step).find((a) => a.findings.includes(finding));
const SAMPLE_STORY = /snapshot|IPAM|Calico|dqlite|datastore/i;
/** The title's main chain, without the independent problems it names after `; also:`. */
const mainTitle = (result: AnalysisResult) => title(result).split('; also: ')[0]!;

describe('the untouched sample', async () => {
  const result = await analyze([SAMPLE]);

  it('is traced to the disabled IPAM garbage collection, with the correlation on the snapshot link', () => {
    expect(title(result)).toBe(
      '# Post Incident Review (draft): Crash-looping pods, traced to: Calico IPAM garbage collection disabled; also: Pods not starting, traced to: Images could not be pulled',
    );
    expect(result.chain.conclusion.path).toEqual([
      'crashloop',
      'lease-failures',
      'apiserver-unavailable',
      'snapshot-storm',
      'datastore-bloat',
      'ipam-handle-buildup',
      'ipam-gc-disabled',
    ]);
    const storm = answerBy(result, 'apiserver-unavailable', 'snapshot-storm')!;
    expect(storm.kind).toBe('answer');
    expect(storm.confidence).toBe('high');
    expect(storm.tests.map((t) => [t.test, t.passed])).toEqual([
      ['time', true],
      ['statistic', true],
    ]);
    expect(storm.tests[1]!.detail).toMatch(/^76 of 109 lease failures \(70%\) within 10 s after a write/);
  });

  it('shows why every followed link holds: each answer carries its passed tests', () => {
    for (const step of result.chain.steps)
      for (const answer of step.answers.filter((a) => a.kind === 'answer')) {
        expect(answer.tests.length, `${step.id} ← ${answer.findings}`).toBeGreaterThan(0);
        expect(answer.tests.every((t) => t.passed)).toBe(true);
        expect(answer.confidenceReason).toMatch(/^passed the /);
      }
  });

  it('links the crash loops to the lease failures of the same pods', () => {
    const lease = answerBy(result, 'crashloop', 'lease-failures')!;
    expect(lease.tests.find((t) => t.test === 'entity')!.detail).toContain(
      'same pod: ci/awx-operator-controller-manager',
    );
  });

  it('does not blame a flag error logged after the crash loops were recorded', () => {
    const flag = answerBy(result, 'crashloop', 'unknown-flag')!;
    expect(flag.kind).toBe('co-occurrence');
    expect(flag.tests.find((t) => t.test === 'time')!.passed).toBe(false);
  });
});

describe('lease failures moved 15–110 s later, away from the snapshot writes', async () => {
  const result = await analyze([shiftedLeaseFailures(scratch)]);

  it('loses the correlation', () => {
    expect(result.correlation.pValue).toBeGreaterThan(0.01);
    expect(result.findings.map((f) => f.id)).not.toContain('snapshot-correlation');
  });

  it('names no snapshot, datastore or IPAM cause in the title, and says the storm only co-occurs', () => {
    expect(mainTitle(result)).not.toMatch(SAMPLE_STORY);
    // The datastore's own latency may still explain the stalls on its own; the snapshot story may not.
    expect(title(result)).not.toMatch(/snapshot|IPAM|Calico|dqlite/i);
    expect(result.chain.conclusion.path).not.toContain('snapshot-storm');
    for (const other of result.chain.conclusion.also) expect(other.path).not.toContain('snapshot-storm');
    const stalls = answersTo(result, 'apiserver-unavailable');
    for (const answer of stalls.filter((a) => a.findings.includes('snapshot-storm'))) {
      expect(answer.kind).toBe('co-occurrence');
      expect(answer.confidence).toBe('low');
    }
    const summary = renderPir(result).split('## Timeline')[0]!;
    expect(summary).not.toMatch(/Calico|IPAM/);
  });
});

describe('the Calico evidence taken away', async () => {
  const noIpam = await analyze([withoutIpam(scratch)]);
  const noCopies = await analyze([withoutIpamOrCopies(scratch)]);

  it('ends the chain at the datastore bloat, and names what to collect', () => {
    expect(noIpam.chain.conclusion.cause).toBe('datastore-bloat');
    const gap = noIpam.chain.gaps.find((g) => g.step === 'datastore-bloat')!;
    expect(gap.missing).toContain('/registry/crd.projectcalico.org/ipamhandles/');
    expect(title(noIpam)).not.toMatch(/Calico IPAM garbage collection/);
  });

  it('ends one step earlier still without the snapshot copies, with the same statistics', () => {
    expect(noCopies.chain.conclusion.cause).toBe('snapshot-storm');
    expect(noCopies.chain.gaps.find((g) => g.step === 'snapshot-storm')!.collectNext.join(' ')).toContain(
      'snapshot-*',
    );
    expect(noCopies.correlation.withinWindow).toBe(noIpam.correlation.withinWindow);
  });
});

describe('an unrelated crash loop', async () => {
  const added = await analyze([withUnrelatedCrashloop(scratch)]);
  const only = await analyze([onlyUnrelatedCrashloop(scratch)]);

  it('added to the sample: the lease failures explain the controllers, and CoreDNS is named as not linked', () => {
    const lease = answerBy(added, 'crashloop', 'lease-failures')!;
    expect(lease.kind).toBe('answer');
    expect(lease.tests.find((t) => t.test === 'entity')!.detail).toMatch(
      /not linked: .*kube-system\/coredns/,
    );
  });

  it('alone: other pods’ lease failures do not explain it; only its own DNS loop does', () => {
    const lease = answerBy(only, 'crashloop', 'lease-failures')!;
    expect(lease.kind).toBe('co-occurrence');
    expect(lease.tests.find((t) => t.test === 'entity')!.passed).toBe(false);
    // CoreDNS' own log shows the forwarding loop it exited on: the same pod, before the restarts.
    const answered = answersTo(only, 'crashloop').filter((a) => a.kind === 'answer');
    expect(answered.map((a) => a.findings)).toEqual([['dns-failure']]);
    // The logs still show the API server stalling with the snapshots: that symptom keeps its chain.
    expect(only.chain.conclusion.symptom).toBe('apiserver-unavailable');
    expect(mainTitle(only)).not.toContain('Crash-looping pods');
    // Named beside it as a problem of its own, with its own cause.
    expect(only.chain.conclusion.also).toEqual([
      { symptom: 'crashloop', cause: 'dns-failure', path: ['crashloop', 'dns-failure'] },
    ]);
  });
});

describe('unrelated noise added', async () => {
  const clean = await analyze([SAMPLE]);
  const noisy = await analyze([withNoise(scratch)]);

  it('changes neither the counts nor the chain', () => {
    expect(noisy.eventCounts).toEqual(clean.eventCounts);
    expect(noisy.chain.conclusion).toEqual(clean.chain.conclusion);
    expect(noisy.correlation.pValue).toBe(clean.correlation.pValue);
  });
});

describe('the same evidence twice (the folder and its .tar.gz)', async () => {
  const tarball = join(scratch, 'sample.tar.gz');
  execFileSync('tar', ['czf', tarball, '-C', 'samples', 'bundle']);
  const once = await analyze([SAMPLE]);
  const twice = await analyze([SAMPLE, tarball]);

  it('counts every file once and says what was set aside', () => {
    expect(twice.eventCounts).toEqual(once.eventCounts);
    expect(twice.correlation.failures.length).toBe(once.correlation.failures.length);
    expect(twice.correlation.withinWindow).toBe(once.correlation.withinWindow);
    expect(twice.chain.conclusion).toEqual(once.chain.conclusion);
    expect(twice.setAside.length).toBe(once.manifest.filter((m) => m.size > 0).length);
    expect(twice.setAside[0]!.sameAs.bundle).toMatch(/samples\/bundle$/);
    expect(twice.setAside[0]!.bundle).toBe(tarball);
    expect(renderPir(twice)).toContain('Evidence set aside as duplicate content');
  });
});

describe('logs from an earlier year', async () => {
  /** A year- and zone-less journal of 2021 (journald `short`), as a user might paste it. */
  const bundle = join(scratch, 'year-2021');
  mkdirSync(join(bundle, 'node1'), { recursive: true });
  const renew = (time: string) =>
    `Mar 31 ${time} node1 kube-controller-manager[811]: I0331 ${time}.996761     811 leaderelection.go:297] failed to renew lease kube-system/kube-controller-manager: context deadline exceeded`;
  writeFileSync(
    join(bundle, 'node1/kube-controller-manager.log'),
    `${[renew('22:04:43'), renew('22:11:21')].join('\n')}\n`,
  );
  const dated = join(scratch, 'year-2021-with-dump');
  mkdirSync(join(dated, 'node1'), { recursive: true });
  writeFileSync(join(dated, 'node1/kube-controller-manager.log'), `${renew('22:04:43')}\n`);
  mkdirSync(join(dated, 'kubectl'));
  writeFileSync(
    join(dated, 'kubectl/leases.yaml'),
    [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '- apiVersion: coordination.k8s.io/v1',
      '  kind: Lease',
      '  metadata:',
      '    name: kube-controller-manager',
      '    namespace: kube-system',
      '  spec:',
      '    holderIdentity: node1_0f6c8a3e-5b7d-4c1e-9a2f-3d4e5f6a7b8c',
      '    leaseDurationSeconds: 15',
      '    renewTime: "2021-04-01T02:00:00.000000Z"',
      '',
    ].join('\n'),
  );

  it('without --year: the year is assumed, and the PIR says so', async () => {
    const result = await analyze([bundle]);
    const year = result.timeAssumptions.find((a) => a.quality === 'year-assumed')!;
    expect(year.events).toBe(2);
    expect(year.files).toEqual(['node1/kube-controller-manager.log']);
    expect(year.statement).toContain('re-run with `--year`');
    const zone = result.timeAssumptions.find((a) => a.quality === 'zone-assumed')!;
    expect(zone.statement).toContain('read as UTC');
    expect(renderPir(result)).toContain('came from lines without a year');
  });

  it('without --year but with a dated dump: the year comes from the evidence, still stated', async () => {
    const result = await analyze([dated]);
    expect(result.correlation.failures[0]!.ts).toBe('2021-03-31T22:04:43.996Z');
    expect(result.timeAssumptions.find((a) => a.quality === 'year-assumed')!.statement).toContain(
      'placed in 2021',
    );
  });

  it('with --year and --tz: the times move, and the PIR names the given settings instead of assumptions', async () => {
    const result = await analyze([bundle], { year: 2021, tz: '+10:00' });
    expect(result.correlation.failures.map((f) => f.ts)).toEqual([
      '2021-03-31T12:04:43.996Z',
      '2021-03-31T12:11:21.996Z',
    ]);
    expect(result.timeAssumptions.map((a) => a.quality)).toEqual(['exact']);
    expect(result.timeAssumptions[0]!.statement).toContain(
      'year 2021 and zone +10:00 given on the command line',
    );
  });
});
