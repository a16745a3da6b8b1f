import { describe, expect, it } from 'vitest';
import { apiserverUnavailable } from '../../../src/analyze/detectors/apiserver-unavailable/index.js';
import { datastoreLatency } from '../../../src/analyze/detectors/datastore-latency/index.js';
import { findings, incident, linkTests } from '../_incident.js';

describe('datastore-latency', () => {
  it('counts slow etcd lines by signal, and explains the API timeouts in the same window', async () => {
    const data = await incident('datastore-slow-disk');
    const finding = findings(data, [datastoreLatency]).get('datastore-latency')!;
    expect(finding.data).toMatchObject({
      bySignal: { fdatasync: 16, apply: 16, heartbeat: 4 },
      slowestMs: 3700,
    });
    expect(linkTests(datastoreLatency, apiserverUnavailable, data).map((t) => [t.test, t.passed])).toEqual([
      ['time', true],
    ]);
  });

  it('reads kine Slow SQL the same way', async () => {
    const finding = findings(await incident('datastore-growth'), [datastoreLatency]).get(
      'datastore-latency',
    )!;
    expect(finding.data).toMatchObject({ bySignal: { 'slow-sql': 9 } });
  });

  it('does not call one 112 ms apply or one 1.2 s query an incident', async () => {
    expect(findings(await incident('datastore-slow-disk', 'noisy'), [datastoreLatency]).size).toBe(0);
    expect(findings(await incident('datastore-growth', 'noisy'), [datastoreLatency]).size).toBe(0);
  });
});
