import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../src/pipeline/ingest.js';
import { EVENT_KINDS, type CountFact, type DeploymentFact } from '../../src/types/index.js';

const SAMPLE = join(import.meta.dirname, '../../samples/bundle');

describe('the committed sample bundle', () => {
  it('ingests without problems; every file typed; every kind of event; the facts the PIR rests on', async () => {
    const data = await ingest([SAMPLE]);
    expect(data.problems).toEqual([]);
    expect(data.manifest.filter((entry) => ['unknown', 'text'].includes(entry.type))).toEqual([]);
    // This one incident shows every kind but these, whose bundles are under samples/incidents/.
    const elsewhere =
      'node_lease_failure shutdown disk_full cert_invalid oom_kill dns_failure apiserver_unreachable';
    expect(new Set(data.events.map((event) => event.kind))).toEqual(
      new Set(EVENT_KINDS.filter((kind) => !elsewhere.split(' ').includes(kind))),
    );
    const calico = data.facts.find(
      (fact): fact is DeploymentFact => fact.kind === 'deployment' && fact.name === 'calico-kube-controllers',
    );
    expect(calico?.env.ENABLED_CONTROLLERS).toBe('node');
    expect(
      data.facts.filter((fact): fact is CountFact => fact.kind === 'count').map((fact) => fact.count),
    ).toEqual([6071]);
    // Snapshot copies are dated by the listing of the same node, not by their checkout mtime.
    for (const report of data.snapshotReports) expect(report.meta.wallClock?.startsWith('2026-0')).toBe(true);
    expect(
      data.events.filter((event) => event.ts === null).every((event) => event.file.startsWith('kubectl/')),
    ).toBe(true);
  });
});
