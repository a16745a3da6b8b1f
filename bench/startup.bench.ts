/**
 * `npm run bench:startup`: how long `howchain` takes to start, against `node -e 0` (Node's own
 * start-up, the floor no CLI in Node can go under) measured in the same run. Start-up is a fixed
 * cost in every command a user types and in every `events` run bench:events times (issue 12).
 *
 * The invocations do next to no work, so their time is loading code: `events` on an empty log
 * (`--count`) and on a 12 KB sample log (`--json`), the top-level `--help`, `analyze --help` (the
 * largest help text) and `detectors --json` (the detector catalogue). Each is run
 * `BENCH_STARTUP_RUNS` times (default 11), round-robin so a burst of other work on the machine
 * lands on all of them alike; the median wall time and its ratio to `node -e 0` are printed, with
 * the median CPU time (user + system, `/usr/bin/time`, 10 ms resolution) since other work on the
 * same core moves wall time more than CPU time. Pin it to one core: `taskset -c 1 npm run bench:startup`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 11);
const CLI = join(import.meta.dirname, '../dist/cli/index.js');
const SAMPLE_LOG = join(
  import.meta.dirname,
  '../samples/bundle/k8s03/journal/snap.microk8s.daemon-kubelite.log',
);

interface Run {
  seconds: number;
  cpuSeconds: number;
}

function timed(args: string[]): Run {
  const started = process.hrtime.bigint();
  const run = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} failed (${run.status}): ${run.stderr}`);
  const lines = run.stderr.trim().split('\n');
  const [user, system] = (lines[lines.length - 1] as string).split(' ').map(Number) as [number, number];
  return { seconds, cpuSeconds: user + system };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const ms = (seconds: number) => `${(seconds * 1000).toFixed(0).padStart(4)} ms`;
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

const dir = mkdtempSync(join(tmpdir(), 'howchain-bench-startup-'));
try {
  const empty = join(dir, 'empty.log');
  writeFileSync(empty, '');
  const cases: { label: string; args: string[] }[] = [
    { label: 'node -e 0', args: ['-e', '0'] },
    { label: 'events <empty log> --count', args: [CLI, 'events', empty, '--count'] },
    { label: 'events <12 KB log> --json', args: [CLI, 'events', SAMPLE_LOG, '--json'] },
    { label: '--help', args: [CLI, '--help'] },
    { label: 'analyze --help', args: [CLI, 'analyze', '--help'] },
    { label: 'detectors --json', args: [CLI, 'detectors', '--json'] },
  ];
  console.log(`${RUNS} runs each; load average ${load()} on ${availableParallelism()} cores`);
  const runs = cases.map((): Run[] => []);
  for (let i = 0; i < RUNS; i++) cases.forEach((each, c) => runs[c]?.push(timed(each.args)));
  const floor = median((runs[0] as Run[]).map((run) => run.seconds));
  cases.forEach((each, c) => {
    const taken = runs[c] as Run[];
    const wall = median(taken.map((run) => run.seconds));
    console.log(
      `  ${each.label.padEnd(28)} wall ${ms(wall)}  ${(wall / floor).toFixed(2)}× node -e 0  cpu ${ms(median(taken.map((run) => run.cpuSeconds)))}`,
    );
  });
  console.log(`load average ${load()}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
