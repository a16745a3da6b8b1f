/**
 * The same evidence given twice — a folder and its tar.gz, or the folder and a copy elsewhere —
 * counts once: the analysis equals the analysis of the folder alone, and the copies are named as
 * set aside. Real sample bundle, real tar.
 */
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeBundles, ingestAndAnalyze } from '../../src/pipeline/analyze.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { verify } from '../../src/pipeline/verify.js';
import type { AnalysisResult } from '../../src/types/index.js';
import { scratch, tarOf } from '../bundle/_bundle.js';

const sample = join(import.meta.dirname, '../../samples/bundle');
const options = { permutations: 199 };

/** What the PIR counts; `bundles` and `setAside` name the inputs and so differ by design. */
function counts(result: AnalysisResult) {
  return {
    files: result.manifest.map((entry) => `${entry.path} ${entry.sha256}`),
    eventCounts: result.eventCounts,
    findings: result.findings.map((finding) => [
      finding.id,
      finding.status,
      finding.claim,
      finding.evidence.length,
    ]),
    correlation: { ...result.correlation, notes: undefined },
    timeline: result.timeline.length,
  };
}

describe('the same evidence twice counts once', () => {
  let root: string;
  let archive: string;
  let once: AnalysisResult;

  beforeAll(async () => {
    root = scratch();
    cpSync(sample, join(root, 'bundle'), { recursive: true });
    archive = tarOf(join(root, 'bundle'), join(root, 'sample.tar.gz'));
    once = await analyzeBundles([sample], options);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('a folder and its tar.gz: the same counts as the folder alone, every file of the tarball set aside', async () => {
    const { result, data, close } = await ingestAndAnalyze([sample, archive], options);
    // Compared while the case is open: the result's failure rows quote their lines from it.
    try {
      expect(counts(result)).toEqual(counts(once));
    } finally {
      close();
    }
    expect(result.setAside).toHaveLength(once.manifest.length);
    expect(data.setAside).toEqual(result.setAside);
    const first = result.setAside![0]!;
    expect(first.bundle).toBe(archive);
    expect(first.sameAs).toEqual({ bundle: sample, path: first.path });
    expect(once.setAside).toEqual([]);
  });

  it('the folder and a moved copy of it: citations identical, counted once, and verify finds the copy', async () => {
    const copy = join(root, 'bundle');
    const casePath = join(root, 'case.db');
    const data = await ingest([archive, copy], { casePath });
    // The tarball was ingested first: it keeps the evidence, the folder copy is set aside.
    expect(new Set(data.manifest.map((entry) => entry.bundle))).toEqual(new Set([archive]));
    expect(data.manifest.map((entry) => entry.path)).toEqual(once.manifest.map((entry) => entry.path));
    expect(data.setAside!.map((file) => file.path)).toEqual(once.manifest.map((entry) => entry.path));

    const moved = join(root, 'moved');
    cpSync(copy, moved, { recursive: true });
    const result = await verify(moved, casePath);
    expect(result.recordedAs).toBe(archive);
    expect(result).toMatchObject({ changed: [], missing: [], added: [], unchanged: once.manifest.length });
  });
});
