/**
 * `npm run bench:hostile`: the large inputs of the hostile-input report at full size — a log of
 * 1,000,000 events, a pod dump of 263,000 pods, a tar.gz of 130,000 members without a year — run
 * through `events --json`, `ingest` and `analyze`, with each run's time and peak RSS beside a stock
 * tool reading the same bytes in the same run (`grep -c`). The tests (test/hostile) prove these
 * inputs no longer crash; this says what they cost.
 * Target (issue 10): `events --json` and `analyze` on 1M events under 300 MB peak RSS.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LEASE_LINE, tarball, writeLines } from '../test/hostile/_make.js';

const CLI = join(import.meta.dirname, '../dist/cli/index.js');
const TARGET_RSS_MB = 300;
const work = mkdtempSync(join(tmpdir(), 'howchain-bench-hostile-'));
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

if (spawnSync('sh', ['-c', 'command -v /usr/bin/time']).status !== 0) {
  process.stderr.write('bench:hostile needs /usr/bin/time (apt-get install time)\n');
  process.exit(2);
}

function timed(command: string, args: string[]): { seconds: number; rssMb: number; code: number | null } {
  const started = process.hrtime.bigint();
  const run = spawnSync('/usr/bin/time', ['-f', '@rss %M', command, ...args], {
    cwd: work,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rss = /@rss (\d+)/.exec(run.stderr ?? '');
  return { seconds, rssMb: rss ? Number(rss[1]) / 1024 : NaN, code: run.status };
}

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
  process.stderr.write('done\n');
  const rows: string[] = [];
  for (const [input, commands] of [
    [
      'events.log',
      [
        ['events', 'events.log', '--json'],
        ['analyze', 'events.log', '--json', '--permutations', '99'],
        ['ingest', 'events.log', '--json'],
      ],
    ],
    ['pods.json', [['ingest', 'pods.json', '--json']]],
    ['members.tar.gz', [['ingest', 'members.tar.gz', '--json']]],
  ] as const) {
    const baseline = timed('grep', ['-c', 'lease', input]);
    rows.push(
      `${input} (${mb(statSync(join(work, input)).size)}): grep -c ${baseline.seconds.toFixed(2)} s, ${baseline.rssMb.toFixed(0)} MB`,
    );
    for (const args of commands) {
      const run = timed(process.execPath, [CLI, ...args]);
      const judged =
        args[0] === 'events' || args[0] === 'analyze'
          ? ` (target < ${TARGET_RSS_MB} MB) ${run.rssMb < TARGET_RSS_MB ? 'ok' : 'OVER'}`
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
