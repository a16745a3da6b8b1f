/** What the event-based detectors of the failure classes share: their events cited and dated the same way. */
import { EndSample, eventRef } from '../../model/index.js';
import type { Entity, EvidenceRef, ModelEvent } from '../../types/index.js';
import { EventSpan, type Detection } from '../detector.js';

/** The datastore as one entity, whatever its engine: its slowness, its disk and its files are about it. */
export const DATASTORE: Entity = { kind: 'component', id: 'datastore' };

/**
 * What a finding cites of its events, gathered one at a time so an outage's million lines are
 * never held: the first and last `perEnd` as evidence, the window and the events at its ends.
 */
export class CitedEvents<E extends ModelEvent = ModelEvent> {
  readonly span = new EventSpan<E>();
  private readonly ends: EndSample<E>;

  constructor(perEnd = 1) {
    this.ends = new EndSample(perEnd);
  }

  add(event: E): void {
    this.span.add(event);
    this.ends.add(event);
  }

  get count(): number {
    return this.span.count;
  }

  cite(
    sha256: (file: string) => string,
  ): Pick<Detection, 'evidence' | 'window' | 'windowEvidence'> & { evidence: EvidenceRef[] } {
    return {
      evidence: this.ends.items.map((e) => eventRef(e, sha256)),
      window: this.span.window,
      windowEvidence: this.span.bounds(sha256),
    };
  }
}

/** Evidence (the first and last `perEnd` events), window and window evidence of some events. */
export function cited(
  events: Iterable<ModelEvent>,
  sha256: (file: string) => string,
  perEnd = 1,
): Pick<Detection, 'evidence' | 'window' | 'windowEvidence'> & { evidence: EvidenceRef[] } {
  const citing = new CitedEvents(perEnd);
  for (const e of events) citing.add(e);
  return citing.cite(sha256);
}

/** Counts values, most frequent first: `{ fdatasync: 16, apply: 16 }` → `fdatasync 16, apply 16`. */
export function tally(values: string[]): string {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return tallied(counts);
}

/** Counts already made, most frequent first, as `tally` writes them. */
export function tallied(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([v, n]) => `${v} ${n}`)
    .join(', ');
}
