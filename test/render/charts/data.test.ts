import { describe, expect, it } from 'vitest';
import { chartData } from '../../../src/render/charts/data.js';
import {
  correlation,
  emptyCase,
  leaseFailure,
  pod,
  snapshotEvent,
  snapshotReport,
  withEvents,
} from './_case.js';

describe('chartData', () => {
  it('places each snapshot once, in time order, from listings and decoded copies', () => {
    let data = emptyCase();
    data = withEvents(
      data,
      snapshotEvent('2026-04-01T09:04:00.000Z', 215_000_000, 'snapshot-3-2048-9000', 2),
      snapshotEvent('2026-04-01T09:02:00.000Z', 214_000_000, 'snapshot-3-1024-7000', 1),
      // The same file listed again by an inventory: not a second write.
      snapshotEvent('2026-04-01T09:02:00.000Z', 214_000_000, 'backend/snapshot-3-1024-7000', 9),
      snapshotEvent(null, 1000, 'snapshot-2-10-10'),
    );
    data.snapshotReports.push(
      snapshotReport('copies/snapshot-3-2048-9000', 215_000_000, '2026-04-01T09:04:00.000Z'),
      snapshotReport('copies/snapshot-4-4096-11000', 30_000_000, '2026-04-02T14:10:00.000Z'),
    );
    const chart = chartData(data);
    expect(chart.snapshots.map((s) => [s.name, s.at, s.bytes])).toEqual([
      ['snapshot-3-1024-7000', Date.parse('2026-04-01T09:02:00Z'), 214_000_000],
      ['snapshot-3-2048-9000', Date.parse('2026-04-01T09:04:00Z'), 215_000_000],
      ['snapshot-4-4096-11000', Date.parse('2026-04-02T14:10:00Z'), 30_000_000],
    ]);
    expect(chart.snapshots[0]).toMatchObject({ file: 'backend/list.out', line: 1 });
    expect(chart.snapshots[2]).toMatchObject({ file: 'copies/snapshot-4-4096-11000', line: null });
    expect(chart.undated).toEqual({ snapshots: 1, leaseFailures: 0 });
  });

  it('ignores snapshot events without a usable size', () => {
    let data = emptyCase();
    const event = snapshotEvent('2026-04-01T09:04:00.000Z', 5, 'snapshot-1-1-1');
    event.attrs = { name: 'snapshot-1-1-1' };
    data = withEvents(data, event);
    expect(chartData(data).snapshots).toEqual([]);
  });

  it('names a lease failure by its lease, or by its log file when the line names none', () => {
    let data = emptyCase();
    data = withEvents(
      data,
      leaseFailure('2026-04-01T09:02:05.000Z', 'kube-system/csi-nfs', 'logs/csi.log', 3),
      leaseFailure('2026-04-01T09:02:03.000Z', null, 'logs/hostpath-provisioner.log', 8),
      leaseFailure(null, 'kube-system/csi-nfs'),
    );
    const chart = chartData(data);
    expect(chart.leaseFailures).toEqual([
      {
        at: Date.parse('2026-04-01T09:02:03Z'),
        controller: 'hostpath-provisioner',
        file: 'logs/hostpath-provisioner.log',
        line: 8,
      },
      {
        at: Date.parse('2026-04-01T09:02:05Z'),
        controller: 'kube-system/csi-nfs',
        file: 'logs/csi.log',
        line: 3,
      },
    ]);
    expect(chart.undated.leaseFailures).toBe(1);
  });

  it('sums restarts per workload, counting a pod seen in two dumps once (from the richer JSON dump, as the PIR text does), leaving out pods that never restarted', () => {
    let data = emptyCase();
    data.facts.push(
      pod('awx', 'awx-operator-controller-manager-7df77bc496-qf9kl', 700, 'k8s/pods.json'),
      pod('awx', 'awx-operator-controller-manager-7df77bc496-qf9kl', 712, 'k8s/get-pods.txt'),
      pod('kube-system', 'hostpath-provisioner-5c65fbdb4f-x2x9z', 400),
      pod('kube-system', 'hostpath-provisioner-5c65fbdb4f-8wq2n', 12),
      pod('kube-system', 'calico-node-2xkzl', 0),
    );
    expect(chartData(data).restarts).toEqual([
      { controller: 'awx/awx-operator-controller-manager', restarts: 700, pods: 1 },
      { controller: 'kube-system/hostpath-provisioner', restarts: 412, pods: 2 },
    ]);
  });
});

describe('chartData with an analysis', () => {
  it("draws the correlation's own points and window, and the case's restarts", () => {
    let data = emptyCase();
    data = withEvents(data, snapshotEvent('2026-04-01T08:00:00.000Z', 5, 'snapshot-only-in-the-case'));
    data.facts.push(pod('kube-system', 'csi-nfs-controller-0', 9));
    const analysis = {
      correlation: correlation(
        [
          { ts: '2026-04-01T09:02:00.000Z', name: 'snapshot-3-2-120', bytes: null },
          { ts: '2026-04-01T09:00:00.000Z', name: 'snapshot-3-1-0', bytes: 2048 },
        ],
        [{ ts: '2026-04-01T09:00:04.000Z', lease: null, file: 'logs/awx-manager.log', line: 12 }],
        15,
      ),
    };
    const chart = chartData(data, analysis);
    expect(chart.snapshots.map((s) => [s.name, s.bytes])).toEqual([
      ['snapshot-3-1-0', 2048],
      ['snapshot-3-2-120', null],
    ]);
    expect(chart.leaseFailures).toEqual([
      {
        at: Date.parse('2026-04-01T09:00:04Z'),
        controller: 'awx-manager',
        file: 'logs/awx-manager.log',
        line: 12,
      },
    ]);
    expect(chart.windowSeconds).toBe(15);
    expect(chart.undated.leaseFailures).toBe(2);
    expect(chart.restarts).toEqual([{ controller: 'kube-system/csi-nfs-controller', restarts: 9, pods: 1 }]);
  });
});
