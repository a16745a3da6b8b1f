import { describe, expect, it } from 'vitest';
import { correlate } from '../../src/analyze/correlate.js';
import { buildEvidenceModel } from '../../src/model/index.js';
import { caseData, event } from '../analyze/_case.js';

describe('leaseFailures', () => {
  const lost = (ts: string, file: string, subject: string | null) =>
    event('leader_lost', ts, 'E0331 22:04:43.997195 1 controllermanager.go:336] "leaderelection lost"', {
      file,
      subject,
    });
  const acquired = (ts: string, file: string, subject: string) =>
    event('leader_acquired', ts, `successfully acquired lease ${subject}`, { file, subject });

  it("puts a loss naming no lease on the lease its own file names most, not another file's", () => {
    const { failures } = buildEvidenceModel(
      caseData({
        events: [
          acquired('2026-03-31T22:00:00.000Z', 'a.log', 'kube-system/one'),
          acquired('2026-03-31T22:01:00.000Z', 'a.log', 'kube-system/one'),
          acquired('2026-03-31T22:02:00.000Z', 'a.log', 'kube-system/two'),
          // b.log names `two` more often than a.log names `one`: it must not decide a.log's lease.
          ...['03', '04', '05'].map((m) =>
            acquired(`2026-03-31T22:${m}:00.000Z`, 'b.log', 'kube-system/two'),
          ),
          lost('2026-03-31T22:10:00.000Z', 'a.log', null),
          lost('2026-03-31T22:11:00.000Z', 'c.log', null),
        ],
      }),
    ).leaseFailures;
    expect(failures.map((f) => [f.evidence.file, f.subject])).toEqual([
      ['a.log', 'kube-system/one'],
      // A file naming no lease at all: the failure is the file's.
      ['c.log', 'c.log'],
    ]);
  });

  it('counts lines of one lease within the same-failure seconds once, measured from its first line', () => {
    const renew = (ts: string) =>
      event('lease_renew_failure', ts, 'failed to renew lease kube-system/a', { subject: 'kube-system/a' });
    const { failures, mergedLines } = buildEvidenceModel(
      caseData({
        events: [
          renew('2026-03-31T22:00:00.000Z'),
          renew('2026-03-31T22:00:01.500Z'),
          // 2.5 s after the failure's first line, though 1 s after the line before: a new failure.
          renew('2026-03-31T22:00:02.500Z'),
        ],
      }),
    ).leaseFailures;
    expect(failures.map((f) => [f.ts, f.lines])).toEqual([
      ['2026-03-31T22:00:00.000Z', 2],
      ['2026-03-31T22:00:02.500Z', 1],
    ]);
    expect(mergedLines).toBe(1);
  });

  it('keeps failures as columns whose rows read, serialise and take the correlation fields as records', () => {
    const renew = (ts: string, subject: string) =>
      event('lease_renew_failure', ts, `failed to renew lease ${subject}`, { subject });
    const { failures } = buildEvidenceModel(
      caseData({
        events: [
          renew('2026-03-31T22:00:00.000Z', 'kube-system/b'),
          // Same time: ordered by lease.
          renew('2026-03-31T22:00:00.000Z', 'kube-system/a'),
          // Kept as written, outside toISOString's shape.
          renew('2026-03-31T22:00:09.5Z', 'kube-system/a'),
        ],
      }),
    ).leaseFailures;
    expect(failures.map((f) => [f.ts, f.subject, f.lines, f.bytes])).toEqual([
      ['2026-03-31T22:00:00.000Z', 'kube-system/a', 1, null],
      ['2026-03-31T22:00:00.000Z', 'kube-system/b', 1, null],
      ['2026-03-31T22:00:09.5Z', 'kube-system/a', 1, null],
    ]);
    expect(failures[0]!.entities).toEqual([{ kind: 'lease', id: 'kube-system/a' }]);
    expect(failures[0]!.evidence.excerpt).toBe('failed to renew lease kube-system/a');
    const fields = ['ts', 'subject', 'bytes', 'evidence', 'quality', 'lines', 'entities'];
    expect(Object.keys(JSON.parse(JSON.stringify(failures[0])) as object)).toEqual(fields);
    const snapshot = {
      ts: '2026-03-31T21:59:58.000Z',
      subject: null,
      bytes: 1,
      evidence: { file: 's', sha256: 'x' },
    };
    const { failures: rows } = correlate([snapshot], failures, { permutations: 0 });
    // The model's failures are the rows: their columns took the three fields.
    expect(rows[0]).toBe(failures[0]);
    expect(rows.map((r) => [r.lagSeconds, r.withinWindow, r.inSpan])).toEqual([
      [2, true, true],
      [2, true, true],
      [11.5, false, false],
    ]);
    expect(Object.keys(JSON.parse(JSON.stringify(rows[2])) as object)).toEqual([
      ...fields,
      'lagSeconds',
      'withinWindow',
      'inSpan',
    ]);
    // A ref put in its place (a detached quote) is the one read back.
    const detached = { file: 'logs/a.log', line: 2, sha256: 'x', excerpt: 'quoted' };
    rows[0]!.evidence = detached;
    expect(failures[0]!.evidence).toBe(detached);
  });
});
