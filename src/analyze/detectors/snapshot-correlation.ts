import { sampleEnds } from '../evidence.js';
import { type Detector } from '../detector.js';

/** Reported as a finding only when the clustering is both clear and unlikely by chance. */
export const MAX_P_VALUE = 0.01;
export const MIN_LIFT = 1.5;

export const snapshotCorrelation: Detector = {
  id: 'snapshot-correlation',
  title: 'Lease failures cluster after snapshot writes',
  detect({ correlation: c }) {
    if (c.pValue === null || c.observedShare === null || c.expectedShare === null || c.lift === null)
      return null;
    if (c.pValue > MAX_P_VALUE || c.lift < MIN_LIFT) return null;
    const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
    const near = c.failures.filter((f) => f.inSpan && f.withinWindow);
    return {
      claim:
        `${c.withinWindow} of ${c.failuresInSpan} lease failures (${pct(c.observedShare)}) came within ${c.windowSeconds} s after a snapshot write, ` +
        `where ${pct(c.expectedShare)} would if failures ignored snapshots (${c.lift.toFixed(1)}×; permutation p = ${c.pValue.toPrecision(2)}, ` +
        `${c.permutations} circular shifts, seed ${c.seed}).`,
      evidence: sampleEnds(near, 2).map((f) => f.evidence),
      confidence: c.pValue <= 0.001 ? 'high' : 'medium',
      window: c.span,
      data: {
        windowEvidence: near.length
          ? { start: near[0]!.evidence, end: near[near.length - 1]!.evidence }
          : null,
        observedShare: c.observedShare,
        expectedShare: c.expectedShare,
        lift: c.lift,
        pValue: c.pValue,
        failures: c.failuresInSpan,
        withinWindow: c.withinWindow,
      },
    };
  },
};
