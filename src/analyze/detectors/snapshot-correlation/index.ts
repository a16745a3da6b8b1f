import { detachedRef, sampleEnds } from '../../../model/index.js';
import type { Correlation, LinkTest } from '../../../types/index.js';
import { type Detector } from '../../detector.js';

/** Reported as a finding only when the clustering is both clear and unlikely by chance. */
export const MAX_P_VALUE = 0.01;
export const MIN_LIFT = 1.5;

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;

/**
 * The statistic behind "snapshot writes stalled the API server": lease failures must cluster in the
 * window after writes, clearly (lift) and unlikely by chance (permutation p-value).
 */
export function correlationTest(c: Correlation): LinkTest {
  if (c.pValue === null || c.observedShare === null || c.expectedShare === null || c.lift === null)
    return {
      test: 'statistic',
      passed: false,
      detail: `the correlation of lease failures with snapshot writes could not be computed${c.notes.length ? `: ${c.notes[0]}` : ''}`,
    };
  const passed = c.pValue <= MAX_P_VALUE && c.lift >= MIN_LIFT;
  return {
    test: 'statistic',
    passed,
    detail:
      `${c.withinWindow} of ${c.failuresInSpan} lease failures (${pct(c.observedShare)}) within ${c.windowSeconds} s after a write, ` +
      `${pct(c.expectedShare)} expected by chance (${c.lift.toFixed(1)}×, permutation p = ${c.pValue.toPrecision(2)}; ` +
      `needs p ≤ ${MAX_P_VALUE} and ≥ ${MIN_LIFT}×)`,
  };
}

export interface SnapshotCorrelationData {
  observedShare: number;
  expectedShare: number;
  lift: number;
  pValue: number;
  failures: number;
  withinWindow: number;
}

export const snapshotCorrelation: Detector<SnapshotCorrelationData> = {
  id: 'snapshot-correlation',
  title: 'Lease failures cluster after snapshot writes',
  role: 'context',
  reads:
    'dated lease failures and snapshot writes placed by listings, inventories, trace lines or a boot time',
  thresholds: [
    { name: 'p-value', value: `≤ ${MAX_P_VALUE} (circular-shift permutation test)` },
    { name: 'lift', value: `≥ ${MIN_LIFT}× the share expected by chance` },
  ],
  detect({ correlation: c }) {
    if (c.pValue === null || c.observedShare === null || c.expectedShare === null || c.lift === null)
      return null;
    if (c.pValue > MAX_P_VALUE || c.lift < MIN_LIFT) return null;
    const near = c.failures.filter((f) => f.inSpan && f.withinWindow);
    return {
      claim:
        `${c.withinWindow} of ${c.failuresInSpan} lease failures (${pct(c.observedShare)}) came within ${c.windowSeconds} s after a snapshot write, ` +
        `where ${pct(c.expectedShare)} would if failures ignored snapshots (${c.lift.toFixed(1)}×; permutation p = ${c.pValue.toPrecision(2)}, ` +
        `${c.permutations} circular shifts, seed ${c.seed}).`,
      evidence: sampleEnds(near, 2).map((f) => detachedRef(f.evidence)),
      confidence: c.pValue <= 0.001 ? 'high' : 'medium',
      window: c.span,
      windowEvidence: near.length
        ? { start: detachedRef(near[0]!.evidence), end: detachedRef(near[near.length - 1]!.evidence) }
        : null,
      data: {
        observedShare: c.observedShare,
        expectedShare: c.expectedShare,
        lift: c.lift,
        pValue: c.pValue,
        failures: c.failuresInSpan,
        withinWindow: c.withinWindow,
      },
    };
  },
  question: () => 'How did lease failures come to follow snapshot writes?',
  unexplained: () => 'The correlation says when, not how: see the datastore findings.',
  collectNext: [],
  links: [],
};
