import { fromEpochNumber, parseIsoPartial } from '../time.js';
import { severityOf } from './_level.js';
import type { LogFormat } from './types.js';

/**
 * The dqlite/libraft tracer (env LIBDQLITE_TRACE / LIBRAFT_TRACE), written to stderr and so into the
 * k8s-dqlite journal. dqlite ≥1.17 and recent libraft: `LIBDQLITE[pid] <UTC time> tid LEVEL func
 * file:line msg` (`LIBRAFT  [pid] …`); older libraft: `LIBRAFT   <ns since epoch> file:line msg`.
 * Both clocks are CLOCK_REALTIME in UTC, so the line's own time beats a journald wrapper's (no year,
 * host-local, whole seconds). Docs: bundles-and-signatures.md §5.5.
 */
const CURRENT =
  /^LIB(?:DQLITE|RAFT)\s*\[\s*(\d+)\] (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{1,9}) +(\d+) +([A-Z]+) +(\S+) +(\S+:\d+) +(.*)$/s;
const OLD = /^LIBRAFT +(\d{15,20}) +(\S+:\d+) +(.*)$/s;

export const dqliteTrace: LogFormat = {
  id: 'dqlite-trace',
  description: 'dqlite/libraft tracer lines (LIBDQLITE_TRACE, LIBRAFT_TRACE)',
  role: 'message',
  ownClockWins: true,
  parse(line) {
    // Both shapes start with `LIB`: most lines are refused here, without the regexes.
    if (line.charCodeAt(0) !== 76) return null;
    const current = CURRENT.exec(line);
    if (current) {
      const time = parseIsoPartial(`${current[2]}Z`);
      if (!time) return null;
      return {
        time,
        origin: 'line',
        body: current[7] as string,
        level: severityOf(current[4]),
        source: 'dqlite-trace',
        fields: { caller: current[6] as string, func: current[5] as string },
      };
    }
    const old = OLD.exec(line);
    if (!old) return null;
    const time = fromEpochNumber(Number(old[1]));
    if (!time) return null;
    const fields: Record<string, string> = { caller: old[2] as string };
    return {
      time,
      origin: 'line',
      body: old[3] as string,
      source: 'dqlite-trace',
      fields,
    };
  },
  samples: [
    {
      line: 'LIBDQLITE[  2222] 2024-01-12T10:00:33.912050507 002230 DEBUG   takeSnapshot         src/raft/replication.c:1814 take snapshot at 1048576',
      expect: {
        ts: '2024-01-12T10:00:33.912Z',
        level: 'info',
        body: 'take snapshot at 1048576',
        fields: { caller: 'src/raft/replication.c:1814', func: 'takeSnapshot' },
      },
    },
    {
      line: 'LIBRAFT  [  2222] 2024-01-12T10:00:34.100000001 002231 TRACE   uvSnapshotPut        src/uv_snapshot.c:611 put snapshot at 1048576, keeping 4096',
      expect: { ts: '2024-01-12T10:00:34.100Z', body: 'put snapshot at 1048576, keeping 4096' },
    },
    {
      line: 'LIBRAFT   1705053633912050507 src/replication.c:1580 take snapshot at 1048576',
      expect: {
        ts: '2024-01-12T10:00:33.912Z',
        body: 'take snapshot at 1048576',
        fields: { caller: 'src/replication.c:1580' },
      },
    },
  ],
};
