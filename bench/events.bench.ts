/**
 * `npm run bench:events`: `howchain events <file> --count` on a generated 1 GiB mixed log against
 * `grep -c -F` with the same needles, in the same run, on the same (page-cached) file. Prints both
 * times, throughputs, the ratio and howchain's peak RSS. Targets (issue 3): throughput ≥ 0.5× grep's,
 * peak RSS < 300 MB. `BENCH_EVENTS_MB` changes the size; `BENCH_EVENTS_KEEP=<path>` keeps the log there.
 *
 * The log mixes what a node's evidence holds: journald-wrapped klog, `kubectl logs --timestamps`
 * klog, controller-runtime JSON, k8s-dqlite logrus, apiserver Trace blocks; about 1 line in 100 is
 * an event and as many again are near-misses that contain a needle but are not events.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_NEEDLES } from '../src/parse/classify/index.js';

const TARGET_BYTES = Number(process.env.BENCH_EVENTS_MB ?? 1024) * 1024 * 1024;
const CLI = join(import.meta.dirname, '../dist/cli/index.js');

/** Deterministic pseudo-random numbers (mulberry32), so every run measures the same bytes. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function block(next: () => number): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const lines: string[] = [];
  for (let i = 0; i < 40_000; i++) {
    const second = i % 60;
    const micros = Math.floor(next() * 1e6);
    const clock = `22:${pad(Math.floor(i / 60) % 60)}:${pad(second)}.${pad(micros, 6)}`;
    const journald = `2026-03-31T${clock}+00:00 k8s02 microk8s.daemon-kubelite[2290]: `;
    const kubectl = `2026-03-31T${clock}123Z `;
    const lease = `ns${Math.floor(next() * 40)}/lease-${Math.floor(next() * 1000)}`;
    const roll = next();
    if (roll < 0.002)
      lines.push(
        `${kubectl}I0331 ${clock}       1 leaderelection.go:283] failed to renew lease ${lease}: timed out waiting for the condition`,
      );
    else if (roll < 0.004)
      lines.push(
        `${kubectl}E0331 ${clock}       1 leaderelection.go:330] error retrieving resource lock ${lease}: Get "https://10.152.183.1:443/apis/coordination.k8s.io/v1/namespaces/x/leases/y?timeout=5s": context deadline exceeded`,
      );
    else if (roll < 0.005)
      lines.push(`${journald}E0331 ${clock}    2290 controllermanager.go:318] "leaderelection lost"`);
    else if (roll < 0.007)
      lines.push(
        `${journald}I0331 ${clock}    2290 trace.go:236] Trace[${Math.floor(next() * 2e9)}]: "Update" url:/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler,verb:PUT (31-Mar-2026 ${clock.slice(0, 12)}) (total time: ${500 + Math.floor(next() * 9000)}ms):`,
      );
    else if (roll < 0.008)
      lines.push(
        `${journald}{"level":"warn","ts":"2026-03-31T${clock.slice(0, 12)}Z","logger":"etcd-client","caller":"v3@v3.6.4/retry_interceptor.go:65","msg":"retrying of unary invoker failed","attempt":0,"error":"rpc error: code = DeadlineExceeded desc = context deadline exceeded"}`,
      );
    else if (roll < 0.01)
      lines.push(
        `${journald}E0331 ${clock}    2290 pod_workers.go:1300] "Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"c\\" with CrashLoopBackOff: \\"back-off 5m0s restarting failed container=c pod=p_ns(u)\\"" pod="ns/p-${i}"`,
      );
    // Near-misses: contain a needle or the words, are not events.
    else if (roll < 0.015)
      lines.push(
        `${kubectl}I0331 ${clock}       1 leaderelection.go:250] attempting to acquire leader lease ${lease}...`,
      );
    else if (roll < 0.02)
      lines.push(
        `${journald}I0331 ${clock}    2290 round_trippers.go:553] GET https://127.0.0.1:16443/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler?timeout=15s 200 OK in ${Math.floor(next() * 30)} milliseconds`,
      );
    else if (roll < 0.4)
      lines.push(
        `${journald}I0331 ${clock}    2290 reflector.go:${Math.floor(next() * 900)}] Listing and watching *v1.Pod from k8s.io/client-go/informers/factory.go:${Math.floor(next() * 200)} resourceVersion=${Math.floor(next() * 1e9)}`,
      );
    else if (roll < 0.7)
      lines.push(
        `${kubectl}{"level":"info","ts":"2026-03-31T${clock.slice(0, 12)}Z","logger":"controller.deployment","msg":"Reconciling","namespace":"ns${Math.floor(next() * 40)}","name":"app-${Math.floor(next() * 5000)}","reconcileID":"${Math.floor(next() * 1e12).toString(16)}"}`,
      );
    else if (roll < 0.85)
      lines.push(
        `2026-03-31T${clock}+00:00 k8s02 microk8s.daemon-k8s-dqlite[1842]: time="2026-03-31T${clock.slice(0, 8)}Z" level=debug msg="LIST /registry/pods/, start=/registry/pods/, limit=500, rev=${Math.floor(next() * 1e8)} => rev=${Math.floor(next() * 1e8)}, kvs=${Math.floor(next() * 500)}, err=<nil>"`,
      );
    else
      lines.push(
        `${journald}I0331 ${clock}    2290 httplog.go:132] "HTTP" verb="GET" URI="/api/v1/namespaces/ns${Math.floor(next() * 40)}/pods?limit=500" latency="${Math.floor(next() * 90)}.${Math.floor(next() * 1000)}ms" userAgent="kubelite/v1.34.5" audit-ID="${Math.floor(next() * 1e15).toString(16)}" srcIP="127.0.0.1:${30000 + Math.floor(next() * 30000)}" resp=200`,
      );
  }
  return `${lines.join('\n')}\n`;
}

function generate(path: string): number {
  const next = random(20260401);
  const fd = openSync(path, 'w');
  let written = 0;
  try {
    // A few distinct blocks, repeated: realistic bytes without spending the benchmark generating them.
    const blocks = [0, 1, 2, 3].map(() => Buffer.from(block(next)));
    for (let i = 0; written < TARGET_BYTES; i++) {
      const chunk = blocks[i % blocks.length] as Buffer;
      writeSync(fd, chunk);
      written += chunk.length;
    }
  } finally {
    closeSync(fd);
  }
  return written;
}

function timed(command: string, args: string[]): { seconds: number; stdout: string; rssBytes: number } {
  const started = process.hrtime.bigint();
  const run = spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.status !== 0 && !(command === 'grep' && run.status === 1)) {
    throw new Error(`${command} failed (${run.status}): ${run.stderr}`);
  }
  const lines = run.stderr.trim().split('\n');
  return { seconds, stdout: run.stdout, rssBytes: Number(lines[lines.length - 1]) * 1024 };
}

const dir = mkdtempSync(join(tmpdir(), 'howchain-bench-events-'));
try {
  const log = process.env.BENCH_EVENTS_KEEP ?? join(dir, 'mixed.log');
  const needles = join(dir, 'needles.txt');
  writeFileSync(needles, `${EVENT_NEEDLES.join('\n')}\n`);
  process.stderr.write(`generating ${Math.round(TARGET_BYTES / 2 ** 20)} MiB in ${dir} …\n`);
  const bytes = generate(log);
  // Warm the page cache so both tools read from memory.
  readFileSync(needles);
  spawnSync('cat', [log], { stdio: ['ignore', 'ignore', 'inherit'] });

  const grep = timed('grep', ['-c', '-F', '-f', needles, log]);
  const howchain = timed(process.execPath, [CLI, 'events', log, '--count', '--json']);
  const counted = JSON.parse(howchain.stdout) as { count: number; byKind: Record<string, number> };
  const gb = bytes / 1e9;
  const grepRate = gb / grep.seconds;
  const howchainRate = gb / howchain.seconds;
  const ratio = howchainRate / grepRate;
  const mb = (value: number) => `${(value / 2 ** 20).toFixed(0)} MB`;
  console.log(
    [
      `input:                         ${mb(bytes)} mixed log, ${EVENT_NEEDLES.length} needles`,
      `grep -c -F -f needles:         ${grep.seconds.toFixed(2)} s  (${grepRate.toFixed(2)} GB/s, ${grep.stdout.trim()} candidate lines)`,
      `howchain events --count:       ${howchain.seconds.toFixed(2)} s  (${howchainRate.toFixed(2)} GB/s, ${counted.count} events)`,
      `throughput ratio (howchain/grep): ${ratio.toFixed(2)}  (target ≥ 0.5) ${ratio >= 0.5 ? 'ok' : 'UNDER'}`,
      `peak RSS (howchain):           ${mb(howchain.rssBytes)}  (target < 300 MB) ${howchain.rssBytes < 300 * 2 ** 20 ? 'ok' : 'OVER'}`,
      `events by kind:                ${JSON.stringify(counted.byKind)}`,
    ].join('\n'),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
