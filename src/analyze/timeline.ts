import type { Finding, TimelineEntry } from '../types/index.js';

/**
 * The dated moments the findings establish: when each problem is first and last seen in the evidence,
 * each citing the line that dates it (`windowEvidence`) when the detector kept it.
 * What people did in response is not in the evidence; the template leaves it to the author.
 */
export function buildTimeline(findings: Finding[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  for (const finding of findings) {
    if (finding.status !== 'found' || finding.window === null) continue;
    const bounds = finding.windowEvidence;
    const first = bounds ? [bounds.start] : finding.evidence.slice(0, 1);
    const last = bounds ? [bounds.end] : finding.evidence.slice(-1);
    const { start, end } = finding.window;
    if (start === end) {
      entries.push({ ts: start, what: `${finding.title} (one moment)`, evidence: first });
      continue;
    }
    entries.push({ ts: start, what: `${finding.title}: earliest evidence`, evidence: first });
    entries.push({ ts: end, what: `${finding.title}: latest evidence`, evidence: last });
  }
  return entries.sort((a, b) => a.ts.localeCompare(b.ts) || a.what.localeCompare(b.what));
}
