import { describe, expect, it } from 'vitest';
import { datastoreLatency } from '../../../src/analyze/detectors/datastore-latency/index.js';
import { slowDisk } from '../../../src/analyze/detectors/slow-disk/index.js';
import { findings, incident, linkTests } from '../_incident.js';

describe('slow-disk', () => {
  it('reads etcd fdatasync lines and the dd dsync measurement as numbers', async () => {
    const data = await incident('datastore-slow-disk');
    const finding = findings(data, [slowDisk]).get('slow-disk')!;
    expect(finding.confidence).toBe('high');
    expect(finding.data).toMatchObject({
      fdatasyncLines: 16,
      heartbeatLines: 4,
      slowestSyncMs: 3700,
      benches: [{ tool: 'dd', syncWriteMs: 21.735, syncP99Ms: null }],
    });
    expect(finding.claim).toContain('21.735 ms per synchronous write');
    expect(linkTests(slowDisk, datastoreLatency, data).map((t) => [t.test, t.passed])).toEqual([
      ['entity', true],
      ['time', true],
    ]);
  });

  it('finds nothing on a disk that syncs in 0.68 ms', async () => {
    expect(findings(await incident('datastore-slow-disk', 'noisy'), [slowDisk]).size).toBe(0);
  });
});
