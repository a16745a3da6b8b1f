import type { CaseData, Correlation, EvidenceEvent, EvidenceRef, Finding } from '../types/index.js';
import { eventRef } from './evidence.js';
import type { SnapshotSeries } from './series.js';

/** What every detector may read: the case plus what the analysis derived from it first. */
export interface DetectorContext {
  data: CaseData;
  sha256: (file: string) => string;
  snapshots: SnapshotSeries;
  correlation: Correlation;
  renewDeadlineSeconds: number;
}

/** A finding without the fields the runner fills in. */
export type Detection = Omit<Finding, 'id' | 'title' | 'status'>;

export interface Detector {
  /** Stable id, also the file name under src/analyze/detectors/. */
  id: string;
  title: string;
  /** Returns null when the evidence does not show the problem. */
  detect(context: DetectorContext): Detection | null;
}

/**
 * Runs every detector. One that throws yields a 'failed' finding naming the error, so a bug or an
 * unexpected shape in one corner of the evidence never costs the rest of the analysis.
 */
export function runDetectors(detectors: readonly Detector[], context: DetectorContext): Finding[] {
  const findings: Finding[] = [];
  for (const detector of detectors) {
    try {
      const detection = detector.detect(context);
      if (detection) findings.push({ id: detector.id, title: detector.title, status: 'found', ...detection });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      findings.push({
        id: detector.id,
        title: detector.title,
        status: 'failed',
        claim: `The ${detector.id} detector failed: ${message.split('\n')[0]}`,
        evidence: [],
        confidence: 'low',
        window: null,
        data: {},
      });
    }
  }
  return findings;
}

/** Earliest and latest of some ISO timestamps, or null when there are none. */
export function windowOf(timestamps: (string | null)[]): { start: string; end: string } | null {
  const dated = timestamps.filter((t): t is string => t !== null).sort();
  return dated.length ? { start: dated[0]!, end: dated[dated.length - 1]! } : null;
}

/**
 * The evidence at each end of a finding's window (its earliest and latest dated event), kept in
 * `data.windowEvidence` so the timeline cites the line that dates each moment.
 */
export function eventBounds(
  events: EvidenceEvent[],
  sha256: (file: string) => string,
): { start: EvidenceRef; end: EvidenceRef } | null {
  const dated = events
    .filter((e) => e.ts !== null)
    .sort((a, b) => a.ts!.localeCompare(b.ts!) || a.file.localeCompare(b.file) || a.line - b.line);
  if (dated.length === 0) return null;
  return { start: eventRef(dated[0]!, sha256), end: eventRef(dated[dated.length - 1]!, sha256) };
}

export const plural = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
