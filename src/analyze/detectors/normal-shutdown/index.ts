import type { ModelEvent } from '../../../types/index.js';
import { eventRef } from '../../../model/index.js';
import { eventBounds, plural, windowOf, type Detector } from '../../detector.js';

/** A stop asked this long before a leadership loss explains it (graceful shutdown takes seconds). */
export const STOP_BEFORE_SECONDS = 60;

const sameSource = (a: ModelEvent, b: ModelEvent) =>
  a.file === b.file ||
  a.entities.some(
    (x) => x.kind === 'component' && b.entities.some((y) => y.kind === 'component' && y.id === x.id),
  );

const within = (earlier: ModelEvent, later: ModelEvent, seconds: number) => {
  const gap = (Date.parse(later.ts!) - Date.parse(earlier.ts!)) / 1000;
  return gap >= -1 && gap <= seconds;
};

/**
 * The leadership losses that were stops: a termination signal or systemd stop of the same process
 * (same file or component) came first, and no renew failure or lock error did — a holder that failed
 * to renew lost its lease whatever happened next.
 */
export function plannedLosses(events: readonly ModelEvent[]): Set<ModelEvent> {
  const dated = events.filter((e) => e.ts !== null);
  const stops = dated.filter((e) => e.kind === 'shutdown' && e.attrs?.stage !== 'stopped');
  const failures = dated.filter(
    (e) => e.kind === 'lease_renew_failure' || e.kind === 'lease_lock_retrieve_error',
  );
  return new Set(
    dated.filter(
      (lost) =>
        lost.kind === 'leader_lost' &&
        stops.some((s) => sameSource(s, lost) && within(s, lost, STOP_BEFORE_SECONDS)) &&
        !failures.some((f) => sameSource(f, lost) && within(f, lost, STOP_BEFORE_SECONDS)),
    ),
  );
}

export interface NormalShutdownData {
  losses: number;
  stops: string[];
}

export const normalShutdown: Detector<NormalShutdownData> = {
  id: 'normal-shutdown',
  title: 'Planned stop (leadership released on shutdown)',
  role: 'context',
  reads:
    '`leader election lost` lines preceded by a stop request of the same process (systemd `Stopping …`, a termination signal, `Requested to terminate`) and by no renew failure',
  thresholds: [
    {
      name: 'stop before loss',
      value: `within ${STOP_BEFORE_SECONDS} s, same process, no renew failure in between`,
    },
  ],
  detect({ model, sha256 }) {
    const losses = [...plannedLosses(model.events)];
    if (losses.length === 0) return null;
    const stops = model.events.filter(
      (s) =>
        s.kind === 'shutdown' && losses.some((l) => sameSource(s, l) && within(s, l, STOP_BEFORE_SECONDS)),
    );
    const units = [...new Set(stops.map((s) => s.subject ?? s.source))];
    return {
      claim: `${plural(losses.length, 'leadership loss', 'leadership losses')} followed a requested stop of the same process (${units.join(', ')}): the process released its lease while shutting down. This is a stop, not a failure.`,
      evidence: [...stops.slice(0, 2), ...losses.slice(0, 2)].map((e) => eventRef(e, sha256)),
      confidence: 'high',
      window: windowOf([...stops, ...losses].map((e) => e.ts)),
      windowEvidence: eventBounds([...stops, ...losses], sha256),
      entities: [],
      data: { losses: losses.length, stops: units },
    };
  },
  question: () => 'Who stopped the service, and why?',
  unexplained: () => 'The stop was requested; who requested it is in the host’s audit or change records.',
  collectNext: ['The change or maintenance record for the window', '`last -x` / shell history on the node'],
  links: [],
};
