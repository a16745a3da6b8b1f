/**
 * Lease failures cite their lines lazily: the quote is read from the case when the ref is
 * serialised or rendered, so a stall's hundreds of thousands of failures do not each hold one.
 * Real log lines ingested into a real case database.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildEvidenceModel, detachedRef, eventRef, hashLookup } from '../../src/model/index.js';
import { addToCase } from '../../src/pipeline/ingest.js';
import { openCaseReader } from '../../src/store/case-db.js';
import type { EvidenceRef } from '../../src/types/index.js';
import { scratch } from '../bundle/_bundle.js';

const root = scratch();
afterAll(() => rmSync(root, { recursive: true, force: true }));

const LONG_TAIL = ' retrying'.repeat(60);
const LINES = [
  'I0331 22:04:10.996761 1 leaderelection.go:297] failed to renew lease kube-system/kube-scheduler: context deadline exceeded',
  `I0331 22:06:41.100000 1 leaderelection.go:297] failed to renew lease kube-system/kube-controller-manager: timed out waiting for the condition${LONG_TAIL}`,
];

async function caseOf(): Promise<string> {
  const bundle = join(root, 'bundle');
  mkdirSync(bundle, { recursive: true });
  writeFileSync(join(bundle, 'controller.log'), `${LINES.join('\n')}\n`);
  const casePath = join(root, 'case.db');
  await addToCase(casePath, [bundle], { year: 2026 });
  return casePath;
}

describe('lazily quoted lease failures', () => {
  it('serialise, spread and detach like eager refs while the case is open; a detached ref outlives it', async () => {
    const reader = openCaseReader(await caseOf());
    let lazy: EvidenceRef[];
    let eager: EvidenceRef[];
    let detached: EvidenceRef[];
    try {
      const model = buildEvidenceModel(reader.data);
      lazy = model.leaseFailures.failures.map((failure) => failure.evidence);
      const sha256 = hashLookup(reader.data.manifest);
      eager = model.events.ofKind('lease_renew_failure').map((event) => eventRef(event, sha256));
      expect(lazy).toHaveLength(2);
      // The same fields in the same order, so the JSON is byte for byte what eager refs give.
      expect(JSON.stringify(lazy)).toBe(JSON.stringify(eager));
      expect(lazy.map((ref) => ({ ...ref }))).toEqual(eager);
      // The long line is quoted capped, as any excerpt.
      expect(lazy[1]!.excerpt!.length).toBe(240);
      expect(lazy[1]!.excerpt!.endsWith('…')).toBe(true);
      detached = lazy.map(detachedRef);
    } finally {
      reader.close();
    }
    expect(detached).toEqual(eager);
    expect(Object.getOwnPropertyDescriptor(detached[0], 'excerpt')?.value).toBe(eager[0]!.excerpt);
    // A lazy quote asked for after the case closed is a bug to see, not an empty quote.
    expect(() => lazy[0]!.excerpt).toThrow(/after its case was closed/);
  });
});
