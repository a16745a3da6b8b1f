/** What the event-based detectors of the failure classes share: their events cited and dated the same way. */
import { eventRef, sampleEnds } from '../../model/index.js';
import type { Entity, EvidenceRef, ModelEvent } from '../../types/index.js';
import { eventBounds, windowOf, type Detection } from '../detector.js';

/** The datastore as one entity, whatever its engine: its slowness, its disk and its files are about it. */
export const DATASTORE: Entity = { kind: 'component', id: 'datastore' };

/** Evidence (the first and last `perEnd` events), window and window evidence of some events. */
export function cited(
  events: ModelEvent[],
  sha256: (file: string) => string,
  perEnd = 1,
): Pick<Detection, 'evidence' | 'window' | 'windowEvidence'> & { evidence: EvidenceRef[] } {
  return {
    evidence: sampleEnds(events, perEnd).map((e) => eventRef(e, sha256)),
    window: windowOf(events.map((e) => e.ts)),
    windowEvidence: eventBounds(events, sha256),
  };
}

/** The entities of some kinds the events name, once each. */
export function entitiesOf(events: ModelEvent[], kinds: Entity['kind'][]): Entity[] {
  const seen = new Map<string, Entity>();
  for (const e of events)
    for (const x of e.entities) if (kinds.includes(x.kind)) seen.set(`${x.kind}:${x.id}`, x);
  return [...seen.values()];
}

/** Counts values, most frequent first: `{ fdatasync: 16, apply: 16 }` → `fdatasync 16, apply 16`. */
export function tally(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([v, n]) => `${v} ${n}`)
    .join(', ');
}
