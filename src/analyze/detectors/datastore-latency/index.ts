import type { ModelEvent } from '../../../types/index.js';
import { overlapping, plural, ran, type Detector } from '../../detector.js';
import { CitedEvents, DATASTORE, tallied } from '../_events.js';

/** A slow datastore line counts when it took at least this long (etcd warns from 100 ms, kine from 1 s). */
export const SLOW_MS = 500;
/** Lines needed before the datastore is called slow: one slow request is not an incident. */
export const MIN_SLOW_EVENTS = 3;
/** Signals that are failures whatever their duration (no time is given). */
const ALWAYS = new Set(['fdatasync', 'heartbeat', 'read-index', 'request-timeout', 'locked', 'no-leader']);

export interface DatastoreLatencyData {
  events: number;
  bySignal: Record<string, number>;
  slowestMs: number | null;
}

function counts(event: ModelEvent): boolean {
  if (event.kind !== 'datastore_slow') return false;
  const signal = String(event.attrs?.signal ?? '');
  const took = typeof event.attrs?.tookMs === 'number' ? event.attrs.tookMs : null;
  if (ALWAYS.has(signal)) return true;
  if (signal === 'range-error') return /deadline exceeded/.test(event.message);
  return took !== null && took >= SLOW_MS;
}

export const datastoreLatency: Detector<DatastoreLatencyData> = {
  id: 'datastore-latency',
  title: 'Datastore requests slow',
  role: 'mechanism',
  reads:
    'datastore_slow lines: etcd slow fdatasync / took too long / heartbeat / read index, apiserver Trace blocks, kine Slow SQL, dqlite `database is locked` / no leader',
  thresholds: [
    { name: 'slow line', value: `took ≥ ${SLOW_MS} ms, or a sync/heartbeat/read-index/lock/leader failure` },
    { name: 'finding', value: `≥ ${MIN_SLOW_EVENTS} such lines` },
  ],
  detect({ model, sha256 }) {
    // Tallied one line at a time: a stalled datastore can log a million.
    const citing = new CitedEvents();
    const bySignal: Record<string, number> = {};
    let slowestMs: number | null = null;
    model.events.eachOf(['datastore_slow'], (e) => {
      if (!counts(e)) return;
      citing.add(e);
      const signal = String(e.attrs?.signal);
      bySignal[signal] = (bySignal[signal] ?? 0) + 1;
      if (typeof e.attrs?.tookMs === 'number') slowestMs = Math.max(slowestMs ?? 0, e.attrs.tookMs);
    });
    if (citing.count < MIN_SLOW_EVENTS) return null;
    return {
      claim:
        `The datastore answered slowly or not at all ${plural(citing.count, 'time')} (${tallied(bySignal)})` +
        (slowestMs !== null ? `; the slowest took ${(slowestMs / 1000).toFixed(1)} s.` : '.') +
        ' Every API request that reads or writes state waits on it.',
      ...citing.cite(sha256),
      confidence: citing.count >= 2 * MIN_SLOW_EVENTS ? 'high' : 'medium',
      entities: [DATASTORE],
      data: { events: citing.count, bySignal, slowestMs },
    };
  },
  question: () => 'How did the datastore become slow?',
  unexplained: () => 'The datastore logs show it was slow, not what slowed it (disk, size, load).',
  collectNext: [
    '`fio --rw=write --ioengine=sync --fdatasync=1 --size=22m --bs=2300` on the datastore disk',
    '`ls -l` of the datastore folder (database, WAL, snapshots) and `df -h`',
    '`iostat -x 5` on the datastore node over the incident window',
  ],
  links: [
    {
      // API requests wait on the datastore: slowness in the same window explains their timeouts.
      explains: 'apiserver-unavailable',
      tests: (cause, effect) => ran(overlapping(cause, effect)),
      text: (cause) => `Datastore slowness in the same window: ${cause.claim}`,
    },
  ],
  actions: () => [
    {
      action: 'Alert on datastore latency (etcd `wal_fsync_duration_seconds` p99, slow SQL / trace lines).',
      priority: 'High',
    },
  ],
};
