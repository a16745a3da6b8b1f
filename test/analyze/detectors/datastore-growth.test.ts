import { describe, expect, it } from 'vitest';
import { datastoreGrowth } from '../../../src/analyze/detectors/datastore-growth/index.js';
import { datastoreLatency } from '../../../src/analyze/detectors/datastore-latency/index.js';
import { findings, incident, linkTests } from '../_incident.js';

describe('datastore-growth', () => {
  it('names a WAL far larger than its database, and explains the slow queries (same datastore)', async () => {
    const data = await incident('datastore-growth');
    const finding = findings(data, [datastoreGrowth]).get('datastore-growth')!;
    expect(finding.data).toEqual({
      files: [{ path: 'state.db-wal', role: 'wal', bytes: 227633266688, file: 'node-1/db-ls.txt' }],
    });
    expect(finding.claim).toContain('state.db-wal is 212.0 GiB beside a 1.1 GiB database');
    expect(linkTests(datastoreGrowth, datastoreLatency, data)).toMatchObject([
      { test: 'entity', passed: true },
    ]);
  });

  it('leaves a 4 MB WAL alone', async () => {
    expect(findings(await incident('datastore-growth', 'noisy'), [datastoreGrowth]).size).toBe(0);
  });
});
