import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeBundles } from '../../src/pipeline/analyze.js';
import { renderPir } from '../../src/render/pir.js';
import type { AnalysisResult } from '../../src/types/index.js';

/**
 * The PIR of every bundle of the incident library (samples/incidents/): the title names the cause
 * through the links that held, no finding claims a cause the class does not have, and the noisy
 * variant — the same kind of evidence without the cause — gets none of the class's findings.
 */
const LIBRARY = join(import.meta.dirname, '../../samples/incidents');

interface Expectation {
  title: string;
  /** The chain's conclusion: symptom first, cause last. */
  path: string[];
  /** Findings that would be wrong claims on this bundle. */
  never: string[];
  /** The class's own findings, absent from the noisy variant. */
  own: string[];
}

const DATASTORE = ['datastore-latency', 'slow-disk', 'datastore-growth', 'snapshot-storm', 'datastore-bloat'];

const classes: Record<string, Expectation> = {
  'datastore-slow-disk': {
    title: 'Crash-looping pods, traced to: Datastore disk too slow for synchronous writes',
    path: ['crashloop', 'lease-failures', 'apiserver-unavailable', 'datastore-latency', 'slow-disk'],
    never: ['datastore-growth', 'disk-full', 'oom-kill'],
    own: ['slow-disk', 'datastore-latency'],
  },
  'datastore-growth': {
    title: 'API server unavailability windows, traced to: Datastore files grew too large',
    path: ['apiserver-unavailable', 'datastore-latency', 'datastore-growth'],
    never: ['slow-disk', 'disk-full'],
    own: ['datastore-growth', 'datastore-latency'],
  },
  'disk-full': {
    title: 'API server unavailability windows, traced to: Disk full',
    path: ['apiserver-unavailable', 'disk-full'],
    never: ['slow-disk', 'datastore-growth', 'expired-certificate'],
    own: ['disk-full'],
  },
  'node-pressure': {
    title: 'Pods evicted by the kubelet, traced to: Node under disk pressure',
    path: ['evictions', 'disk-pressure'],
    never: ['watch-stream', 'apiserver-unavailable', ...DATASTORE],
    own: ['evictions', 'disk-pressure', 'node-pressure'],
  },
  'cert-expired': {
    title: 'Node not ready or failing its heartbeats, traced to: Certificate expired or not yet valid',
    path: ['node-not-ready', 'expired-certificate'],
    never: ['apiserver-refused', ...DATASTORE],
    own: ['expired-certificate', 'node-not-ready'],
  },
  'oom-kill': {
    title: 'Crash-looping pods, traced to: Containers killed for memory (OOM)',
    path: ['crashloop', 'oom-kill'],
    never: ['lease-failures', ...DATASTORE],
    own: ['oom-kill'],
  },
  'image-pull-sandbox': {
    title: 'Pods not starting, traced to: Images could not be pulled',
    path: ['pods-not-starting', 'image-pull-failure'],
    never: ['dns-failure', 'deprecated-registry', ...DATASTORE],
    own: ['image-pull-failure', 'pods-not-starting'],
  },
  'dns-loop': {
    title: 'Crash-looping pods, traced to: DNS failing',
    path: ['crashloop', 'dns-failure'],
    never: ['lease-failures', ...DATASTORE],
    own: ['dns-failure', 'crashloop'],
  },
  'apiserver-unreachable': {
    title: 'Node not ready or failing its heartbeats, traced to: API server refusing connections',
    path: ['node-not-ready', 'apiserver-refused'],
    never: ['apiserver-unavailable', ...DATASTORE],
    own: ['apiserver-refused', 'node-not-ready'],
  },
  'unknown-flag': {
    title: 'API server refusing connections, traced to: Binary rejected a command-line flag',
    path: ['apiserver-refused', 'unknown-flag'],
    never: ['apiserver-unavailable', ...DATASTORE],
    own: ['unknown-flag', 'apiserver-refused'],
  },
  'normal-shutdown': {
    title:
      'No root cause established from this evidence; strongest observations: Planned stop (leadership released on shutdown)',
    path: [],
    never: ['lease-failures', 'crashloop', 'apiserver-unavailable'],
    own: ['normal-shutdown'],
  },
};

const found = (result: AnalysisResult) =>
  result.findings.filter((f) => f.status === 'found').map((f) => f.id);
const titleOf = (result: AnalysisResult) =>
  renderPir(result).split('\n')[0]!.replace('# Post Incident Review (draft): ', '');

for (const [id, want] of Object.entries(classes)) {
  describe(`incident ${id}`, async () => {
    const result = await analyzeBundles([join(LIBRARY, id, 'bundle')], { permutations: 99 });
    const noisy = await analyzeBundles([join(LIBRARY, id, 'noisy')], { permutations: 99 });

    it('names its cause in the title, through links that passed their tests', () => {
      expect(titleOf(result)).toBe(want.title);
      expect(result.chain.conclusion.path).toEqual(want.path);
      for (let i = 1; i < want.path.length; i++) {
        const step = result.chain.steps.find((s) => s.id === want.path[i - 1])!;
        const answer = step.answers.find((a) => a.next === want.path[i])!;
        expect(answer.kind, `${want.path[i - 1]} ← ${want.path[i]}`).toBe('answer');
        expect(answer.tests.length).toBeGreaterThan(0);
        expect(answer.tests.every((t) => t.passed)).toBe(true);
      }
    });

    it('claims nothing the class does not show', () => {
      for (const wrong of want.never) expect(found(result), wrong).not.toContain(wrong);
    });

    it('the noisy variant, without the cause, gets none of its findings and no cause', () => {
      for (const own of want.own) expect(found(noisy), own).not.toContain(own);
      expect(noisy.chain.conclusion.cause).toBeNull();
      expect(titleOf(noisy)).toMatch(/^No root cause established from this evidence/);
    });
  });
}

describe('incident normal-shutdown, in words', async () => {
  const result = await analyzeBundles([join(LIBRARY, 'normal-shutdown', 'bundle')], { permutations: 99 });

  it('says in the summary that the leadership loss was a stop, not a failure', () => {
    const summary = renderPir(result).split('## Timeline')[0]!;
    expect(summary).toContain('The evidence shows no user-visible symptom');
    expect(summary).toContain('This is a stop, not a failure.');
  });
});
