/**
 * `npm run bench:hostile`: the large inputs of the hostile-input report at full size — two logs of
 * 1,000,000 events (one controller's renew failures repeating, and a stall's mixed journal whose
 * lines stay distinct findings), a pod dump of 263,000 pods, a tar.gz of 130,000 members without a
 * year, two dqlite snapshots whose kine tables hold 1,000,000 distinct key prefixes — run through
 * `events --json`, `ingest`, `analyze` and `snapshot inspect|diff`, with each run's time and peak RSS
 * beside a stock tool reading the same bytes in the same run (`grep -c`). The tests (test/hostile)
 * prove these inputs no longer crash; this says what they cost.
 * Target (issue 10): `events --json` and `analyze` on 1M events, and every run on the 1M-prefix
 * snapshots, under 300 MB peak RSS; `analyze` of 300,000 distinct lease holders, whose PIR JSON
 * lists each lease and each failure (560 MB of it), under 500 MB.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  LEASE_LINE,
  fsmPayload,
  kineDatabase,
  tarball,
  writeLines,
  writeSnapshot,
} from '../test/hostile/_make.js';

const CLI = join(import.meta.dirname, '../dist/cli/index.js');
const TARGET_RSS_MB = 300;
/** The result itself holds a row per lease and per failure: 600,000 of them for holders.log. */
const TARGET_HOLDERS_RSS_MB = 500;
const work = mkdtempSync(join(tmpdir(), 'howchain-bench-hostile-'));
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

if (spawnSync('sh', ['-c', 'command -v /usr/bin/time']).status !== 0) {
  process.stderr.write('bench:hostile needs /usr/bin/time (apt-get install time)\n');
  process.exit(2);
}

/**
 * One run's wall time and peak RSS. The baseline's output is read through a pipe: GNU grep whose
 * output is /dev/null stops at the first match (as with -q), which made `grep -c` look 20× faster.
 */
function timed(
  command: string,
  args: string[],
  output: 'discard' | 'read' = 'discard',
): { seconds: number; rssMb: number; code: number | null } {
  const started = process.hrtime.bigint();
  const run = spawnSync('/usr/bin/time', ['-f', '@rss %M', command, ...args], {
    cwd: work,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    stdio: ['ignore', output === 'read' ? 'pipe' : 'ignore', 'pipe'],
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rss = /@rss (\d+)/.exec(run.stderr ?? '');
  return { seconds, rssMb: rss ? Number(rss[1]) / 1024 : NaN, code: run.status };
}

/**
 * A stall's journal: datastore slowness, API server timeouts, lease-lock errors, renew failures
 * and unit restarts in turn, 17 ms apart, so each lease fails every 2.04 s — just past the 2 s in
 * which lines are one failure — and the 1M lines hold 166,667 distinct failures to cite.
 */
function mixedLine(i: number): string {
  const iso = new Date(Date.parse('2026-03-31T20:00:00Z') + i * 17).toISOString();
  const journald = `${iso.slice(0, 23)}000+00:00`;
  const klog = `0331 ${iso.slice(11, 23)}000    2290`;
  const kubelite = `${journald} k8s02 microk8s.daemon-kubelite[2290]:`;
  const lease = `kube-system/c${i % 40}`;
  switch (i % 6) {
    case 0:
      return `${journald} k8s02 microk8s.daemon-k8s-dqlite[1842]: time="${iso.slice(0, 19)}Z" level=error msg="error while range on /registry/leases/ /registry/leases/: context canceled"\n`;
    case 1:
      return `${kubelite} E${klog} writers.go:122] "Unhandled Error" err="apiserver was unable to write a JSON response: http: Handler timeout" logger="UnhandledError"\n`;
    case 2:
      return `${kubelite} E${klog} leaderelection.go:330] error retrieving resource lock ${lease}: Get "https://10.152.183.1:443/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/c${i % 40}?timeout=5s": context deadline exceeded\n`;
    case 3:
      return `${kubelite} I${klog} leaderelection.go:283] failed to renew lease ${lease}: timed out waiting for the condition\n`;
    case 4:
      return `${journald} k8s03 systemd[1]: snap.microk8s.daemon-kubelite.service: Scheduled restart job, restart counter is at ${i % 1000}.\n`;
    default:
      return `${kubelite} {"level":"warn","ts":"${iso}","logger":"etcd-client","caller":"v3@v3.6.4/retry_interceptor.go:65","msg":"retrying of unary invoker failed","target":"etcd-endpoints://0xc001f2a1e0/unix:///var/snap/microk8s/current/var/kubernetes/backend/kine.sock:12379","attempt":0,"error":"rpc error: code = DeadlineExceeded desc = context deadline exceeded"}\n`;
  }
}

/**
 * 300,000 leaders, each failing twice 50 minutes apart (600,000 lines, 10 ms apart): every lease
 * and every failure is its own row in the finding and the correlation, nothing folds.
 */
const holderLine = (i: number) => {
  const iso = new Date(Date.parse('2026-03-31T20:00:00Z') + i * 10).toISOString();
  return `I0331 ${iso.slice(11, 23)}000 1 leaderelection.go:297] failed to renew lease kube-system/h${i % 300_000}: context deadline exceeded\n`;
};

function pods(count: number): string {
  const items: string[] = [];
  for (let i = 0; i < count; i++)
    items.push(
      `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p${i}","namespace":"ns${i % 20}","uid":"u${i}"},"status":{"phase":"Running","containerStatuses":[{"name":"c","restartCount":${i % 7},"ready":true}]}}`,
    );
  return `{"apiVersion":"v1","kind":"List","items":[\n${items.join(',\n')}\n]}\n`;
}

try {
  process.stderr.write('building the inputs… ');
  writeLines(join(work, 'events.log'), 1_000_000, LEASE_LINE);
  writeLines(join(work, 'mixed.log'), 1_000_000, mixedLine);
  writeLines(join(work, 'holders.log'), 600_000, holderLine);
  writeFileSync(join(work, 'pods.json'), pods(263_000));
  writeFileSync(
    join(work, 'members.tar.gz'),
    await tarball(
      (function* () {
        for (let i = 0; i < 130_000; i++)
          yield {
            header: { name: `node/m${i}.log`, mtime: new Date('2026-04-01T00:00:00Z') },
            body: `I0331 22:04:10.996761 1 leaderelection.go:297] failed to renew lease kube-system/m${i}: context deadline exceeded\n`,
          };
      })(),
    ),
  );
  // Two snapshots whose kine keys are each a prefix of their own (1,000,000 and 1,000,001).
  for (const [name, count] of [
    ['snapshot-1-32-1000', 1_000_000],
    ['snapshot-1-64-2000', 1_000_001],
  ] as const) {
    const keys = (function* () {
      for (let i = 0; i < count; i++) yield `/registry/r${i}/ns/obj`;
    })();
    const main = kineDatabase(join(work, `${name}.sqlite`), keys);
    rmSync(join(work, `${name}.sqlite`));
    writeSnapshot(join(work, 'kine'), fsmPayload([{ name: 'k8s', main }]), name);
  }
  process.stderr.write('done\n');
  const rows: string[] = [];
  for (const [input, commands] of [
    [
      'events.log',
      [
        ['events', 'events.log', '--json'],
        ['analyze', 'events.log', '--json', '--permutations', '99'],
        ['ingest', 'events.log', '--case', 'events.db', '--json'],
        // The kept case read back: its rows stream out as fast as the reader takes them.
        ['events', 'events.db', '--json'],
      ],
    ],
    ['mixed.log', [['analyze', 'mixed.log', '--json', '--permutations', '99']]],
    [
      'holders.log',
      [
        ['analyze', 'holders.log', '-o', 'holders.md', '--permutations', '99'],
        ['analyze', 'holders.log', '--json', '--permutations', '99'],
      ],
    ],
    ['pods.json', [['ingest', 'pods.json', '--json']]],
    [
      'members.tar.gz',
      [
        ['ingest', 'members.tar.gz', '--json'],
        // Year-less lines of an archive wait in a spill until its end, then stream out.
        ['events', 'members.tar.gz', '--json'],
      ],
    ],
    [
      'kine/snapshot-1-32-1000',
      [
        ['snapshot', 'inspect', 'kine/snapshot-1-32-1000', '--json'],
        ['snapshot', 'diff', 'kine/snapshot-1-32-1000', 'kine/snapshot-1-64-2000'],
        ['ingest', 'kine', '--json'],
      ],
    ],
  ] as const) {
    const baseline = timed('grep', ['-c', 'lease', input], 'read');
    rows.push(
      `${input} (${mb(statSync(join(work, input)).size)}): grep -c ${baseline.seconds.toFixed(2)} s, ${baseline.rssMb.toFixed(0)} MB`,
    );
    for (const args of commands) {
      const run = timed(process.execPath, [CLI, ...args]);
      const target = input === 'holders.log' ? TARGET_HOLDERS_RSS_MB : TARGET_RSS_MB;
      const judged =
        args[0] === 'events' || args[0] === 'analyze' || input.startsWith('kine/')
          ? ` (target < ${target} MB) ${run.rssMb < target ? 'ok' : 'OVER'}`
          : '';
      rows.push(
        `  howchain ${args.join(' ')}: exit ${run.code}, ${run.seconds.toFixed(2)} s (${(run.seconds / baseline.seconds).toFixed(1)}× grep), peak RSS ${run.rssMb.toFixed(0)} MB${judged}`,
      );
    }
  }
  process.stdout.write(`${rows.join('\n')}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
