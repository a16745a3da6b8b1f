import { describe, expect, it } from 'vitest';
import { snapshotStorm } from '../../../src/analyze/detectors/snapshot-storm/index.js';
import { caseData, detect, snapshotEvent } from '../_case.js';

const series = (intervalSeconds: number, bytes: number, n: number) =>
  Array.from({ length: n }, (_, i) =>
    snapshotEvent(
      new Date(Date.parse('2026-03-31T22:00:00Z') + i * intervalSeconds * 1000).toISOString(),
      `snapshot-4-${1000 + i * 512}-${9000 + i}`,
      bytes,
    ),
  );

describe('snapshot-storm', () => {
  it('flags 215 MB snapshots every two minutes', () => {
    const finding = detect(snapshotStorm, caseData({ events: series(120, 225_443_840, 10) }))!;
    expect(finding.data).toMatchObject({
      snapshots: 10,
      medianIntervalSeconds: 120,
      frequent: true,
      large: true,
    });
    expect(finding.claim).toContain('one every 120 s');
    expect(finding.claim).toContain('225 MB each');
    expect(finding.confidence).toBe('high');
  });

  it('ignores small snapshots every half hour', () => {
    expect(detect(snapshotStorm, caseData({ events: series(1800, 2_000_000, 6) }))).toBeUndefined();
  });

  it('counts one snapshot seen in a listing and an inventory once', () => {
    const twice = [
      ...series(120, 225_443_840, 3),
      ...series(120, 225_443_840, 3).map((e) => ({ ...e, file: 'k8s02/backend-ls.txt' })),
    ];
    expect(detect(snapshotStorm, caseData({ events: twice }))!.data.snapshots).toBe(3);
  });
});
