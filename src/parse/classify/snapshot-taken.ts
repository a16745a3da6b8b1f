import type { EventRule } from './types.js';

/**
 * A raft snapshot taken, from the dqlite/libraft tracer (LIBDQLITE_TRACE / LIBRAFT_TRACE; §5.5).
 * One line per snapshot: `take snapshot at <index>` is traced by takeSnapshot for every snapshot,
 * before it branches to the async path, which traces `take snapshot async at <index>` for the same
 * snapshot — so that line, `put snapshot at …` and `snapshot write end` are not counted again. Lines
 * about sending, restoring or installing a snapshot are not writes. The subject is the journal's host.
 */
const TAKE = /^take snapshot at (\d+)$/;

export const snapshotTaken: EventRule = {
  kind: 'snapshot',
  description: 'a raft snapshot taken (dqlite/libraft trace line `take snapshot at <index>`)',
  severity: 'info',
  needles: ['take snapshot at '],
  match({ text, fields }) {
    const take = TAKE.exec(text.trim());
    if (!take) return null;
    const index = Number(take[1]);
    if (!Number.isSafeInteger(index)) return null;
    return { subject: fields.host ?? null, attrs: { index, source: 'trace' } };
  },
  samples: [
    {
      line: 'LIBDQLITE[  2222] 2024-01-12T10:00:33.912050507 002230 DEBUG   takeSnapshot         src/raft/replication.c:1814 take snapshot at 1048576',
      subject: null,
    },
    {
      line: 'Jan 12 10:00:33 k8s02 microk8s.daemon-k8s-dqlite[2222]: LIBDQLITE[  2222] 2024-01-12T10:00:33.912050507 002230 DEBUG   takeSnapshot         src/raft/replication.c:1814 take snapshot at 1048576',
      subject: 'k8s02',
    },
    {
      line: 'LIBRAFT   1705053633912050507 src/replication.c:1580 take snapshot at 1048576',
      subject: null,
    },
  ],
  negatives: [
    'LIBDQLITE[  2222] 2024-01-12T10:00:33.912090000 002230 DEBUG   takeSnapshotAsync    src/raft/replication.c:1760 take snapshot async at 1048576',
    'LIBDQLITE[  2222] 2024-01-12T10:00:34.100000000 002230 DEBUG   uvSnapshotPut        src/raft/uv_snapshot.c:611 put snapshot at 1048576, keeping 4096',
    'LIBDQLITE[  2222] 2024-01-12T10:00:34.200000000 002230 DEBUG   takeSnapshotCb       src/raft/replication.c:1735 snapshot write end 0',
    'LIBDQLITE[  2222] 2024-01-12T10:00:35.000000000 002230 DEBUG   restoreSnapshot      src/raft/snapshot.c:44 restored snapshot with last index 1048576',
    'LIBDQLITE[  2222] 2024-01-12T10:00:35.000000000 002230 DEBUG   sendSnapshot         src/raft/replication.c:287 sending snapshot with last index 1048576 to 3297041220608546238',
    'LIBDQLITE[  2222] 2024-01-12T10:00:35.000000000 002230 DEBUG   replicationHeartbeat src/raft/replication.c:420 snapshot timed out for index:1048576',
    'LIBDQLITE[  2222] 2024-01-12T10:00:35.000000000 002230 DEBUG   recvAppendEntries    src/raft/recv_append_entries.c:128 ignoring AppendEntries RPC during snapshot install',
    'LIBDQLITE[  2222] 2024-01-12T10:00:35.000000000 002230 DEBUG   loadSnapshot         src/raft/start.c:66 most recent snapshot at 1048576',
    'time="2024-01-12T10:00:02Z" level=info msg="Configure dqlite raft snapshot parameters" threshold=512 trailing=4096',
    'I0112 10:00:01.000000   12345 backup.go:40] we will take snapshot at 1048576 later',
  ],
};
