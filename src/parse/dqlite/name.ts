/**
 * Snapshot file names written by raft (`UV__SNAPSHOT_TEMPLATE`): `snapshot-TERM-INDEX-TIMESTAMP`,
 * three unpadded decimals. TIMESTAMP is libuv's monotonic `uv_now()` in ms (time since boot), not
 * Unix time (docs/snapshot.md, "Wall clock").
 *
 * Samples (they double as tests):
 *   snapshot-1-160-3278102        → { term: 1, index: 160, timestamp: 3278102 }
 *   snapshot-1-160-3278102.meta   → null (that is the metadata file, not the snapshot)
 *   snapshot-1-160                → null
 */
export interface SnapshotName {
  term: number;
  index: number;
  timestamp: number;
}

export const SNAPSHOT_NAME_SAMPLES: [string, SnapshotName | null][] = [
  ['snapshot-1-160-3278102', { term: 1, index: 160, timestamp: 3278102 }],
  ['snapshot-12-2048-987654321', { term: 12, index: 2048, timestamp: 987654321 }],
  ['snapshot-1-160-3278102.meta', null],
  ['snapshot-1-160', null],
  ['tmp-snapshot-1-160-3278102', null],
  ['snapshot-1-160-99999999999999999999', null],
];

const SNAPSHOT_NAME = /^snapshot-(\d+)-(\d+)-(\d+)$/;

/** Parses a bare file name (no directory). Numbers beyond 2^53 are rejected rather than rounded. */
export function parseSnapshotName(name: string): SnapshotName | null {
  const match = SNAPSHOT_NAME.exec(name);
  if (!match) return null;
  const [term, index, timestamp] = [match[1], match[2], match[3]].map((digits) => {
    const value = BigInt(digits as string);
    return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : null;
  });
  if (term == null || index == null || timestamp == null) return null;
  return { term, index, timestamp };
}
