import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/analyze/correlate.js';
import { snapshotCorrelation } from '../../../src/analyze/detectors/snapshot-correlation/index.js';
import { caseData, detect, event, klogRenew, snapshotEvent } from '../_case.js';

const base = Date.parse('2026-03-31T22:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function build(lagOf: (i: number) => number) {
  const random = seededRandom(5);
  const events = [];
  let t = base;
  for (let i = 0; i < 40; i++) {
    t += 90_000 + random() * 60_000;
    events.push(snapshotEvent(iso(t), `snapshot-4-${1000 + i}-${i}`, 225_000_000));
    events.push(
      event('lease_renew_failure', iso(t + lagOf(i)), klogRenew('kube-system/csi-nfs'), {
        subject: 'kube-system/csi-nfs',
      }),
    );
  }
  return caseData({ events });
}

describe('snapshot-correlation', () => {
  it('reports failures that follow snapshots within the renew deadline', () => {
    const finding = detect(
      snapshotCorrelation,
      build(() => 4_000),
    )!;
    expect(finding.data).toMatchObject({ observedShare: 1, withinWindow: 40, failures: 40 });
    expect(finding.data.pValue as number).toBeLessThan(0.01);
    expect(finding.claim).toMatch(
      /^40 of 40 lease failures \(100%\) came within 10 s after a snapshot write/,
    );
  });

  it('stays silent when failures fall mid-way between snapshots', () => {
    expect(
      detect(
        snapshotCorrelation,
        build(() => 45_000),
      ),
    ).toBeUndefined();
  });
});
