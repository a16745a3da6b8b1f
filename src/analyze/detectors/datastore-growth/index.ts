import type { FileSizeFact } from '../../../types/index.js';
import { factRef } from '../../../model/index.js';
import { ran, type Detector } from '../../detector.js';
import { sameEntity } from '../../links.js';
import { DATASTORE } from '../_events.js';

const GiB = 1024 ** 3;
/** A write-ahead log this large means checkpoints are not keeping up (SQLite checkpoints at ~4 MB). */
export const WAL_BYTES = GiB;
/** etcd's default space quota is 2 GiB and its recommended maximum 8 GiB; a database past it has grown too far. */
export const DATABASE_BYTES = 8 * GiB;

export interface DatastoreGrowthData {
  files: { path: string; role: string; bytes: number; file: string }[];
}

const size = (bytes: number) =>
  bytes >= GiB ? `${(bytes / GiB).toFixed(1)} GiB` : `${(bytes / 1024 ** 2).toFixed(0)} MiB`;

export const datastoreGrowth: Detector<DatastoreGrowthData> = {
  id: 'datastore-growth',
  title: 'Datastore files grew too large',
  role: 'cause',
  reads:
    'datastore file sizes in listings (`ls -l` of the kine/dqlite/etcd folder): database, SQLite WAL, etcd WAL',
  thresholds: [
    { name: 'WAL', value: `≥ ${size(WAL_BYTES)} and larger than its database (checkpoints not keeping up)` },
    { name: 'database', value: `≥ ${size(DATABASE_BYTES)}` },
  ],
  detect({ data }) {
    const sizes = data.facts.filter((f): f is FileSizeFact => f.kind === 'file-size');
    const database = (wal: FileSizeFact) =>
      sizes.find((d) => d.role === 'database' && d.file === wal.file && wal.path.startsWith(d.path));
    const grown = sizes.filter(
      (f) =>
        (f.role === 'wal' && f.bytes >= WAL_BYTES && f.bytes > (database(f)?.bytes ?? 0)) ||
        (f.role === 'database' && f.bytes >= DATABASE_BYTES),
    );
    if (grown.length === 0) return null;
    const described = grown.map((f) => {
      const db = f.role === 'wal' ? database(f) : undefined;
      return `${f.path} is ${size(f.bytes)}${db ? ` beside a ${size(db.bytes)} database` : ''}`;
    });
    return {
      claim:
        `The datastore's files grew past what it can serve quickly: ${described.join('; ')}.` +
        (grown.some((f) => f.role === 'wal')
          ? ' A write-ahead log this size means checkpoints are not completing (a long-running read or transaction holds them back), and every read must search it.'
          : ''),
      evidence: grown.map((f) => factRef(f, `${f.path} ${f.bytes} bytes`)),
      confidence: 'high',
      window: null,
      entities: [DATASTORE],
      data: { files: grown.map((f) => ({ path: f.path, role: f.role, bytes: f.bytes, file: f.file })) },
    };
  },
  question: () => 'How did the datastore files grow this large?',
  unexplained: () =>
    'A listing gives sizes at one moment, not which keys grew or what held the checkpoints back.',
  collectNext: [
    '`sqlite3 state.db "PRAGMA wal_checkpoint(TRUNCATE)"` output, or etcd `endpoint status` (dbSize, dbSizeInUse)',
    'Row counts per key prefix (`SELECT substr(name,1,30), count(*) FROM kine GROUP BY 1 ORDER BY 2 DESC LIMIT 20`)',
    'Listings of the datastore folder over several days, to date the growth',
  ],
  links: [
    {
      explains: 'datastore-latency',
      tests: (cause, effect, { data }) => ran(sameEntity(cause, effect, ['component'], data)),
      text: (cause) => `Grown datastore files: ${cause.claim}`,
    },
  ],
  actions: () => [
    {
      action:
        'Checkpoint/compact the datastore (WAL checkpoint, kine compaction, etcd defrag) and alert on its file sizes.',
      priority: 'High',
    },
  ],
};
