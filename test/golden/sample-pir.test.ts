import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import { analyzeBundles } from '../../src/pipeline/analyze.js';
import { renderPir } from '../../src/render/pir.js';

const golden = new URL('./sample-pir.md', import.meta.url);

/**
 * The sample's PIR, byte for byte. After an intended change to detectors, templates or the sample,
 * regenerate with `UPDATE_GOLDEN=1 npx vitest run test/golden` and review the diff like code.
 */
describe('sample PIR (golden)', async () => {
  const result = await analyzeBundles(['samples/bundle']);
  const markdown = renderPir(result);
  if (process.env.UPDATE_GOLDEN) writeFileSync(golden, markdown);

  it('matches test/golden/sample-pir.md', () => {
    expect(markdown).toBe(readFileSync(golden, 'utf8'));
  });

  it('runs the how’s chain from the crash-looping controllers down to the disabled IPAM GC', () => {
    expect(result.chain.steps.map((s) => s.id)).toEqual([
      'crashloop',
      'lease-failures',
      'apiserver-unavailable',
      'snapshot-storm',
      'datastore-bloat',
      'ipam-handle-buildup',
      'ipam-gc-disabled',
      'datastore-latency',
      'deprecated-registry',
      'pods-not-starting',
      'image-pull-failure',
      'watch-stream',
      'control-plane-restarts',
    ]);
    const ipam = result.chain.steps.find((s) => s.id === 'ipam-handle-buildup')!;
    expect(ipam.answers[0]!.findings).toEqual(['ipam-gc-disabled']);
    expect(ipam.answers[0]!.evidence[0]).toMatchObject({ file: 'kubectl/deployments.yaml', line: 3 });
    for (const step of result.chain.steps)
      for (const answer of step.answers.filter((a) => a.kind === 'answer'))
        for (const ref of answer.evidence)
          expect(ref.sha256, `${step.id}: ${ref.file}`).toMatch(/^[0-9a-f]{64}$/);
  });

  it('finds the lease failures clustered after snapshot writes, with the anchor stated', () => {
    const c = result.correlation;
    expect(c.failuresInSpan).toBeGreaterThan(100);
    expect(c.observedShare!).toBeGreaterThan(0.6);
    expect(c.expectedShare!).toBeLessThan(0.1);
    expect(c.pValue!).toBeLessThan(0.001);
    expect(c.wallClockAnchor).toContain('k8s02/snapshot-inventory.csv (61)');
    // Honest noise: failures far from snapshots and a lease whose deadline is longer than the window.
    expect(c.withinWindow).toBeLessThan(c.failuresInSpan);
    expect(c.perSubject.find((g) => g.subject === 'kube-system/kube-controller-manager')!.withinWindow).toBe(
      0,
    );
  });

  it('quotes the before/after row counts of the real dqlite snapshot copies', () => {
    expect(result.snapshotDiff?.counts.map((entry) => entry.subject)).toContain(
      '/registry/crd.projectcalico.org/ipamhandles/',
    );
    expect(markdown).toContain('| 6,071 | 599 | -5,472 |');
  });
});

describe('sample PIR Markdown structure', () => {
  it('has tables whose every row has as many cells as the header (GFM splits on unescaped pipes)', async () => {
    const { marked } = await import('marked');
    const markdown = readFileSync(golden, 'utf8');
    const tables = marked.lexer(markdown).filter((t) => t.type === 'table');
    expect(tables.length).toBeGreaterThanOrEqual(10);
    const cells = (row: string) =>
      row
        .trim()
        .replace(/^\||\|$/g, '')
        .split(/(?<!\\)\|/).length;
    for (const table of tables) {
      const [header, , ...rows] = table.raw.trim().split('\n');
      for (const row of rows) expect(cells(row), row).toBe(cells(header!));
    }
  });

  it('closes every code fence and has one title', async () => {
    const { marked } = await import('marked');
    const tokens = marked.lexer(readFileSync(golden, 'utf8'));
    expect(tokens.filter((t) => t.type === 'heading' && t.depth === 1)).toHaveLength(1);
    const code = tokens.filter((t): t is Tokens.Code => t.type === 'code');
    expect(code.map((t) => t.lang)).toContain('mermaid');
    for (const block of code) expect(block.raw.trimEnd()).toMatch(/`{3,}$/);
  });
});

/** Debian's python3-markdown is the engine MkDocs uses; .ci/run installs it. */
const PYTHON = '/usr/bin/python3';
const pythonMarkdown = (() => {
  try {
    execFileSync(PYTHON, ['-c', 'import markdown'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!pythonMarkdown)('sample PIR under Python-Markdown (MkDocs)', () => {
  it('renders every table and nests the evidence lists', () => {
    const script = [
      'import json, re, sys, markdown',
      "src = open(sys.argv[1], encoding='utf-8').read()",
      "html = markdown.markdown(src, extensions=['tables', 'fenced_code', 'toc'])",
      "paragraphs = re.findall(r'<p>(.*?)</p>', html, re.S)",
      'print(json.dumps({',
      "  'tables': html.count('<table>'),",
      "  'separators': len(re.findall(r'^\\|---', src, re.M)),",
      "  'pipeParagraphs': sum(1 for p in paragraphs if p.strip().startswith('|')),",
      "  'nestedLists': html.count('<li>') and len(re.findall(r'<li>[^<]*(?:<[^/][^>]*>[^<]*</[^>]+>[^<]*)*<ul>', html)),",
      '}))',
    ].join('\n');
    const out = JSON.parse(execFileSync(PYTHON, ['-c', script, fileURLToPath(golden)], { encoding: 'utf8' }));
    expect(out.tables).toBe(out.separators);
    expect(out.pipeParagraphs).toBe(0);
    expect(out.nestedLists).toBeGreaterThan(10);
  });
});
