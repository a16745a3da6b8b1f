import type { EventList, ModelEvent } from '../../../types/index.js';
import { eventRef } from '../../../model/index.js';
import { firstAtOrAfter } from '../../../bounded.js';
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

/** The processes an event came from: its file, and the components it names. */
const sourcesOf = (e: ModelEvent) => [
  `file\u0000${e.file}`,
  ...e.entities.filter((x) => x.kind === 'component').map((x) => `component\u0000${x.id}`),
];

/** Times of events per process, in time order, to ask whether one came shortly before a moment. */
class TimesBySource {
  private readonly times = new Map<string, number[]>();

  /** Events must be added in time order (the model's). */
  add(e: ModelEvent): void {
    const at = Date.parse(e.ts!);
    for (const source of sourcesOf(e)) {
      const list = this.times.get(source);
      if (list) list.push(at);
      else this.times.set(source, [at]);
    }
  }

  /** Whether an event of the same process came within `seconds` before `e` (or a second after). */
  before(e: ModelEvent, seconds: number): boolean {
    const at = Date.parse(e.ts!);
    return sourcesOf(e).some((source) => {
      const list = this.times.get(source);
      if (!list) return false;
      // The first time at or after the window's start; the window holds it if it is not past the end.
      const first = list[firstAtOrAfter(list, at - seconds * 1000)];
      return first !== undefined && first <= at + 1000;
    });
  }
}

/**
 * The leadership losses that were stops: a termination signal or systemd stop of the same process
 * (same file or component) came first, and no renew failure or lock error did — a holder that failed
 * to renew lost its lease whatever happened next. Failures are kept as times only: an outage can
 * log a million.
 */
export function plannedLosses(events: EventList<ModelEvent>): ModelEvent[] {
  const losses = events.ofKind('leader_lost').filter((e) => e.ts !== null);
  if (losses.length === 0) return [];
  const stops = new TimesBySource();
  for (const e of events.ofKind('shutdown')) if (e.ts !== null && e.attrs?.stage !== 'stopped') stops.add(e);
  const failures = new TimesBySource();
  events.eachOf(['lease_renew_failure', 'lease_lock_retrieve_error'], (e) => {
    if (e.ts !== null) failures.add(e);
  });
  return losses.filter(
    (lost) => stops.before(lost, STOP_BEFORE_SECONDS) && !failures.before(lost, STOP_BEFORE_SECONDS),
  );
}

/** What tells one event from another in a case: its bundle, file and line. */
export const eventKey = (e: ModelEvent) => `${e.bundle ?? ''}\u0000${e.file}\u0000${e.line}`;

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
    const losses = plannedLosses(model.events);
    if (losses.length === 0) return null;
    const stops = model.events
      .ofKind('shutdown')
      .filter((s) => losses.some((l) => sameSource(s, l) && within(s, l, STOP_BEFORE_SECONDS)));
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
