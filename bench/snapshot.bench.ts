/**
 * `npm run bench:snapshot`: `howchain snapshot inspect` on a ~200 MB (decompressed) kine snapshot
 * against the same work done by stock tools in the same run — `lz4 -d` of the frame to a temp file,
 * then `sqlite3` running the same counting queries. Prints both times, the ratio and peak RSS.
 * Targets (issue 2): ratio ≤ 1.5, peak RSS < 512 MB.
 *
 * The snapshot is synthesised for the benchmark only (the real-format tests use real dqlite output):
 * a SQLite kine database built with better-sqlite3 — ~6,000 large Calico IPAM-handle rows and
 * ~100k other rows — wrapped in dqlite's FSM payload (one database, wal_size 0 as dqlite ≥ 1.17
 * writes it) and compressed by the `lz4` CLI with linked 64 KiB blocks, content size and content
 * checksum: the frame parameters raft uses.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const HANDLES = 6_000;
const HANDLE_VALUE_BYTES = 24_000;
const OTHER_ROWS = 100_000;
const OTHER_VALUE_BYTES = 520;
const CLI = join(import.meta.dirname, '../dist/cli/index.js');
const META = join(import.meta.dirname, '../test/fixtures/dqlite-real/kine-small/snapshot-1-160-3278102.meta');

const work = mkdtempSync(join(tmpdir(), 'howchain-bench-'));
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * Deterministic values shaped like kine's: JSON-ish text with a fresh 64-hex container ID every
 * 256 bytes. LZ4 shrinks it about as much as it shrinks the real dqlite fixtures (~5×).
 */
function filler(seed: number, size: number): Buffer {
  const template = Buffer.from(
    '{"apiVersion":"crd.projectcalico.org/v1","kind":"IPAMHandle","metadata":{"name":"k8s-pod-network.' +
      'X'.repeat(64) +
      '","resourceVersion":"183435364"},"spec":{"block":{"10.1.154.192/26":1},"deleted":false,"handleID":"k8s-pod-network"}},',
  );
  const out = Buffer.alloc(size);
  let x = seed * 2654435761 || 1;
  for (let at = 0; at < size; at += 256) {
    template.copy(out, at, 0, Math.min(256, size - at));
    for (let i = 0; i < 64 && at + 97 + i < size; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      out[at + 97 + i] = '0123456789abcdef'.charCodeAt((x >>> 0) % 16);
    }
  }
  return out;
}

function buildDatabase(path: string): void {
  const db = new Database(path);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.exec(`CREATE TABLE kine (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, created INTEGER, deleted INTEGER,
             create_revision INTEGER NOT NULL, prev_revision INTEGER, lease INTEGER, value BLOB, old_value BLOB);
           CREATE INDEX kine_name_index ON kine (name, id);
           CREATE UNIQUE INDEX kine_name_prev_revision_uindex ON kine (prev_revision, name);`);
  const insert = db.prepare(
    `INSERT INTO kine (name, created, deleted, create_revision, prev_revision, lease, value, old_value) VALUES (?, ?, ?, 0, ?, 0, ?, NULL)`,
  );
  const resources = ['pods', 'events', 'leases', 'configmaps', 'secrets', 'replicasets', 'endpointslices'];
  db.transaction(() => {
    insert.run('compact_rev_key', 0, 0, 0, Buffer.alloc(0));
    for (let i = 0; i < HANDLES; i++) {
      const id = filler(i + 1, 256).toString('latin1', 97, 161);
      insert.run(
        `/registry/crd.projectcalico.org/ipamhandles/k8s-pod-network.${id}`,
        1,
        0,
        0,
        filler(i, HANDLE_VALUE_BYTES),
      );
    }
    for (let i = 0; i < OTHER_ROWS; i++) {
      const resource = resources[i % resources.length] as string;
      const deleted = i % 23 === 0 ? 1 : 0;
      insert.run(
        `/registry/${resource}/ns-${i % 40}/obj-${i}`,
        1 - deleted,
        deleted,
        0,
        filler(HANDLES + i, OTHER_VALUE_BYTES),
      );
    }
  })();
  db.close();
}

/** dqlite FSM payload: format 1, one database "k8s", main_size, wal_size 0, then the main file. */
function buildPayload(dbPath: string, payloadPath: string): void {
  const main = statSync(dbPath).size;
  const header = Buffer.alloc(40);
  header.writeBigUInt64LE(1n, 0);
  header.writeBigUInt64LE(1n, 8);
  header.write('k8s', 16, 'latin1');
  header.writeBigUInt64LE(BigInt(main), 24);
  header.writeBigUInt64LE(0n, 32);
  const fd = openSync(payloadPath, 'w');
  writeSync(fd, header);
  closeSync(fd);
  execFileSync('sh', ['-c', 'cat "$1" >> "$2"', 'sh', dbPath, payloadPath]);
}

function timed(label: string, command: string, args: string[]): { seconds: number; maxRssKb: number } {
  const started = process.hrtime.bigint();
  const run = spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.status !== 0) throw new Error(`${label} failed (${run.status}): ${run.stderr}`);
  const lines = run.stderr.trim().split('\n');
  return { seconds, maxRssKb: Number(lines[lines.length - 1]) };
}

const COUNT_SQL = `
SELECT count(*) FROM kine;
SELECT count(*) FROM sqlite_sequence;
PRAGMA page_count; PRAGMA freelist_count;
SELECT name, pgsize FROM dbstat WHERE aggregate = TRUE;
SELECT name, max(id), deleted, count(*), sum(deleted <> 0),
       sum(coalesce(length(value), 0) + coalesce(length(old_value), 0)) FROM kine GROUP BY name;`;

for (const [tool, pkg] of [
  ['/usr/bin/time', 'time'],
  ['lz4', 'lz4'],
  ['sqlite3', 'sqlite3'],
] as const) {
  if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) {
    process.stderr.write(`bench:snapshot needs ${tool} (apt-get install ${pkg})\n`);
    process.exit(2);
  }
}

try {
  const dbPath = join(work, 'k8s.sqlite');
  const payload = join(work, 'payload');
  const snapshot = join(work, 'snapshot-1-1000-123456');
  process.stderr.write('building the benchmark snapshot… ');
  buildDatabase(dbPath);
  buildPayload(dbPath, payload);
  // -BD linked blocks, -B4 64 KiB blocks, --content-size; content checksum is on by default.
  execFileSync('lz4', ['-q', '-f', '-BD', '-B4', '--content-size', payload, snapshot]);
  copyFileSync(META, `${snapshot}.meta`);
  rmSync(dbPath);
  process.stderr.write(`${mb(statSync(payload).size)} payload, ${mb(statSync(snapshot).size)} LZ4 frame\n`);
  rmSync(payload);

  const baselineDb = join(work, 'baseline.sqlite');
  const sqlFile = join(work, 'count.sql');
  writeFileSync(sqlFile, COUNT_SQL);
  // Stock tools: decompress to a temp file, strip the 40-byte FSM header (what's left is the SQLite
  // file, wal_size being 0), count with sqlite3.
  const baselineScript = `lz4 -d -c "$1" | tail -c +41 > "$2" && sqlite3 "$2" < "$3" > /dev/null && rm -f "$2"`;
  const runs = 3;
  const results = {
    howchain: [] as { seconds: number; maxRssKb: number }[],
    baseline: [] as { seconds: number; maxRssKb: number }[],
  };
  for (let i = 0; i < runs; i++) {
    results.baseline.push(
      timed('baseline', 'sh', ['-c', baselineScript, 'sh', snapshot, baselineDb, sqlFile]),
    );
    results.howchain.push(
      timed('howchain', process.execPath, [CLI, 'snapshot', 'inspect', snapshot, '--json']),
    );
  }
  const best = (list: { seconds: number }[]) => Math.min(...list.map((r) => r.seconds));
  const howchain = best(results.howchain);
  const baseline = best(results.baseline);
  const rss = Math.max(...results.howchain.map((r) => r.maxRssKb)) * 1024;
  const ratio = howchain / baseline;
  process.stdout.write(
    [
      `snapshot inspect (howchain):   ${howchain.toFixed(2)} s  (best of ${runs})`,
      `lz4 -d + sqlite3 (baseline):   ${baseline.toFixed(2)} s  (best of ${runs})`,
      `ratio:                         ${ratio.toFixed(2)}  (target ≤ 1.5) ${ratio <= 1.5 ? 'ok' : 'OVER'}`,
      `peak RSS (howchain):           ${mb(rss)}  (target < 512 MB) ${rss < 512 * 1024 * 1024 ? 'ok' : 'OVER'}`,
      '',
    ].join('\n'),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
