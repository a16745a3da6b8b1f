import { describe, expect, it } from 'vitest';
import { buildEvidenceModel } from '../../src/model/index.js';
import { placeSnapshotCopies } from '../../src/model/snapshots.js';
import type { CaseData } from '../../src/types/index.js';
import { caseData, event, klogRenew, snapshotEvent, snapshotReport } from '../analyze/_case.js';

const snapshotSeries = (data: CaseData) => buildEvidenceModel(data).snapshots;
const failureSeries = (data: CaseData) => buildEvidenceModel(data).leaseFailures;

describe('snapshotSeries', () => {
  const name = 'snapshot-4-183435887-1738473286';
  const data = caseData({
    events: [
      snapshotEvent('2026-04-01T06:08:40.286Z', name, 225_845_840, 'k8s02/backend-ls.txt'),
      snapshotEvent(
        '2026-04-01T06:08:40.286Z',
        `/var/snap/microk8s/current/var/kubernetes/backend/${name}`,
        225_845_840,
      ),
      snapshotEvent(
        '2026-04-01T06:06:32.877Z',
        'snapshot-4-183435364-1738345877',
        225_753_840,
        'k8s02/backend-ls.txt',
      ),
    ],
    snapshotReports: [
      snapshotReport(`k8s02/backend-snapshots/${name}`, 183435887, [['/registry/pods/', 1, 1]]),
      snapshotReport('k8s02/backend-snapshots/snapshot-4-1-1', 1, [['/registry/pods/', 1, 1]]),
    ],
  });

  it('counts a snapshot seen in several places once, sorted by time, and says where times came from', () => {
    const series = snapshotSeries(data);
    expect(series.writes.map((s) => s.subject)).toEqual(['snapshot-4-183435364-1738345877', name]);
    expect(series.writes.map((s) => s.placement)).toEqual(['inventory', 'inventory']);
    expect(series.anchor).toContain('k8s02/backend-ls.txt (2)');
    expect(series.anchor).toContain('monotonic clock');
    // The unlisted copy has only its own mtime: shown apart, never correlated, and said so.
    expect(series.copyMtime.map((s) => s.subject)).toEqual(['snapshot-4-1-1']);
    expect(series.anchor).toContain('1 snapshot copy carries only its own file mtime');
  });

  it('gives a copy the time its listing recorded, never its own mtime', () => {
    const [listed, unlisted] = placeSnapshotCopies(data);
    expect(listed!.meta).toMatchObject({
      wallClock: '2026-04-01T06:08:40.286Z',
      wallClockAnchor: 'mtime recorded in k8s02/backend-ls.txt:1',
    });
    expect(listed!.meta.wallClockBasis).toBe('inventory');
    expect(unlisted!.meta.wallClockBasis).toBe('copy-mtime');
  });
});

describe('snapshot copies without any listing or inventory', () => {
  const alone = caseData({
    snapshotReports: [snapshotReport('backend/snapshot-4-2-2', 2, [['/registry/pods/', 1, 1]])],
  });

  it('are shown by their own mtime but never correlated, with the caveat in the anchor', () => {
    const series = snapshotSeries(alone);
    expect(series.writes).toEqual([]);
    expect(series.copyMtime.map((s) => [s.ts, s.placement])).toEqual([
      ['2026-04-01T00:00:00.000Z', 'copy-mtime'],
    ]);
    expect(series.anchor).toContain('No listing, inventory or trace line gave snapshot write times.');
    expect(series.anchor).toContain(
      'which copying or a git checkout resets: shown, not used for correlation',
    );
  });
});

describe('failureSeries', () => {
  it('counts lines of one renewal once per lease, however many files show them, and counts undated ones', () => {
    const renew = (ts: string | null, file: string) =>
      event('lease_renew_failure', ts, klogRenew('kube-system/csi-nfs'), {
        subject: 'kube-system/csi-nfs',
        file,
      });
    const { failures, undated, mergedLines } = failureSeries(
      caseData({
        events: [
          renew('2026-03-31T22:04:43.996Z', 'logs/a.log'),
          renew('2026-03-31T22:04:43.996Z', 'var-log-pods/a/0.log'),
          renew(null, 'logs/b.log'),
          event(
            'leader_lost',
            '2026-03-31T22:04:43.997Z',
            'F0331 22:04:43.997195 1 leader_election.go:184] stopped leading',
          ),
        ],
      }),
    );
    expect(failures).toHaveLength(1);
    expect(failures[0]!.lines).toBe(2);
    expect(mergedLines).toBe(1);
    expect(undated).toBe(1);
  });

  it('falls back to leadership losses when no renew failure was logged', () => {
    const lost = event(
      'leader_lost',
      '2026-03-31T22:04:43.997Z',
      'E0331 22:04:43.997195 1 controllermanager.go:336] "leaderelection lost"',
      {
        subject: 'kube-system/kube-controller-manager',
      },
    );
    const series = failureSeries(caseData({ events: [lost] }));
    expect(series.kind).toBe('leader_lost');
    expect(series.failures.map((f) => f.ts)).toEqual(['2026-03-31T22:04:43.997Z']);
  });
});

describe('snapshots from dqlite/libraft trace lines', () => {
  const journal = 'k8s02/journal/snap.microk8s.daemon-k8s-dqlite.log';
  const trace = (ts: string, index: number, host: string | null, file = journal) =>
    event('snapshot', ts, `LIBDQLITE[  2222] ${ts} 002230 DEBUG takeSnapshot x:1 take snapshot at ${index}`, {
      file,
      subject: host,
      severity: 'info',
      source: 'journald:microk8s.daemon-k8s-dqlite/dqlite-trace',
      attrs: { index, source: 'trace' },
    });
  const listed = (ts: string, name: string, index: number) =>
    event('snapshot', ts, `-rw-rw---- 1 root microk8s 1000 ${ts} ${name}`, {
      file: 'k8s02/backend-ls.txt',
      severity: 'info',
      source: 'ls',
      attrs: { bytes: 1000, name, term: 4, index },
    });

  it('counts a snapshot in a listing and a trace line once, keeping the listing, and names both sources', () => {
    const series = snapshotSeries(
      caseData({
        events: [
          trace('2026-04-01T06:08:40.100Z', 1048576, 'k8s02'),
          listed('2026-04-01T06:08:40.286Z', 'snapshot-4-1048576-1738473286', 1048576),
          trace('2026-04-01T06:09:40.100Z', 1049088, 'k8s02'),
        ],
      }),
    );
    expect(series.writes.map((s) => [s.ts, s.evidence.file])).toEqual([
      ['2026-04-01T06:08:40.286Z', 'k8s02/backend-ls.txt'],
      ['2026-04-01T06:09:40.100Z', journal],
    ]);
    expect(series.anchor).toContain(
      'recorded on the node by listings and inventories: k8s02/backend-ls.txt (1)',
    );
    expect(series.anchor).toContain(`take snapshot at <index>`);
    expect(series.anchor).toContain(`${journal} (1)`);
  });

  it('keeps snapshots at the same index on different nodes apart', () => {
    const series = snapshotSeries(
      caseData({
        events: [
          trace('2026-04-01T06:08:40.100Z', 5000, 'k8s01', 'k8s01/journal/k8s-dqlite.log'),
          trace('2026-04-01T06:08:41.100Z', 5000, 'k8s02'),
          trace('2026-04-01T06:08:41.100Z', 5000, 'k8s02', 'k8s02/journal-copy.log'),
        ],
      }),
    );
    expect(series.writes.map((s) => s.evidence.file)).toEqual([
      'k8s01/journal/k8s-dqlite.log',
      'k8s02/journal-copy.log',
    ]);
    expect(series.anchor).not.toContain('No listing, inventory or trace line gave');
  });

  it('counts a copy timed by a trace line once, on that line', () => {
    const name = 'snapshot-1-160-3278102';
    const copy = event('snapshot', '2026-04-01T06:08:40.100Z', name, {
      file: `k8s02/backend/${name}`,
      line: 1,
      severity: 'info',
      source: 'dqlite-snapshot',
      tsSource: 'mtime',
      attrs: {
        bytes: 635512,
        name,
        term: 1,
        index: 160,
        wallClockAnchor: `trace line in ${journal}:7 (take snapshot at 160)`,
      },
    });
    const report = snapshotReport(`k8s02/backend/${name}`, 160, [['/registry/pods/', 1, 1]]);
    const series = snapshotSeries(
      caseData({
        events: [copy, trace('2026-04-01T06:08:40.100Z', 160, 'k8s02')],
        snapshotReports: [
          {
            ...report,
            meta: {
              ...report.meta,
              wallClock: copy.ts,
              wallClockAnchor: copy.attrs!.wallClockAnchor as string,
            },
          },
        ],
      }),
    );
    expect(series.writes).toHaveLength(1);
    expect(series.writes[0]!.evidence.file).toBe(journal);
    expect(series.undated).toBe(0);
  });

  it('does not merge records without a trace line by index (two listed files at one index)', () => {
    const series = snapshotSeries(
      caseData({
        events: [
          listed('2026-04-01T06:08:40.286Z', 'snapshot-4-7000-1', 7000),
          listed('2026-04-01T06:08:41.286Z', 'snapshot-4-7000-2', 7000),
        ],
      }),
    );
    expect(series.writes).toHaveLength(2);
  });
});
