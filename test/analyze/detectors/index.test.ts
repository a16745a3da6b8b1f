import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runDetectors, type AnyDetector } from '../../../src/analyze/detector.js';
import { detectors } from '../../../src/analyze/detectors/index.js';
import { detectorContext } from '../../../src/analyze/run.js';
import { caseData } from '../_case.js';

const dir = fileURLToPath(new URL('../../../src/analyze/detectors/', import.meta.url));

describe('detector registry', () => {
  it('registers every detector folder under its own folder name as id', () => {
    const folders = readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('_'))
      .map((entry) => entry.name)
      .sort();
    expect(detectors.map((d) => d.id).sort()).toEqual(folders);
  });

  it('gives every detector its chain text, link targets that exist, and what it reads', () => {
    const ids = new Set(detectors.map((d) => d.id));
    for (const d of detectors) {
      expect(d.reads.length, d.id).toBeGreaterThan(10);
      expect(d.thresholds.length, d.id).toBeGreaterThan(0);
      for (const link of d.links)
        expect(ids.has(link.explains), `${d.id} explains ${link.explains}`).toBe(true);
      if (d.role !== 'context')
        expect(d.collectNext.length + (d.role === 'symptom' ? 0 : 1), d.id).toBeGreaterThan(0);
    }
  });

  it('has a page section and a test for every detector', async () => {
    const { readFileSync, existsSync } = await import('node:fs');
    const docs = readFileSync(new URL('../../../docs/detectors.md', import.meta.url), 'utf8');
    for (const d of detectors) {
      expect(docs, `docs/detectors.md lacks ${d.id}`).toContain(`## \`${d.id}\``);
      expect(existsSync(new URL(`./${d.id}.test.ts`, import.meta.url)), `no test for ${d.id}`).toBe(true);
    }
  });

  it('turns a throwing detector into a failed finding and keeps the others', () => {
    const shape: Omit<AnyDetector, 'id' | 'title' | 'detect'> = {
      role: 'context',
      reads: 'nothing',
      thresholds: [],
      question: () => '?',
      unexplained: () => '',
      collectNext: [],
      links: [],
    };
    const boom: AnyDetector = {
      ...shape,
      id: 'boom',
      title: 'Boom',
      detect() {
        throw new Error('unexpected shape\nstack…');
      },
    };
    const fine: AnyDetector = {
      ...shape,
      id: 'fine',
      title: 'Fine',
      detect: () => ({ claim: 'ok', evidence: [], confidence: 'low', window: null, data: {} }),
    };
    const findings = runDetectors([boom, fine], detectorContext(caseData(), { permutations: 0 }));
    expect(findings.map((f) => [f.id, f.status])).toEqual([
      ['boom', 'failed'],
      ['fine', 'found'],
    ]);
    expect(findings[0]!.claim).toBe('The boom detector failed: unexpected shape');
  });

  it('finds nothing in an empty case', () => {
    expect(runDetectors(detectors, detectorContext(caseData(), { permutations: 0 }))).toEqual([]);
  });
});
