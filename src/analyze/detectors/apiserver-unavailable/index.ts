import type { EventKind, LinkTest, ModelEvent } from '../../../types/index.js';
import { EndSample, eventRef } from '../../../model/index.js';
import { EventSpan, plural, type Detector } from '../../detector.js';
import { entitiesOfLists } from '../../links.js';
import { firstAtOrAfter, maxOf } from '../../../bounded.js';

/** Timeouts closer together than this belong to one unavailability window. */
export const WINDOW_GAP_SECONDS = 30;

/** Server-side timeouts, client-side timeouts on the lease GET, and datastore slowness. */
const KINDS: EventKind[] = ['apiserver_timeout', 'lease_lock_retrieve_error', 'datastore_slow'];

export interface UnavailabilityWindow {
  start: string;
  end: string;
  seconds: number;
  events: number;
}

export interface ApiserverUnavailableData {
  windows: number;
  longestSeconds: number;
  serverTimeouts: number;
  clientTimeouts: number;
  datastoreSlow: number;
  windowList: UnavailabilityWindow[];
  /**
   * Windows from the server's side only (API server timeouts, datastore slowness): the lease-failure
   * link tests against these, since client timeouts come from the failing controllers themselves.
   */
  serverWindowList: UnavailabilityWindow[];
}

/** A lease failure this close to an unavailability window counts as inside it (the renew deadline). */
const NEAR_SECONDS = 10;
/** Share of lease failures that must fall in or near a window for the time test to pass. */
export const MIN_SHARE_IN_WINDOWS = 0.5;

export function clusterWindows(times: number[], gapMs: number): { start: number; end: number; n: number }[] {
  const sorted = [...times].sort((a, b) => a - b);
  const windows: { start: number; end: number; n: number }[] = [];
  for (const t of sorted) {
    const current = windows[windows.length - 1];
    if (current && t - current.end <= gapMs) {
      current.end = t;
      current.n++;
    } else windows.push({ start: t, end: t, n: 1 });
  }
  return windows;
}

export const apiserverUnavailable: Detector<ApiserverUnavailableData> = {
  id: 'apiserver-unavailable',
  title: 'API server unavailability windows',
  // Requests timing out is what users of the API see, and it explains the lease failures too.
  role: 'symptom',
  reads:
    'API server timeouts (Trace, `Timeout: request did not complete`), client timeouts on lease reads, datastore slowness lines',
  thresholds: [
    { name: 'window', value: `timeouts less than ${WINDOW_GAP_SECONDS} s apart form one window` },
    {
      name: 'explains lease failures',
      value: `≥ ${MIN_SHARE_IN_WINDOWS * 100}% of failures within ${NEAR_SECONDS} s of a window`,
    },
  ],
  detect({ model, sha256 }) {
    // One pass keeping times, counts and the cited ends: a stall can log a million timeouts.
    const all = new EventSpan<ModelEvent>();
    const times: number[] = [];
    const serverTimes: number[] = [];
    const counts: Record<string, number> = {};
    const ends = new Map<EventKind, EndSample<ModelEvent>>([
      ['apiserver_timeout', new EndSample(2)],
      ['lease_lock_retrieve_error', new EndSample(1)],
      ['datastore_slow', new EndSample(1)],
    ]);
    model.events.eachOf(KINDS, (e) => {
      if (e.ts === null) return;
      all.add(e);
      const at = Date.parse(e.ts);
      times.push(at);
      if (e.kind !== 'lease_lock_retrieve_error') serverTimes.push(at);
      counts[e.kind] = (counts[e.kind] ?? 0) + 1;
      ends.get(e.kind)!.add(e);
    });
    const count = (kind: EventKind) => counts[kind] ?? 0;
    if (count('apiserver_timeout') === 0 && count('lease_lock_retrieve_error') === 0) return null;
    const windowsOf = (list: number[]) =>
      clusterWindows(list, WINDOW_GAP_SECONDS * 1000).map((w): UnavailabilityWindow => ({
        start: new Date(w.start).toISOString(),
        end: new Date(w.end).toISOString(),
        seconds: (w.end - w.start) / 1000,
        events: w.n,
      }));
    const windows = windowsOf(times);
    const longest = maxOf(
      windows.map((w) => w.seconds),
      0,
    );
    const evidence = [...ends.values()].flatMap((sample) => sample.items).map((e) => eventRef(e, sha256));
    return {
      claim:
        `Requests to the API server timed out in ${plural(windows.length, 'separate window')} ` +
        `(events less than ${WINDOW_GAP_SECONDS} s apart grouped${longest > 0 ? `; the longest spans ${longest.toFixed(0)} s` : ''}): ` +
        `${plural(count('apiserver_timeout'), 'server-side timeout')}, ${plural(count('lease_lock_retrieve_error'), 'client timeout')} reading a lease, ` +
        `${plural(count('datastore_slow'), 'datastore slowness line')}. The server was reachable in between: the outages were intermittent.`,
      evidence,
      confidence: count('apiserver_timeout') > 0 ? 'high' : 'medium',
      window: all.window,
      entities: entitiesOfLists(all.entityLists, ['node']),
      windowEvidence: all.bounds(sha256),
      data: {
        windows: windows.length,
        longestSeconds: longest,
        serverTimeouts: count('apiserver_timeout'),
        clientTimeouts: count('lease_lock_retrieve_error'),
        datastoreSlow: count('datastore_slow'),
        windowList: windows,
        serverWindowList: windowsOf(serverTimes),
      },
    };
  },
  question: () => 'How was the API server intermittently unavailable?',
  unexplained: () =>
    'Nothing in the evidence explains the stalls: no datastore, disk or snapshot finding is shown to line up with them.',
  collectNext: [
    '`ls -l --full-time` of the datastore folder on every node, repeatedly over the window (or a `find -printf` loop into a CSV)',
    'datastore logs (etcd, or k8s-dqlite with `LIBDQLITE_TRACE=1`) over the window',
    '`iostat -x 5` and `df -h` on the control-plane nodes',
  ],
  links: [
    {
      explains: 'lease-failures',
      tests: (cause, _effect, { model }) =>
        cause.data.serverWindowList.length > 0
          ? [failuresInWindows(cause.data.serverWindowList, model.leaseFailures.failures)]
          : [],
    },
  ],
};

/** The time test of API server stalls against lease failures: do the failures fall in the stalls? */
function failuresInWindows(windows: UnavailabilityWindow[], failures: { ts: string }[]): LinkTest {
  const near = NEAR_SECONDS * 1000;
  // Windows come in time order and apart, so both ends of their spans rise: the first span ending
  // at or after a failure is the only one that can hold it.
  const starts = windows.map((w) => Date.parse(w.start) - near);
  const ends = windows.map((w) => Date.parse(w.end) + near);
  const inside = failures.filter((f) => {
    const t = Date.parse(f.ts);
    const i = firstAtOrAfter(ends, t);
    return i < ends.length && starts[i]! <= t;
  }).length;
  const share = failures.length ? inside / failures.length : 0;
  const passed = failures.length > 0 && share >= MIN_SHARE_IN_WINDOWS;
  return {
    test: 'time',
    passed,
    detail: `${inside} of ${failures.length} lease failures (${(share * 100).toFixed(0)}%) fall in or within ${NEAR_SECONDS} s of an unavailability window (needs ≥ ${MIN_SHARE_IN_WINDOWS * 100}%)`,
  };
}
