import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeCase } from '../../src/analyze/run.js';
import { lagHistogram, renderPir } from '../../src/render/pir.js';
import { caseData, event, klogRenew, snapshotEvent } from '../analyze/_case.js';
import { miniIncident } from './_incident.js';

const incident = miniIncident();
const result = analyzeCase(incident, { permutations: 999 });
const markdown = renderPir(result);
const scratch = mkdtempSync(join(tmpdir(), 'howchain-pir-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('renderPir', () => {
  it('has every section of the reference PIR', () => {
    for (const heading of [
      '# Post Incident Review (draft):',
      '## Executive summary',
      '## Timeline (UTC)',
      "## Root causes: the how's chain",
      '## Impact',
      '## Findings',
      '## Correlation: lease failures vs snapshot writes',
      '## Snapshot row counts: before and after',
      '## Action items',
      '## Technical details',
      '## Key error signatures',
    ])
      expect(markdown).toContain(heading);
  });

  it('walks the chain from the crash loop to the disabled IPAM GC with citations', () => {
    const chain = markdown.slice(markdown.indexOf('## Root causes'), markdown.indexOf('## Impact'));
    const questions = [...chain.matchAll(/^### (.*)$/gm)].map((m) => m[1]);
    expect(questions[0]).toBe(
      'How did ci/awx-operator-controller-manager, kube-system/csi-nfs-controller come to crash-loop?',
    );
    expect(questions).toContain('How did the Calico IPAM handles accumulate?');
    expect(chain).toMatch(/`logs\/kube-system\/csi-nfs-controller-[^`]*\.log:\d+` \(sha256 sha-logs\/kub/);
    expect(chain).toContain('entity test passed: same pod: ci/awx-operator-controller-manager');
    expect(chain).toContain('**Evidence ends here.**');
  });

  it('leaves what the evidence cannot tell to the author', () => {
    expect(markdown).toContain('**TODO(author):** severity');
    expect(markdown).toContain('**TODO(author):** owner');
    expect(markdown).not.toMatch(/undefined|\[object Object\]|NaN/);
  });

  it('quotes log text without letting it break the Markdown', () => {
    expect(markdown).toContain('\\| pipe `tick`');
    const table = markdown.split('\n').filter((l) => l.startsWith('| ') && l.includes('pipe'));
    for (const row of table) expect(row).not.toMatch(/[^\\]\| pipe/);
  });

  it('draws failures against snapshots in Mermaid and states the anchor', () => {
    expect(markdown).toContain('```mermaid\n---\ndisplayMode: compact\n---\ngantt');
    expect(markdown).toContain(':crit, milestone, 2026-03-31 22:00:04, 0s');
    expect(markdown).toContain('**Wall-clock anchor.** Snapshot write times are the file modification times');
  });

  it('is deterministic', () => {
    expect(renderPir(analyzeCase(incident, { permutations: 999 }))).toBe(markdown);
  });

  it('links charts when a charts folder is given', () => {
    const withCharts = renderPir(result, { chartsDir: 'charts' });
    expect(withCharts).toContain('](charts/snapshot-timeline.svg)');
    expect(markdown).not.toContain('.svg)');
  });

  it('takes a team template folder, replacing only the partials it has', () => {
    const dir = join(scratch, 'team');
    mkdirSync(join(dir, 'partials'), { recursive: true });
    writeFileSync(
      join(dir, 'partials', 'lessons.hbs'),
      '## Our retro\n\n{{number (len found)}} findings, {{bytes 225443840}}.\n',
    );
    const custom = renderPir(result, { templateDir: dir });
    expect(custom).toContain(`## Our retro\n\n${result.findings.length} findings, 225 MB.`);
    expect(custom).toContain('## Executive summary');
    expect(() => renderPir(result, { templateDir: join(scratch, 'missing') })).toThrow(/no such folder/);
  });

  it('reports a broken template as a usage error', () => {
    const dir = join(scratch, 'broken');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'pir.md.hbs'), '{{#each}}');
    expect(() => renderPir(result, { templateDir: dir })).toThrow(/template error/);
  });
});

describe('lagHistogram', () => {
  it('bins the lags of the failures in the span and marks the bins inside the window', () => {
    const bins = lagHistogram(result.correlation);
    const inSpan = result.correlation.failures.filter((f) => f.inSpan).length;
    expect(bins.reduce((n, b) => n + b.count, 0)).toBe(inSpan);
    expect(bins.filter((b) => b.inWindow).map((b) => b.label)).toEqual([
      '0–2 s',
      '2–4 s',
      '4–6 s',
      '6–8 s',
      '8–10 s',
    ]);
    expect(bins.filter((b) => b.inWindow).reduce((n, b) => n + b.count, 0)).toBe(
      result.correlation.withinWindow -
        result.correlation.failures.filter((f) => f.inSpan && f.lagSeconds === 10).length,
    );
    expect(Math.max(...bins.map((b) => b.bar.length))).toBe(30);
  });
});

describe('renderPir on a case with nothing in it', () => {
  it('still renders every section, says what is missing, and invents nothing', async () => {
    const { caseData } = await import('../analyze/_case.js');
    const empty = renderPir(analyzeCase(caseData(), { permutations: 0 }));
    expect(empty).toContain('# Post Incident Review (draft): No root cause established from this evidence\n');
    expect(empty).toContain('The evidence shows no user-visible symptom');
    expect(empty).toContain(
      'Every event time came from the evidence with its year and zone; nothing was assumed.',
    );
    expect(empty).toContain('No correlation could be computed.');
    expect(empty).toContain('> No snapshot write has a wall-clock time, so no lag can be measured.');
    expect(empty).toContain('fewer than two decoded snapshot copies');
    expect(empty).not.toMatch(/undefined|\[object Object\]|NaN/);
  });
});

describe('a PIR of many lease holders', () => {
  // 400 controllers, each failing once a few seconds after one of 40 snapshot writes.
  const base = Date.parse('2026-03-31T22:00:00Z');
  const iso = (s: number) => new Date(base + s * 1000).toISOString();
  const events = [];
  for (let i = 0; i < 40; i++)
    events.push(snapshotEvent(iso(i * 120), `snapshot-4-${1000 + i}-${i}`, 225_443_840));
  for (let i = 0; i < 400; i++) {
    const lease = `ns/controller-${String(i).padStart(3, '0')}`;
    events.push(
      event('lease_renew_failure', iso((i % 40) * 120 + 3 + (i % 5)), klogRenew(lease), {
        subject: lease,
        file: `logs/ns/controller-${i}/manager.log`,
      }),
    );
  }
  const many = analyzeCase(caseData({ events }), { permutations: 99 });
  const pir = renderPir(many);

  it('names and cites the leases that failed most, and counts the rest', () => {
    const finding = many.findings.find((f) => f.id === 'lease-failures')!;
    expect(finding.claim).toContain('and 390 more leases');
    expect((finding.data as { leases: unknown[] }).leases).toHaveLength(400);
    expect(finding.evidence.length).toBeLessThanOrEqual(10 * 3);
  });

  it('lists 20 leases in the correlation table and says where the others are', () => {
    const table = pir.split('| Lease | Failures |')[1]!.split('\n\n')[0]!;
    expect(table.match(/^\| `ns\/controller-/gm)).toHaveLength(20);
    expect(pir).toContain('380 more leases, with fewer failures, are listed in `analyze --json`.');
    expect(many.correlation.perSubject).toHaveLength(400);
  });

  it('draws at most 20 leases in the Mermaid timeline and says how many it left out', () => {
    const chart = pir.split('```mermaid')[1]!.split('```')[0]!;
    expect(chart.match(/^ {4}section ns\//gm)!.length).toBeLessThanOrEqual(20);
    expect(pir).toMatch(/the [\d,]+ leases that failed least in it are not drawn/);
  });
});
