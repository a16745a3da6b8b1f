import { describe, expect, it } from 'vitest';
import { correlate } from '../../src/analyze/correlate.js';
import { MERMAID_WINDOW_MINUTES, mermaidTimeline } from '../../src/render/mermaid.js';
import type { DatedEvidence } from '../../src/types/index.js';

const at = (iso: string, subject: string | null = null): DatedEvidence => ({
  ts: iso,
  subject,
  bytes: null,
  evidence: { file: 'f', line: 1, sha256: 'x' },
});

describe('mermaidTimeline', () => {
  it('draws window bars and failure milestones per lease, marking those inside the window', () => {
    const c = correlate(
      [at('2026-03-31T22:00:00.000Z'), at('2026-03-31T22:02:00.000Z'), at('2026-03-31T23:30:00.000Z')],
      [
        at('2026-03-31T22:00:05.000Z', 'ci/awx-operator'),
        at('2026-03-31T22:01:00.000Z', 'kube-system/csi-nfs:x'),
        at('2026-03-31T23:30:04.000Z', 'ci/awx-operator'),
      ],
      { permutations: 0 },
    );
    const m = mermaidTimeline(c)!;
    const lines = m.chart.split('\n');
    expect(lines).toContain('    write : 2026-03-31 22:00:00, 10s');
    expect(lines).toContain('    section ci/awx-operator');
    expect(lines).toContain('    lost :crit, milestone, 2026-03-31 22:00:05, 0s');
    // ':' would end a Mermaid section name
    expect(lines).toContain('    section kube-system/csi-nfs x');
    expect(lines).toContain('    lost (outside) :milestone, 2026-03-31 22:01:00, 0s');
    // only the first stretch is drawn
    expect(m.chart).not.toContain('23:30');
    expect(Date.parse(m.to) - Date.parse(m.from)).toBeLessThanOrEqual(MERMAID_WINDOW_MINUTES * 60_000);
  });

  it('draws nothing without a span', () => {
    expect(mermaidTimeline(correlate([], [at('2026-03-31T22:00:05.000Z')], {}))).toBeNull();
  });
});
