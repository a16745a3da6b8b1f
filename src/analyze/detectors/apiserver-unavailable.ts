import type { EvidenceEvent } from '../../types/index.js';
import { eventRef, sampleEnds } from '../evidence.js';
import { eventBounds, plural, type Detector } from '../detector.js';
import { maxOf } from '../../bounded.js';

/** Timeouts closer together than this belong to one unavailability window. */
export const WINDOW_GAP_SECONDS = 30;

/** Server-side timeouts, client-side timeouts on the lease GET, and datastore slowness. */
const KINDS = new Set(['apiserver_timeout', 'lease_lock_retrieve_error', 'datastore_slow']);

export interface UnavailabilityWindow {
  start: string;
  end: string;
  seconds: number;
  events: number;
}

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

export const apiserverUnavailable: Detector = {
  id: 'apiserver-unavailable',
  title: 'API server unavailability windows',
  detect({ data, sha256 }) {
    const events = data.events.filter(
      (e): e is EvidenceEvent & { ts: string } => KINDS.has(e.kind) && e.ts !== null,
    );
    const serverSide = events.filter((e) => e.kind === 'apiserver_timeout');
    if (serverSide.length === 0 && events.filter((e) => e.kind === 'lease_lock_retrieve_error').length === 0)
      return null;
    const windows = clusterWindows(
      events.map((e) => Date.parse(e.ts)),
      WINDOW_GAP_SECONDS * 1000,
    ).map((w): UnavailabilityWindow => ({
      start: new Date(w.start).toISOString(),
      end: new Date(w.end).toISOString(),
      seconds: (w.end - w.start) / 1000,
      events: w.n,
    }));
    const longest = maxOf(windows.map((w) => w.seconds));
    const count = (kind: string) => events.filter((e) => e.kind === kind).length;
    const sorted = [...events].sort((a, b) => a.ts.localeCompare(b.ts));
    const evidence = [
      ...sampleEnds(serverSide, 2),
      ...sampleEnds(
        events.filter((e) => e.kind === 'lease_lock_retrieve_error'),
        1,
      ),
      ...sampleEnds(
        events.filter((e) => e.kind === 'datastore_slow'),
        1,
      ),
    ].map((e) => eventRef(e, sha256));
    return {
      claim:
        `Requests to the API server timed out in ${plural(windows.length, 'separate window')} ` +
        `(events less than ${WINDOW_GAP_SECONDS} s apart grouped${longest > 0 ? `; the longest spans ${longest.toFixed(0)} s` : ''}): ` +
        `${plural(count('apiserver_timeout'), 'server-side timeout')}, ${plural(count('lease_lock_retrieve_error'), 'client timeout')} reading a lease, ` +
        `${plural(count('datastore_slow'), 'datastore slowness line')}. The server was reachable in between: the outages were intermittent.`,
      evidence,
      confidence: serverSide.length > 0 ? 'high' : 'medium',
      window: { start: sorted[0]!.ts, end: sorted[sorted.length - 1]!.ts },
      data: {
        windowEvidence: eventBounds(events, sha256),
        windows: windows.length,
        longestSeconds: longest,
        serverTimeouts: count('apiserver_timeout'),
        clientTimeouts: count('lease_lock_retrieve_error'),
        datastoreSlow: count('datastore_slow'),
        windowList: windows,
      },
    };
  },
};
