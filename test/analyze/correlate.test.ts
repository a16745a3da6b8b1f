import { describe, expect, it } from 'vitest';
import {
  circularShiftPValue,
  correlate,
  lagSeconds,
  seededRandom,
  unionCoverageMs,
} from '../../src/analyze/correlate.js';
import type { DatedEvidence } from '../../src/types/index.js';

const base = Date.parse('2026-04-01T00:00:00Z');
const at = (seconds: number, subject: string | null = null): DatedEvidence => ({
  ts: new Date(base + seconds * 1000).toISOString(),
  subject,
  bytes: null,
  evidence: { file: 'f', line: 1, sha256: 'x' },
});

describe('lagSeconds', () => {
  it('measures from the latest snapshot at or before the failure', () => {
    const snaps = [0, 100_000, 200_000];
    expect(lagSeconds(snaps, 105_000)).toBe(5);
    expect(lagSeconds(snaps, 100_000)).toBe(0);
    expect(lagSeconds(snaps, 99_999)).toBe(99.999);
    expect(lagSeconds(snaps, -1)).toBeNull();
  });
});

describe('unionCoverageMs', () => {
  it('counts overlapping windows once and clips to the span', () => {
    // windows [0,10] [5,15] [100,110] → union 15 + 10 = 25 s; clipped to [2, 105] → 13 + 5 = 18 s
    expect(unionCoverageMs([0, 5_000, 100_000], 10_000, 0, 1_000_000)).toBe(25_000);
    expect(unionCoverageMs([0, 5_000, 100_000], 10_000, 2_000, 105_000)).toBe(18_000);
  });
});

describe('correlate (hand-computed case)', () => {
  // snapshots at 0, 100, 200 s; failures at 5, 50, 103, 150, 209 s; window 10 s.
  // span = [max(0,5), min(200+10, 209)] = [5, 209] → 204 s.
  // lags 5, 50, 3, 50, 9 → 3 of 5 within 10 s = 0.6.
  // union of windows within the span: [5,10] + [100,110] + [200,209] = 24 s → expected 24/204.
  const snapshots = [at(0), at(100), at(200)];
  const failures = [at(5, 'a'), at(50, 'b'), at(103, 'a'), at(150, 'b'), at(209, 'a')];
  const result = correlate(snapshots, failures, { windowSeconds: 10, permutations: 4000, seed: 7 });

  it('gives the lags, shares and span', () => {
    expect(result.failures.map((f) => f.lagSeconds)).toEqual([5, 50, 3, 50, 9]);
    expect(result.span).toEqual({ start: at(5).ts, end: at(209).ts });
    expect(result.failuresInSpan).toBe(5);
    expect(result.withinWindow).toBe(3);
    expect(result.observedShare).toBe(0.6);
    expect(result.expectedShare).toBeCloseTo(24 / 204, 12);
    expect(result.lift).toBeCloseTo(0.6 / (24 / 204), 9);
    // snapshots at 100 and 200 are in the span; both were followed by a failure (103, 209)
    expect([result.snapshotsInSpan, result.snapshotsWithoutFailure]).toEqual([2, 0]);
  });

  it('breaks the figures down per lease', () => {
    expect(result.perSubject).toEqual([
      { subject: 'a', failures: 3, withinWindow: 3, share: 1, medianLagSeconds: 5 },
      { subject: 'b', failures: 2, withinWindow: 0, share: 0, medianLagSeconds: 50 },
    ]);
  });

  it('matches the exact circular-shift probability computed on a 1 ms grid', () => {
    const snapMs = [0, 100_000, 200_000];
    const failMs = [5_000, 50_000, 103_000, 150_000, 209_000];
    const start = 5_000;
    const length = 204_000;
    let atLeast = 0;
    for (let offset = 0; offset < length; offset++) {
      let n = 0;
      for (const t of failMs) {
        const s = start + ((t - start + offset) % length);
        const lag = lagSeconds(snapMs, s);
        if (lag !== null && lag <= 10) n++;
      }
      if (n >= 3) atLeast++;
    }
    const exact = atLeast / length;
    expect(result.pValue!).toBeGreaterThan(exact - 0.02);
    expect(result.pValue!).toBeLessThan(exact + 0.02);
  });

  it('is reproducible for a seed', () => {
    const again = correlate(snapshots, failures, { windowSeconds: 10, permutations: 4000, seed: 7 });
    expect(again.pValue).toBe(result.pValue);
  });
});

describe('correlate per lease and rows', () => {
  const snapshots = Array.from({ length: 40 }, (_, i) => at(i * 30));
  // Leases interleaved in time, some failing once, some often; a failure naming no lease is its file's.
  const makeFailures = () => {
    const random = seededRandom(3);
    return Array.from({ length: 400 }, (_, i) => {
      const failure = at(random() * 1200, i % 7 === 0 ? null : `l${Math.floor(random() * 25)}`);
      return i % 7 === 0 ? { ...failure, evidence: { ...failure.evidence, file: `f${i % 3}` } } : failure;
    });
  };

  it('gives each lease its count, share and median lag as its rows one by one say', () => {
    const result = correlate(snapshots, makeFailures(), { windowSeconds: 10, permutations: 0 });
    const inSpan = result.failures.filter((f) => f.inSpan);
    const subjects = [...new Set(inSpan.map((f) => f.subject ?? f.evidence.file))];
    const expected = subjects.map((subject) => {
      const rows = inSpan.filter((f) => (f.subject ?? f.evidence.file) === subject);
      const lags = rows.map((f) => f.lagSeconds!).sort((a, b) => a - b);
      const mid = lags.length >> 1;
      const near = rows.filter((f) => f.withinWindow).length;
      return {
        subject,
        failures: rows.length,
        withinWindow: near,
        share: near / rows.length,
        medianLagSeconds: lags.length % 2 ? lags[mid]! : (lags[mid - 1]! + lags[mid]!) / 2,
      };
    });
    expect(result.perSubject).toEqual(
      expected.sort((a, b) => b.failures - a.failures || a.subject.localeCompare(b.subject)),
    );
    expect(result.perSubject.some((g) => g.failures % 2 === 0 && g.failures > 2)).toBe(true);
  });

  it('makes the failures its rows, and copies those another correlation made rows already', () => {
    const own = makeFailures();
    const first = correlate(snapshots, own, { windowSeconds: 10, permutations: 0 });
    expect(first.failures.every((row) => own.includes(row))).toBe(true);
    const lags = first.failures.map((f) => [f.lagSeconds, f.withinWindow, f.inSpan]);
    const wider = correlate(snapshots, own, { windowSeconds: 25, permutations: 0 });
    expect(wider.failures.some((row) => own.includes(row))).toBe(false);
    expect(first.failures.map((f) => [f.lagSeconds, f.withinWindow, f.inSpan])).toEqual(lags);
    expect(wider.withinWindow).toBeGreaterThan(first.withinWindow);
  });

  it('fills the room a failure leaves for its correlation fields (as the model makes them)', () => {
    const roomy = makeFailures().map((f) => ({
      ...f,
      lagSeconds: undefined,
      withinWindow: undefined,
      inSpan: undefined,
    }));
    const result = correlate(snapshots, roomy, { windowSeconds: 10, permutations: 0 });
    const given: object[] = roomy;
    expect(result.failures.every((row) => given.includes(row))).toBe(true);
    expect(result.failures.some((row) => row.lagSeconds !== null && row.inSpan)).toBe(true);
  });
});

describe('correlate edge cases', () => {
  it('orders the rows as their times order as text, then by lease, whatever shape the times have', () => {
    const failure = (ts: string, subject: string): DatedEvidence => ({ ...at(0, subject), ts });
    const given = [
      failure('2026-04-01T00:00:05.500Z', 'b'),
      // Outside toISOString's shape: "05Z" sorts after "05.500Z" as text, though it is earlier.
      failure('2026-04-01T00:00:05Z', 'a'),
      failure('2026-04-01T00:00:05.000Z', 'b'),
      failure('2026-04-01T00:00:05.000Z', 'a'),
      failure('2026-04-01T00:00:04.999Z', 'c'),
    ];
    const rows = correlate([at(0)], given, { permutations: 0 }).failures;
    const byText = [...given].sort((x, y) =>
      x.ts < y.ts ? -1 : x.ts > y.ts ? 1 : x.subject!.localeCompare(y.subject!),
    );
    expect(rows.map((r) => [r.ts, r.subject])).toEqual(byText.map((f) => [f.ts, f.subject]));
    expect(rows[rows.length - 1]!.ts).toBe('2026-04-01T00:00:05Z');
  });

  it('excludes failures outside the span both records cover', () => {
    const result = correlate([at(100), at(200)], [at(10), at(105), at(150), at(500)], { permutations: 0 });
    // span [max(100,10), min(210, 500)] = [100, 210]
    expect(result.failuresInSpan).toBe(2);
    expect(result.excluded.outsideSpan).toBe(2);
    expect(result.failures[0]!.lagSeconds).toBeNull();
    expect(result.observedShare).toBe(0.5);
    // the snapshot at 200 s: nothing followed it within 10 s
    expect([result.snapshotsInSpan, result.snapshotsWithoutFailure]).toEqual([2, 1]);
  });

  it('says why figures are missing instead of inventing them', () => {
    const result = correlate([], [at(1), at(2)], {}, 3);
    expect(result.observedShare).toBeNull();
    expect(result.pValue).toBeNull();
    expect(result.excluded.undated).toBe(3);
    expect(result.notes.join(' ')).toMatch(/No snapshot write has a wall-clock time/);
  });

  it('finds no effect when failures ignore snapshots', () => {
    // failures on a regular grid unrelated to the snapshot cadence
    const snaps = Array.from({ length: 60 }, (_, i) => at(i * 120));
    const random = seededRandom(3);
    const fails = Array.from({ length: 80 }, () => at(random() * 7200));
    const result = correlate(snaps, fails, { permutations: 999 });
    expect(result.pValue!).toBeGreaterThan(0.05);
    expect(Math.abs(result.observedShare! - result.expectedShare!)).toBeLessThan(0.1);
  });
});

describe('circularShiftPValue', () => {
  it('is tiny when failures follow irregular snapshots within seconds', () => {
    const random = seededRandom(11);
    const snaps: number[] = [];
    for (let t = 0; snaps.length < 40; t += 60_000 + random() * 120_000) snaps.push(Math.round(t));
    const fails = snaps.map((s) => s + 4_000);
    const span = { start: fails[0]!, end: fails[fails.length - 1]! };
    expect(circularShiftPValue(snaps, fails, 10_000, span, 999, 1)).toBeLessThan(0.01);
  });

  it('cannot go below window/period when snapshots are strictly periodic', () => {
    // Shifts within [-4 s, +6 s] of any multiple of 120 s keep every failure in its window: 10/120.
    // (A 31st snapshot at 3600 s keeps the circle periodic where the span wraps.)
    const snaps = Array.from({ length: 31 }, (_, i) => i * 120_000);
    const fails = snaps.slice(0, 30).map((s) => s + 4_000);
    const p = circularShiftPValue(snaps, fails, 10_000, { start: 4_000, end: 30 * 120_000 + 4_000 }, 9999, 1);
    expect(p).toBeGreaterThan(10 / 120 - 0.01);
    expect(p).toBeLessThan(10 / 120 + 0.01);
  });
});

describe('progress', () => {
  it('reports the permutation test as it goes', () => {
    const calls: [number, number | null, string][] = [];
    correlate([at(0), at(100)], [at(5), at(105)], {
      permutations: 600,
      onProgress: (done, total, label) => calls.push([done, total, label]),
    });
    expect(calls).toEqual([
      [0, 600, 'permutation test'],
      [256, 600, 'permutation test'],
      [512, 600, 'permutation test'],
    ]);
  });
});
