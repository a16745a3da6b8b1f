import type { StorageBenchFact } from '../../../types/index.js';
import { factRef } from '../../../model/index.js';
import { presentAtStart, ran, type Detector } from '../../detector.js';
import { sameEntity } from '../../links.js';
import { CitedEvents, DATASTORE } from '../_events.js';

/**
 * A raft datastore commits every write with an fdatasync: etcd asks for a 99th percentile under
 * 10 ms (etcd docs, "Hardware recommendations"; `wal_fsync_duration_seconds`), and logs `slow
 * fdatasync` past 1 s. A measured synchronous write slower than this cannot carry a control plane.
 */
export const MAX_SYNC_MS = 10;

export interface SlowDiskData {
  fdatasyncLines: number;
  heartbeatLines: number;
  slowestSyncMs: number | null;
  benches: { tool: string; syncWriteMs: number | null; syncP99Ms: number | null; file: string }[];
}

const slowBench = (f: StorageBenchFact) =>
  (f.syncP99Ms ?? f.syncWriteMs ?? 0) > MAX_SYNC_MS && f.synced !== false;

export const slowDisk: Detector<SlowDiskData> = {
  id: 'slow-disk',
  title: 'Datastore disk too slow for synchronous writes',
  role: 'cause',
  reads:
    'etcd `slow fdatasync` / `sync duration of … expected less than` and `failed to send out heartbeat on time` lines; `dd … oflag=dsync` and fio fdatasync results in the bundle',
  thresholds: [
    { name: 'measured sync write', value: `> ${MAX_SYNC_MS} ms (fio p99, or dd dsync seconds ÷ writes)` },
    { name: 'logged', value: 'any `slow fdatasync` (etcd logs it past 1 s)' },
  ],
  detect({ model, data, sha256 }) {
    // Tallied one line at a time: a failing disk can log a million.
    const syncsCited = new CitedEvents();
    const bothCited = new CitedEvents();
    let heartbeatLines = 0;
    let slowestSyncMs: number | null = null;
    model.events.eachOf(['datastore_slow'], (e) => {
      const signal = e.attrs?.signal;
      if (signal === 'fdatasync') {
        syncsCited.add(e);
        if (typeof e.attrs?.tookMs === 'number') slowestSyncMs = Math.max(slowestSyncMs ?? 0, e.attrs.tookMs);
      } else if (signal === 'heartbeat') heartbeatLines++;
      else return;
      bothCited.add(e);
    });
    const benches = data.facts.filter((f): f is StorageBenchFact => f.kind === 'storage-bench');
    const slow = benches.filter(slowBench);
    if (syncsCited.count === 0 && slow.length === 0) return null;
    const measured = slow.map(
      (f) =>
        `${f.tool} measured ${f.syncP99Ms !== null ? `a 99th percentile of ${f.syncP99Ms} ms` : `${f.syncWriteMs} ms`} per synchronous write (${f.file})`,
    );
    const logged = syncsCited.count
      ? `etcd logged ${syncsCited.count} WAL fdatasync${syncsCited.count === 1 ? '' : 's'} over 1 s${slowestSyncMs ? ` (up to ${(slowestSyncMs / 1000).toFixed(1)} s)` : ''}${heartbeatLines ? ` and ${heartbeatLines} missed leader heartbeat${heartbeatLines === 1 ? '' : 's'}` : ''}`
      : null;
    return {
      claim: `The datastore's disk is too slow for a raft log: ${[logged, ...measured].filter(Boolean).join('; ')}. A raft datastore needs synchronous writes well under ${MAX_SYNC_MS} ms.`,
      ...bothCited.cite(sha256),
      evidence: [
        ...syncsCited.cite(sha256).evidence,
        ...slow.map((f) => factRef(f, `${f.tool}: ${f.syncP99Ms ?? f.syncWriteMs} ms per synced write`)),
      ],
      confidence:
        syncsCited.count > 0 && slow.length > 0
          ? 'high'
          : syncsCited.count >= 3 || slow.length
            ? 'medium'
            : 'low',
      entities: [DATASTORE],
      data: {
        fdatasyncLines: syncsCited.count,
        heartbeatLines: heartbeatLines,
        slowestSyncMs,
        benches: benches.map((f) => ({
          tool: f.tool,
          syncWriteMs: f.syncWriteMs,
          syncP99Ms: f.syncP99Ms,
          file: f.file,
        })),
      },
    };
  },
  question: () => 'How did the disk come to be this slow?',
  unexplained: () =>
    'The evidence shows the disk is slow, not why (shared or network storage, a noisy neighbour, a failing device).',
  collectNext: [
    '`iostat -x 5` and `cat /sys/block/*/queue/rotational` on the datastore node',
    'The storage class of the datastore volume (local SSD, network disk, burst credits)',
  ],
  links: [
    {
      explains: 'datastore-latency',
      tests: (cause, effect, { data }) =>
        ran(sameEntity(cause, effect, ['component'], data), presentAtStart(cause, effect)),
      text: (cause) => `A slow disk under the datastore: ${cause.claim}`,
    },
  ],
  actions: () => [
    {
      action: `Move the datastore to a disk with synchronous writes under ${MAX_SYNC_MS} ms (local SSD/NVMe), and alert on fdatasync latency.`,
      priority: 'High',
    },
  ],
};
