/**
 * Writes samples/bundle: a small, synthetic reproduction of the incident in
 * ../shared/reference/pir-2026-04-01-dqlite-snapshot-bloat.md (3-node MicroK8s, five controllers
 * crash-looping on lease loss while dqlite writes 215 MB snapshots every ~2 minutes).
 *
 * Deterministic: a fixed seed and fixed times, so re-running it reproduces the committed files byte
 * for byte (`npm run sample`). Every line uses the exact shapes in ../shared/docs/bundles-and-signatures.md
 * so the ingest parsers classify it as they would a real bundle. The statistics must stay honest, so the
 * simulation also makes snapshots that stall nothing, failures far from any snapshot, and slow failures
 * just outside the renew deadline. The real dqlite snapshot copies in k8s02/backend-snapshots/ are
 * written by scripts/dqlite-generator, not here, under the names this script gives the newest snapshots
 * in the k8s02 listings: a change to the random sequence renames them, so regenerate both together.
 *
 * Usage: node --import tsx scripts/make-sample-bundle.ts [outDir]
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { seededRandom } from '../src/analyze/correlate.js';
import { iso, journal, klog, pad } from './_log-shapes.js';

const outDir = process.argv[2] ?? 'samples/bundle';
const random = seededRandom(20260401);
const between = (lo: number, hi: number) => lo + random() * (hi - lo);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');

const S = 1000;
const MIN = 60 * S;
const at = (iso: string) => Date.parse(iso);
/** Log window of the controller logs and the snapshot inventory (08:00–10:00 AEST). */
const windowStart = at('2026-03-31T22:00:00Z');
const windowEnd = at('2026-04-01T00:00:00Z');
/** When the kubectl dumps and listings were taken (16:10 AEST, after the watch stream broke). */
const collectedAt = at('2026-04-01T06:10:00Z');
const SNAPSHOT_BYTES = 225_443_840;

const files = new Map<string, string>();
function write(path: string, lines: string[] | string): void {
  files.set(path, Array.isArray(lines) ? `${lines.join('\n')}\n` : lines);
}

// ---------------------------------------------------------------------------------------------
// Time formats

/** RFC3339Nano fixed 9 digits, as `kubectl logs --timestamps` prints. */
function rfc3339NanoFixed(ms: number, extraNanos: number): string {
  const d = new Date(ms);
  const frac = `${pad(d.getUTCMilliseconds(), 3)}${pad(extraNanos, 6)}`;
  return `${d.toISOString().slice(0, 19)}.${frac}Z`;
}
/** containerd's CRI stamp: RFC3339Nano with trailing zeros trimmed. */
function rfc3339NanoTrimmed(ms: number, extraNanos: number): string {
  const frac = `${pad(new Date(ms).getUTCMilliseconds(), 3)}${pad(extraNanos, 6)}`.replace(/0+$/, '');
  return `${iso(ms).slice(0, 19)}${frac ? `.${frac}` : ''}Z`;
}
/** `ls -l --full-time`: 2026-04-01 06:07:41.123456789 +0000 */
function lsTime(ms: number): string {
  return `${iso(ms).slice(0, 10)} ${iso(ms).slice(11, 23)}${pad(Math.floor(random() * 1e6), 6)} +0000`;
}
/** kubectl HumanDuration for ages, as `kubectl get` prints them. */
function humanAge(ms: number): string {
  const s = Math.floor(ms / S);
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 ? `${m}m${s % 60}s` : `${m}m`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 8) return h % 24 ? `${d}d${h % 24}h` : `${d}d`;
  if (d < 730) return `${d}d`;
  const y = Math.floor(d / 365);
  return d % 365 ? `${y}y${d % 365}d` : `${y}y`;
}

// ---------------------------------------------------------------------------------------------
// dqlite snapshots on k8s02 (the dqlite leader): every ~2 minutes, 215 MB each.

interface Snapshot {
  node: string;
  at: number;
  bytes: number;
  name: string;
  /** How long the API server stalled after this snapshot (0: the checkpoint was quick). */
  stallSeconds: number;
}

const boots: Record<string, number> = {
  k8s01: at('2026-03-12T03:11:52Z'),
  k8s02: at('2026-03-12T03:14:07Z'),
  k8s03: at('2026-03-12T03:16:40Z'),
};
let raftIndex = 183_402_118;
function snapshotName(node: string, when: number): string {
  raftIndex += 500 + Math.floor(random() * 40);
  return `snapshot-4-${raftIndex}-${when - boots[node]!}`;
}

const snapshots: Snapshot[] = [];
for (
  let t = windowStart - 2 * MIN + between(20, 60) * S;
  t < windowEnd + 3 * MIN;
  t += between(95, 150) * S
) {
  const when = Math.round(t);
  // About a third of the checkpoints finish quickly and stall nothing.
  const stallSeconds = random() < 0.32 ? 0 : between(8, 26);
  snapshots.push({
    node: 'k8s02',
    at: when,
    bytes: SNAPSHOT_BYTES + Math.round(between(-400_000, 900_000)),
    name: snapshotName('k8s02', when),
    stallSeconds,
  });
}

// ---------------------------------------------------------------------------------------------
// The five controllers: lease loss → exit → CrashLoopBackOff → restart → acquire → …

type LogStyle = 'zap-iso' | 'zap-epoch-klog' | 'klog' | 'klog-cri';
interface Controller {
  namespace: string;
  deployment: string;
  pod: string;
  container: string;
  lease: string;
  style: LogStyle;
  node: string;
  image: string;
  restarts: number;
  /** Client-go generation: decides the renew-failure text and klog line numbers. */
  clientGo: 'old' | 'new';
  fatal: string;
}

const controllers: Controller[] = [
  {
    namespace: 'ci',
    deployment: 'awx-operator-controller-manager',
    pod: 'awx-operator-controller-manager-6d9f7c5b8-x2k9p',
    container: 'awx-manager',
    lease: 'ci/awx-operator',
    style: 'zap-iso',
    node: 'k8s01',
    image: 'quay.io/ansible/awx-operator:2.19.1',
    restarts: 712,
    clientGo: 'new',
    fatal: '',
  },
  {
    namespace: 'ci',
    deployment: 'gh-arc-actions-runner-controller',
    pod: 'gh-arc-actions-runner-controller-7c8b9d6f5-q4w7z',
    container: 'manager',
    lease: 'ci/actions-runner-controller',
    style: 'zap-epoch-klog',
    node: 'k8s03',
    image: 'summerwind/actions-runner-controller:v0.27.6',
    restarts: 688,
    clientGo: 'old',
    fatal: '',
  },
  {
    namespace: 'openebs',
    deployment: 'openebs-localpv-provisioner',
    pod: 'openebs-localpv-provisioner-5f6b7c8d9-m3n4p',
    container: 'openebs-provisioner-hostpath',
    lease: 'openebs/openebs.io-local',
    style: 'klog',
    node: 'k8s02',
    image: 'openebs/provisioner-localpv:2.12.0',
    restarts: 701,
    clientGo: 'old',
    fatal: 'controller.go:897] leaderelection lost',
  },
  {
    namespace: 'kube-system',
    deployment: 'hostpath-provisioner',
    pod: 'hostpath-provisioner-7b9cb5b8d-4kx7d',
    container: 'hostpath-provisioner',
    lease: 'kube-system/microk8s.io-hostpath',
    style: 'klog-cri',
    node: 'k8s02',
    image: 'cdkbot/hostpath-provisioner:1.3.0',
    restarts: 455,
    clientGo: 'old',
    fatal: 'controller.go:897] leaderelection lost',
  },
  {
    namespace: 'kube-system',
    deployment: 'csi-nfs-controller',
    pod: 'csi-nfs-controller-6c8d7b9f4-r5t6u',
    container: 'csi-provisioner',
    lease: 'kube-system/csi-nfs',
    style: 'klog',
    node: 'k8s03',
    image: 'registry.k8s.io/sig-storage/csi-provisioner:v3.5.0',
    restarts: 640,
    clientGo: 'new',
    fatal: 'leader_election.go:184] stopped leading',
  },
];

interface Line {
  at: number;
  text: string;
}
interface Failure {
  lease: string;
  at: number;
}
const failures: Failure[] = [];

function leaseUrl(lease: string): string {
  const [ns, name] = lease.split('/');
  return `https://10.152.183.1:443/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/${name}?timeout=5s`;
}

/** The leader-election lines of one failure and the restart after it, in the controller's log style. */
function failureLines(c: Controller, failAt: number, restartAt: number, acquireAt: number): Line[] {
  const renewText =
    c.clientGo === 'old' ? 'timed out waiting for the condition' : 'context deadline exceeded';
  const [lRetrieve, lRenew, lAttempt, lAcquired] =
    c.clientGo === 'old' ? [330, 283, 248, 258] : [358, 297, 257, 271];
  const retrieveAt = failAt - Math.round(between(1500, 4500));
  const retrieveMsg = `error retrieving resource lock ${c.lease}: Get "${leaseUrl(c.lease)}": context deadline exceeded`;
  const renewMsg = `failed to renew lease ${c.lease}: ${renewText}`;
  const lines: Line[] = [];
  const us = () => Math.floor(random() * 1000);
  if (c.style === 'zap-iso') {
    const z = (ms: number, level: string, rest: string) => `{"level":"${level}","ts":"${iso(ms)}",${rest}}`;
    lines.push({ at: retrieveAt, text: z(retrieveAt, 'error', `"msg":${JSON.stringify(retrieveMsg)}`) });
    lines.push({ at: failAt, text: z(failAt, 'info', `"msg":${JSON.stringify(renewMsg)}`) });
    lines.push({
      at: failAt + 2,
      text: z(
        failAt + 2,
        'error',
        '"logger":"cmd","msg":"Manager exited non-zero.","error":"leader election lost","stacktrace":"main.main\\n\\t/workspace/cmd/ansible-operator/main.go:40\\nruntime.main\\n\\t/usr/local/go/src/runtime/proc.go:272"',
      ),
    });
    lines.push({
      at: restartAt,
      text: z(
        restartAt,
        'info',
        '"logger":"cmd","msg":"Version","Go Version":"go1.22.7","GOOS":"linux","GOARCH":"amd64","ansible-operator":"v1.36.1"',
      ),
    });
    lines.push({
      at: restartAt + 40,
      text: z(
        restartAt + 40,
        'info',
        `"msg":${JSON.stringify(`attempting to acquire leader lease ${c.lease}...`)}`,
      ),
    });
    lines.push({
      at: acquireAt,
      text: z(acquireAt, 'info', `"msg":${JSON.stringify(`successfully acquired lease ${c.lease}`)}`),
    });
    return lines;
  }
  const pid = 1;
  const k = (level: 'I' | 'E' | 'F', ms: number, where: string) =>
    klog(level, ms, us(), pid, where, '').slice(0, -2);
  lines.push({
    at: retrieveAt,
    text: `${k('E', retrieveAt, `leaderelection.go:${lRetrieve}`)}] ${retrieveMsg}`,
  });
  lines.push({ at: failAt, text: `${k('I', failAt, `leaderelection.go:${lRenew}`)}] ${renewMsg}` });
  if (c.style === 'zap-epoch-klog') {
    lines.push({
      at: failAt + 3,
      text: `{"level":"error","ts":${((failAt + 3) / 1000).toFixed(7)},"logger":"setup","msg":"problem running manager","error":"leader election lost"}`,
    });
    lines.push({
      at: restartAt,
      text: `{"level":"info","ts":${(restartAt / 1000).toFixed(7)},"logger":"setup","msg":"starting manager"}`,
    });
  } else {
    const [where, msg] = c.fatal.split('] ');
    lines.push({ at: failAt + 1, text: `${k('F', failAt + 1, where!)}] ${msg}` });
    lines.push({ at: restartAt, text: `${k('I', restartAt, 'main.go:128')}] Starting ${c.deployment}` });
  }
  lines.push({
    at: restartAt + 35,
    text: `${k('I', restartAt + 35, `leaderelection.go:${lAttempt}`)}] attempting to acquire leader lease ${c.lease}...`,
  });
  lines.push({
    at: acquireAt,
    text: `${k('I', acquireAt, `leaderelection.go:${lAcquired}`)}] successfully acquired lease ${c.lease}`,
  });
  return lines;
}

function simulate(c: Controller): Line[] {
  const lines: Line[] = [];
  let running = windowStart - Math.round(between(0, 90) * S);
  for (;;) {
    // A failure far from any snapshot (a GC pause, a node hiccup…): about one an hour.
    const background = running + Math.round(-Math.log(1 - random()) * 60 * MIN);
    let snapshotCaused = Infinity;
    for (const s of snapshots) {
      if (s.at < running || s.stallSeconds === 0) continue;
      if (random() < 0.55) {
        // Most lose the lease inside the 10 s renew deadline; long stalls push some past it.
        const lag = random() < 0.8 ? between(2, 9.6) : between(10.5, Math.max(11, s.stallSeconds));
        snapshotCaused = s.at + Math.round(lag * S);
        break;
      }
    }
    const failAt = Math.min(background, snapshotCaused);
    if (failAt > windowEnd) break;
    const restartAt = failAt + Math.round(between(20, 160) * S);
    const acquireAt = restartAt + Math.round(between(2, 16) * S);
    failures.push({ lease: c.lease, at: failAt });
    lines.push(...failureLines(c, failAt, restartAt, acquireAt));
    running = acquireAt;
  }
  return lines;
}

function controllerLog(c: Controller, lines: Line[]): string[] {
  return lines
    .sort((a, b) => a.at - b.at)
    .map(({ at: when, text }) => {
      const nanos = Math.floor(random() * 1e6);
      if (c.style === 'klog-cri') return `${rfc3339NanoTrimmed(when, nanos)} stderr F ${text}`;
      if (c.style === 'zap-iso') return text;
      return `${rfc3339NanoFixed(when, nanos)} ${text}`;
    });
}

for (const c of controllers) {
  const lines = controllerLog(c, simulate(c));
  const path =
    c.style === 'klog-cri'
      ? `k8s02/var-log-pods/${c.namespace}_${c.pod}_3f1d2c4b-8e7a-4f60-9b1c-5d2e7a9c0b11/${c.container}/0.log`
      : `logs/${c.namespace}/${c.pod}/${c.container}.log`;
  write(path, lines);
}

// gh-arc, the next day: the unsupported leader-election flags patched onto the Deployment.
{
  const t = at('2026-04-02T04:58:11.402Z');
  write('logs/ci/gh-arc-actions-runner-controller-7c8b9d6f5-q4w7z/manager-previous.log', [
    `${rfc3339NanoFixed(t, 118204)} flag provided but not defined: -lease-duration`,
    `${rfc3339NanoFixed(t, 118911)} Usage of /manager:`,
    `${rfc3339NanoFixed(t, 119020)}   -enable-leader-election`,
    `${rfc3339NanoFixed(t, 119044)}     \tEnable leader election for controller manager. Enabling this will ensure there is only one active controller manager.`,
    `${rfc3339NanoFixed(t, 119061)}   -leader-election-id string`,
    `${rfc3339NanoFixed(t, 119080)}     \tController id for leader election. (default "actions-runner-controller")`,
    `${rfc3339NanoFixed(t, 119102)}   -sync-period duration`,
    `${rfc3339NanoFixed(t, 119120)}     \tDetermines the minimum frequency at which K8s resources managed by this controller are reconciled. (default 1m0s)`,
  ]);
}

// ---------------------------------------------------------------------------------------------
// kube-controller-manager inside kubelite on k8s03: MicroK8s gives it a 30 s renew deadline, so it
// loses its lease only on the longest stalls, 20–30 s after the snapshot (outside a 10 s window).

function kubeliteJournal(host: string, pid0: number, extra: Line[]): string[] {
  let pid = pid0;
  /** kubelite's PID over time: every restart is a new process. */
  const pids: [number, number][] = [[-Infinity, pid0]];
  const pidAt = (ms: number) => pids.filter(([from]) => from <= ms).at(-1)![1];
  const out: Line[] = [...extra];
  const ident = () => `microk8s.daemon-kubelite[${pid}]`;
  if (host === 'k8s03') {
    let restartCounter = 41;
    for (const s of snapshots) {
      if (s.stallSeconds < 22 || random() < 0.5) continue;
      const failAt = s.at + Math.round(between(20, Math.min(29.5, s.stallSeconds + 4)) * S);
      failures.push({ lease: 'kube-system/kube-controller-manager', at: failAt });
      const lease = 'kube-system/kube-controller-manager';
      const msgs: [number, string][] = [
        [
          failAt - 3100,
          klog(
            'E',
            failAt - 3100,
            211,
            pid,
            'leaderelection.go:358',
            `error retrieving resource lock ${lease}: Get "https://127.0.0.1:16443/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager?timeout=15s": context deadline exceeded`,
          ),
        ],
        [
          failAt,
          klog(
            'I',
            failAt,
            104,
            pid,
            'leaderelection.go:297',
            `failed to renew lease ${lease}: context deadline exceeded`,
          ),
        ],
        [failAt + 1, klog('E', failAt + 1, 377, pid, 'controllermanager.go:336', '"leaderelection lost"')],
      ];
      for (const [when, msg] of msgs) out.push({ at: when, text: journal(when, 12, host, ident(), msg) });
      const exitAt = failAt + 40;
      out.push({
        at: exitAt,
        text: journal(
          exitAt,
          551,
          host,
          'systemd[1]',
          'snap.microk8s.daemon-kubelite.service: Main process exited, code=exited, status=1/FAILURE',
        ),
      });
      const again = failAt + 5 * S + 200;
      restartCounter++;
      out.push({
        at: again,
        text: journal(
          again,
          104,
          host,
          'systemd[1]',
          `snap.microk8s.daemon-kubelite.service: Scheduled restart job, restart counter is at ${restartCounter}.`,
        ),
      });
      pid += 1000 + Math.floor(random() * 2000);
      const start = again + 900;
      pids.push([again, pid]);
      out.push({
        at: start,
        text: journal(
          start,
          870,
          host,
          ident(),
          klog(
            'I',
            start,
            870,
            pid,
            'leaderelection.go:257',
            `attempting to acquire leader lease ${lease}...`,
          ),
        ),
      });
    }
  }
  if (host === 'k8s02') {
    // The API server on the dqlite leader times out requests while a snapshot holds the write lock.
    for (const s of snapshots) {
      if (s.stallSeconds === 0) continue;
      const n = 1 + Math.floor(random() * 3);
      for (let i = 0; i < n; i++) {
        const when = s.at + Math.round(between(0.5, Math.min(s.stallSeconds, 14)) * S);
        const lease = pick(controllers).lease;
        const [ns, name] = lease.split('/');
        const text =
          i % 2 === 0
            ? klog(
                'E',
                when,
                482,
                pid,
                'timeout.go:140',
                `"Post-timeout activity" logger="UnhandledError" timeElapsed="${between(2, 900).toFixed(1)}ms" method="PUT" path="/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/${name}" result=null`,
              )
            : klog(
                'E',
                when,
                913,
                pid,
                'writers.go:122',
                '"Unhandled Error" err="apiserver was unable to write a JSON response: http: Handler timeout" logger="UnhandledError"',
              );
        out.push({ at: when, text: journal(when, 77, host, ident(), text) });
      }
      if (random() < 0.6) {
        const when = s.at + Math.round(between(1, 6) * S);
        const json = `{"level":"warn","ts":"${iso(when)}","logger":"etcd-client","caller":"v3@v3.6.4/retry_interceptor.go:65","msg":"retrying of unary invoker failed","target":"etcd-endpoints://0xc001f2a1e0/unix:///var/snap/microk8s/current/var/kubernetes/backend/kine.sock:12379","attempt":0,"error":"rpc error: code = DeadlineExceeded desc = context deadline exceeded"}`;
        out.push({ at: when, text: journal(when, 301, host, ident(), json) });
      }
    }
  }
  // Routine lines that only mention the words: not events.
  for (let t = windowStart + 17 * S; t < windowEnd; t += 9 * MIN) {
    const p = pidAt(t);
    const msg = klog(
      'I',
      t,
      5,
      p,
      'leaderelection.go:271',
      'successfully acquired lease kube-system/kube-scheduler',
    );
    out.push({ at: t, text: journal(t, 5, host, `microk8s.daemon-kubelite[${p}]`, msg) });
  }
  return out.sort((a, b) => a.at - b.at).map((l) => l.text);
}

const k8s03Journal = kubeliteJournal('k8s03', 2316, []);
const k8s02Journal = kubeliteJournal('k8s02', 2290, []);
write('k8s03/journal/snap.microk8s.daemon-kubelite.log', k8s03Journal);
write('k8s02/journal/snap.microk8s.daemon-kubelite.log', k8s02Journal);
write('k8s01/journal/snap.microk8s.daemon-kubelite.log', kubeliteJournal('k8s01', 2271, []));

// k8s-dqlite on k8s02: restarted that morning (the tuning it logs), then range errors under the lock.
{
  const host = 'k8s02';
  const ident = 'microk8s.daemon-k8s-dqlite[1842]';
  const lines: Line[] = [];
  const start = at('2026-03-31T21:50:02.118Z');
  const logrus = (ms: number, level: string, msg: string, extra = '') =>
    `time="${iso(ms).slice(0, 19)}Z" level=${level} msg="${msg}"${extra}`;
  lines.push({
    at: start,
    text: logrus(start, 'info', 'configure dqlite raft snapshot parameters', ' threshold=512 trailing=4096'),
  });
  lines.push({
    at: start + 210,
    text: logrus(
      start + 210,
      'info',
      'k8s-dqlite listening on unix:///var/snap/microk8s/current/var/kubernetes/backend/kine.sock:12379',
    ),
  });
  for (const s of snapshots) {
    if (s.stallSeconds < 12 || random() < 0.5) continue;
    const when = s.at + Math.round(between(3, 11) * S);
    const key = pick([
      '/registry/leases/',
      '/registry/pods/',
      '/registry/crd.projectcalico.org/ipamhandles/',
    ]);
    lines.push({
      at: when,
      text: logrus(when, 'error', `error while range on ${key} ${key}: context canceled`),
    });
  }
  write(
    'k8s02/journal/snap.microk8s.daemon-k8s-dqlite.log',
    lines.sort((a, b) => a.at - b.at).map((l) => journal(l.at, 440, host, ident, l.text)),
  );
}

// ---------------------------------------------------------------------------------------------
// Snapshot records: the inventory CSV (a find loop on k8s02 over the window) and `ls -l` listings.

write('k8s02/snapshot-inventory.csv', [
  'node,path,bytes,mtime',
  ...snapshots.map(
    (s) => `${s.node},/var/snap/microk8s/current/var/kubernetes/backend/${s.name},${s.bytes},${iso(s.at)}`,
  ),
]);

function listing(node: string, when: number, snapshotBytes: number[]): string[] {
  const rows: [number, number, string][] = [
    [1_874, at('2022-08-14T03:12:55Z'), 'cluster.crt'],
    [3_272, at('2022-08-14T03:12:55Z'), 'cluster.key'],
    [198, at('2026-03-12T03:20:41Z'), 'cluster.yaml'],
    [63, at('2022-08-14T03:12:56Z'), 'info.yaml'],
    [0, at('2026-03-31T21:50:02Z'), 'kine.sock:12379'],
    [32, when - 3 * MIN, 'metadata1'],
    [32, when - 3 * MIN + 40, 'metadata2'],
  ];
  let segmentStart = raftIndex - 6000;
  for (let i = 0; i < 6; i++) {
    const last = segmentStart + 980 + Math.floor(random() * 60);
    rows.push([8_388_608, when - (6 - i) * 4 * MIN, `${pad(segmentStart, 16)}-${pad(last, 16)}`]);
    segmentStart = last + 1;
  }
  rows.push([8_388_608, when - 20 * S, 'open-1']);
  let snapAt = when - Math.round(between(150, 200) * S);
  for (const bytes of snapshotBytes) {
    const name = snapshotName(node, snapAt);
    rows.push([bytes, snapAt, name], [96, snapAt + 3, `${name}.meta`]);
    snapAt += Math.round(between(100, 140) * S);
  }
  rows.sort((a, b) => a[2].localeCompare(b[2]));
  const total = Math.ceil(rows.reduce((sum, [bytes]) => sum + bytes, 0) / 1024);
  const width = Math.max(...rows.map(([bytes]) => String(bytes).length));
  return [
    `total ${total}`,
    ...rows.map(
      ([bytes, mtime, name]) =>
        `-rw-rw---- 1 root microk8s ${String(bytes).padStart(width)} ${lsTime(mtime)} ${name}`,
    ),
  ];
}
for (const node of ['k8s01', 'k8s02', 'k8s03']) {
  write(
    `${node}/backend-ls.txt`,
    listing(node, collectedAt - 40 * S, [SNAPSHOT_BYTES + 310_000, SNAPSHOT_BYTES + 402_000]),
  );
}
// After the IPAM cleanup and the maintenance playbook's online VACUUM (2026-04-02).
write(
  'k8s02/backend-ls-after-vacuum.txt',
  listing('k8s02', at('2026-04-02T05:30:00Z'), [21_971_012, 21_983_440]),
);

// ---------------------------------------------------------------------------------------------
// kubectl dumps, taken at collectedAt.

const ts = (ms: number) => `${iso(ms).slice(0, 19)}Z`;
const created = at('2022-08-14T03:30:00Z');
const lastExit = collectedAt - 3 * MIN;

interface PodSpec {
  namespace: string;
  name: string;
  node: string | null;
  phase: string;
  containers: {
    name: string;
    image: string;
    restarts: number;
    waiting?: string;
    waitingMessage?: string;
    args?: string[];
    lastExit?: number;
    env?: { name: string; value?: string; valueFrom?: unknown }[];
  }[];
  createdAt: number;
  owner?: string;
}

const podSpecs: PodSpec[] = [
  ...controllers.map((c): PodSpec => {
    const containers: PodSpec['containers'] = [
      {
        name: c.container,
        image: c.image,
        restarts: c.restarts,
        waiting: 'CrashLoopBackOff',
        waitingMessage: `back-off 5m0s restarting failed container=${c.container} pod=${c.pod}_${c.namespace}(${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)})`,
        lastExit,
        args:
          c.deployment === 'awx-operator-controller-manager'
            ? [
                '--health-probe-bind-address=:6789',
                '--metrics-bind-address=127.0.0.1:8080',
                '--leader-elect',
                '--leader-election-id=awx-operator',
              ]
            : ['--v=2', '--leader-election'],
      },
    ];
    if (c.deployment === 'awx-operator-controller-manager') {
      containers.unshift({
        name: 'kube-rbac-proxy',
        image: 'gcr.io/kubebuilder/kube-rbac-proxy:v0.15.0',
        restarts: 0,
        waiting: 'ImagePullBackOff',
        waitingMessage: 'Back-off pulling image "gcr.io/kubebuilder/kube-rbac-proxy:v0.15.0"',
        args: ['--secure-listen-address=0.0.0.0:8443', '--upstream=http://127.0.0.1:8080/', '--v=0'],
      });
    }
    return {
      namespace: c.namespace,
      name: c.pod,
      node: c.node,
      phase: 'Running',
      containers,
      createdAt: collectedAt - 55 * 24 * 60 * MIN,
      owner: c.pod.replace(/-[a-z0-9]{5}$/, ''),
    };
  }),
  {
    namespace: 'kube-system',
    name: 'calico-kube-controllers-77bd7c5b-x8xkq',
    node: 'k8s01',
    phase: 'Running',
    containers: [
      { name: 'calico-kube-controllers', image: 'docker.io/calico/kube-controllers:v3.13.2', restarts: 3 },
    ],
    createdAt: created,
    owner: 'calico-kube-controllers-77bd7c5b',
  },
  ...['k8s01', 'k8s02', 'k8s03'].map((node, i): PodSpec => ({
    namespace: 'kube-system',
    name: `calico-node-${['7xk2p', 'b9d4w', 'q2m8t'][i]}`,
    node,
    phase: 'Running',
    containers: [{ name: 'calico-node', image: 'docker.io/calico/node:v3.13.2', restarts: 2 + i }],
    createdAt: created,
  })),
  {
    namespace: 'kube-system',
    name: 'coredns-864597b5fd-9nq2d',
    node: 'k8s03',
    phase: 'Running',
    containers: [{ name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.11.3', restarts: 4 }],
    createdAt: created,
    owner: 'coredns-864597b5fd',
  },
  {
    namespace: 'default',
    name: 'test-stream-pod',
    node: null,
    phase: 'Pending',
    containers: [{ name: 'nginx', image: 'docker.io/library/nginx:1.27' }].map((c) => ({
      ...c,
      restarts: 0,
    })),
    createdAt: at('2026-04-01T05:02:13Z'),
  },
];

function podObject(p: PodSpec) {
  const uid = `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
  const pending = p.phase === 'Pending';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      creationTimestamp: ts(p.createdAt),
      name: p.name,
      namespace: p.namespace,
      ...(p.owner
        ? {
            ownerReferences: [
              {
                apiVersion: 'apps/v1',
                kind: p.owner.includes('calico-node') ? 'DaemonSet' : 'ReplicaSet',
                name: p.owner,
                uid,
                controller: true,
              },
            ],
          }
        : {}),
      uid,
    },
    spec: {
      containers: p.containers.map((c) => ({
        name: c.name,
        image: c.image,
        ...(c.args ? { args: c.args } : {}),
        ...(c.env ? { env: c.env } : {}),
      })),
      ...(p.node ? { nodeName: p.node } : {}),
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
    },
    status: pending
      ? { phase: 'Pending', qosClass: 'BestEffort' }
      : {
          conditions: [
            {
              type: 'Ready',
              status: p.containers.every((c) => !c.waiting) ? 'True' : 'False',
              lastTransitionTime: ts(lastExit),
            },
          ],
          containerStatuses: p.containers.map((c) => ({
            name: c.name,
            image: c.image,
            imageID: c.waiting === 'ImagePullBackOff' ? '' : `${c.image.split(':')[0]}@sha256:${hex(64)}`,
            ready: !c.waiting,
            restartCount: c.restarts,
            started: !c.waiting,
            state: c.waiting
              ? { waiting: { reason: c.waiting, message: c.waitingMessage } }
              : { running: { startedAt: ts(created + 3 * 24 * 60 * MIN) } },
            lastState: c.lastExit
              ? {
                  terminated: {
                    exitCode: 1,
                    reason: 'Error',
                    startedAt: ts(c.lastExit - Math.round(between(30, 200)) * S),
                    finishedAt: ts(c.lastExit),
                  },
                }
              : {},
          })),
          hostIP: `10.0.0.${11 + ['k8s01', 'k8s02', 'k8s03'].indexOf(p.node ?? 'k8s01')}`,
          phase: 'Running',
          podIP: `10.1.${7 + Math.floor(random() * 3)}.${10 + Math.floor(random() * 200)}`,
          qosClass: 'BestEffort',
          startTime: ts(p.createdAt),
        },
  };
}
const list = (items: unknown[]) => ({
  apiVersion: 'v1',
  items,
  kind: 'List',
  metadata: { resourceVersion: '' },
});
const json4 = (value: unknown) => `${JSON.stringify(value, null, 4)}\n`;

write('kubectl/pods.json', json4(list(podSpecs.map(podObject))));

// `kubectl get pods -A -o wide`
{
  const header = [
    'NAMESPACE',
    'NAME',
    'READY',
    'STATUS',
    'RESTARTS',
    'AGE',
    'IP',
    'NODE',
    'NOMINATED NODE',
    'READINESS GATES',
  ];
  const rows = podSpecs.map((p) => {
    const restarts = p.containers.reduce((n, c) => n + c.restarts, 0);
    const ready = p.containers.filter((c) => !c.waiting).length;
    const status =
      p.phase === 'Pending' ? 'Pending' : (p.containers.find((c) => c.waiting)?.waiting ?? 'Running');
    const lastAgo = p.containers.some((c) => c.lastExit)
      ? ` (${humanAge(collectedAt - lastExit)} ago)`
      : restarts
        ? ' (6d22h ago)'
        : '';
    return [
      p.namespace,
      p.name,
      `${p.phase === 'Pending' ? 0 : ready}/${p.containers.length}`,
      status,
      `${restarts}${restarts ? lastAgo : ''}`,
      humanAge(collectedAt - p.createdAt),
      p.phase === 'Pending' ? '<none>' : `10.1.7.${20 + podSpecs.indexOf(p)}`,
      p.node ?? '<none>',
      '<none>',
      '<none>',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) =>
    r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]! + 3))).join('');
  write('kubectl/pods-wide.txt', [fmt(header), ...rows.map(fmt)]);
}

// Leases (`kubectl get leases -A -o yaml`).
{
  const lease = (
    ns: string,
    name: string,
    holder: string,
    duration: number,
    transitions: number,
    renew: number,
  ) => [
    '- apiVersion: coordination.k8s.io/v1',
    '  kind: Lease',
    '  metadata:',
    `    creationTimestamp: "${ts(created)}"`,
    `    name: ${name}`,
    `    namespace: ${ns}`,
    `    resourceVersion: "${183_400_000 + Math.floor(random() * 90_000)}"`,
    `    uid: ${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
    '  spec:',
    `    acquireTime: "${iso(renew - Math.round(between(30, 200) * S)).slice(0, 19)}.${pad(Math.floor(random() * 1e6), 6)}Z"`,
    `    holderIdentity: ${holder}`,
    `    leaseDurationSeconds: ${duration}`,
    `    leaseTransitions: ${transitions}`,
    `    renewTime: "${iso(renew).slice(0, 19)}.${pad(Math.floor(random() * 1e6), 6)}Z"`,
  ];
  const lines = ['apiVersion: v1', 'items:'];
  for (const c of controllers) {
    const [ns, name] = c.lease.split('/');
    lines.push(
      ...lease(
        ns!,
        name!,
        `${c.pod}_${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
        15,
        c.restarts + 1,
        collectedAt - 70 * S,
      ),
    );
  }
  lines.push(
    ...lease(
      'kube-system',
      'kube-controller-manager',
      `k8s03_${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
      60,
      388,
      collectedAt - 9 * S,
    ),
  );
  lines.push(
    ...lease(
      'kube-system',
      'kube-scheduler',
      `k8s01_${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
      60,
      97,
      collectedAt - 4 * S,
    ),
  );
  for (const node of ['k8s01', 'k8s02', 'k8s03'])
    lines.push(...lease('kube-node-lease', node, node, 40, 0, collectedAt - 6 * S));
  lines.push('kind: List', 'metadata:', '  resourceVersion: ""');
  write('kubectl/leases.yaml', lines);
}

// Deployments (`kubectl get deploy -A -o yaml`): calico-kube-controllers with only the node controller;
// awx-operator and a test Deployment whose new generations nobody observed.
{
  const deploy = (d: {
    ns: string;
    name: string;
    generation: number;
    observed: number | null;
    replicas: number;
    ready: number;
    containers: {
      name: string;
      image: string;
      args?: string[];
      env?: [string, string][];
      secretEnv?: [string, string, string][];
    }[];
  }) => {
    const out = [
      '- apiVersion: apps/v1',
      '  kind: Deployment',
      '  metadata:',
      `    creationTimestamp: "${ts(created)}"`,
      `    generation: ${d.generation}`,
      `    name: ${d.name}`,
      `    namespace: ${d.ns}`,
      `    uid: ${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
      '  spec:',
      `    replicas: ${d.replicas}`,
      '    template:',
      '      spec:',
      '        containers:',
    ];
    for (const c of d.containers) {
      out.push(`        - name: ${c.name}`, `          image: ${c.image}`);
      if (c.args) out.push('          args:', ...c.args.map((a) => `          - ${a}`));
      if (c.env || c.secretEnv) {
        out.push('          env:');
        for (const [name, value] of c.env ?? [])
          out.push(`          - name: ${name}`, `            value: ${value}`);
        for (const [name, secret, key] of c.secretEnv ?? [])
          out.push(
            `          - name: ${name}`,
            '            valueFrom:',
            '              secretKeyRef:',
            `                name: ${secret}`,
            `                key: ${key}`,
          );
      }
    }
    out.push('  status:');
    if (d.observed !== null) out.push(`    observedGeneration: ${d.observed}`);
    out.push(`    replicas: ${d.replicas}`);
    if (d.ready) out.push(`    readyReplicas: ${d.ready}`);
    out.push(`    unavailableReplicas: ${d.replicas - d.ready}`);
    return out;
  };
  const lines = ['apiVersion: v1', 'items:'];
  lines.push(
    ...deploy({
      ns: 'kube-system',
      name: 'calico-kube-controllers',
      generation: 3,
      observed: 3,
      replicas: 1,
      ready: 1,
      containers: [
        {
          name: 'calico-kube-controllers',
          image: 'docker.io/calico/kube-controllers:v3.13.2',
          env: [
            ['ENABLED_CONTROLLERS', 'node'],
            ['DATASTORE_TYPE', 'kubernetes'],
          ],
        },
      ],
    }),
  );
  for (const c of controllers) {
    const awx = c.deployment === 'awx-operator-controller-manager';
    lines.push(
      ...deploy({
        ns: c.namespace,
        name: c.deployment,
        generation: awx ? 9 : 4,
        observed: awx ? 8 : 4,
        replicas: 1,
        ready: 0,
        containers: [
          ...(awx
            ? [{ name: 'kube-rbac-proxy', image: 'registry.k8s.io/kubebuilder/kube-rbac-proxy:v0.15.0' }]
            : []),
          {
            name: c.container,
            image: c.image,
            args: awx
              ? [
                  '--health-probe-bind-address=:6789',
                  '--leader-elect',
                  '--leader-election-id=awx-operator',
                  '--leader-elect-lease-duration=60s',
                  '--leader-elect-renew-deadline=40s',
                ]
              : ['--v=2', '--leader-election'],
            ...(c.deployment === 'gh-arc-actions-runner-controller'
              ? {
                  secretEnv: [
                    ['GITHUB_TOKEN', 'controller-manager', 'github_token'] as [string, string, string],
                  ],
                }
              : {}),
          },
        ],
      }),
    );
  }
  lines.push(
    ...deploy({
      ns: 'default',
      name: 'test-stream',
      generation: 1,
      observed: null,
      replicas: 1,
      ready: 0,
      containers: [{ name: 'nginx', image: 'docker.io/library/nginx:1.27' }],
    }),
  );
  lines.push('kind: List', 'metadata:', '  resourceVersion: ""');
  write('kubectl/deployments.yaml', lines);
}

// Nodes (`kubectl get nodes -o json`): k8s02 under DiskPressure.
{
  const nodeObject = (name: string, diskPressure: boolean) => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { creationTimestamp: ts(created), name, labels: { 'kubernetes.io/hostname': name } },
    status: {
      conditions: [
        {
          type: 'MemoryPressure',
          status: 'False',
          reason: 'KubeletHasSufficientMemory',
          message: 'kubelet has sufficient memory available',
          lastHeartbeatTime: ts(collectedAt - 40 * S),
          lastTransitionTime: ts(created),
        },
        diskPressure
          ? {
              type: 'DiskPressure',
              status: 'True',
              reason: 'KubeletHasDiskPressure',
              message: 'kubelet has disk pressure',
              lastHeartbeatTime: ts(collectedAt - 40 * S),
              lastTransitionTime: '2026-03-31T23:12:09Z',
            }
          : {
              type: 'DiskPressure',
              status: 'False',
              reason: 'KubeletHasNoDiskPressure',
              message: 'kubelet has no disk pressure',
              lastHeartbeatTime: ts(collectedAt - 40 * S),
              lastTransitionTime: ts(created),
            },
        {
          type: 'PIDPressure',
          status: 'False',
          reason: 'KubeletHasSufficientPID',
          message: 'kubelet has sufficient PID available',
          lastHeartbeatTime: ts(collectedAt - 40 * S),
          lastTransitionTime: ts(created),
        },
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
          lastHeartbeatTime: ts(collectedAt - 40 * S),
          lastTransitionTime: ts(created + 3 * 24 * 60 * MIN),
        },
      ],
      nodeInfo: {
        kubeletVersion: 'v1.34.5',
        containerRuntimeVersion: 'containerd://1.7.28',
        osImage: 'Ubuntu 22.04.5 LTS',
      },
    },
  });
  write(
    'kubectl/nodes.json',
    json4(list([nodeObject('k8s01', false), nodeObject('k8s02', true), nodeObject('k8s03', false)])),
  );
}

// IPAM handles (`kubectl get ipamhandles -A`): 6,071, years of pod churn never garbage-collected.
{
  const names: [string, number][] = [];
  for (const node of ['k8s01', 'k8s02', 'k8s03'])
    names.push([`ipip-tunnel-addr-${node}`, collectedAt - created]);
  for (let i = 0; i < 6068; i++)
    names.push([`k8s-pod-network.${hex(64)}`, Math.round(between(2, 1325) * 24 * 60 * MIN)]);
  names.sort((a, b) => a[0].localeCompare(b[0]));
  const width = Math.max(...names.map(([n]) => n.length)) + 3;
  write('kubectl/ipamhandles.txt', [
    'NAME'.padEnd(width) + 'AGE',
    ...names.map(([n, age]) => n.padEnd(width) + humanAge(age)),
  ]);
}

// Events (`kubectl get events -A -o json`): only what survived MicroK8s' 5-minute event TTL.
{
  const event = (
    ns: string,
    kind: string,
    name: string,
    reason: string,
    type: string,
    message: string,
    count: number,
    first: number,
    last: number,
    component: string,
  ) => ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${name}.${hex(16)}`, namespace: ns, creationTimestamp: ts(first) },
    involvedObject: {
      apiVersion: kind === 'Node' ? 'v1' : 'v1',
      kind,
      name,
      namespace: kind === 'Node' ? '' : ns,
      ...(kind === 'Pod' ? { fieldPath: 'spec.containers{x}' } : {}),
    },
    reason,
    message,
    source: { component, host: 'k8s02' },
    firstTimestamp: ts(first),
    lastTimestamp: ts(last),
    count,
    type,
    eventTime: null,
    reportingComponent: component,
    reportingInstance: 'k8s02',
  });
  const items = controllers.map((c) =>
    event(
      c.namespace,
      'Pod',
      c.pod,
      'BackOff',
      'Warning',
      `Back-off restarting failed container ${c.container} in pod ${c.pod}_${c.namespace}(${hex(8)})`,
      c.restarts - 10,
      collectedAt - 55 * 24 * 60 * MIN,
      collectedAt - 3 * MIN,
      'kubelet',
    ),
  );
  const awx = controllers[0]!;
  items.push(
    event(
      awx.namespace,
      'Pod',
      awx.pod,
      'Failed',
      'Warning',
      'Failed to pull image "gcr.io/kubebuilder/kube-rbac-proxy:v0.15.0": rpc error: code = NotFound desc = failed to pull and unpack image "gcr.io/kubebuilder/kube-rbac-proxy:v0.15.0": failed to resolve reference "gcr.io/kubebuilder/kube-rbac-proxy:v0.15.0": gcr.io/kubebuilder/kube-rbac-proxy:v0.15.0: not found',
      214,
      collectedAt - 2 * 24 * 60 * MIN,
      collectedAt - 2 * MIN,
      'kubelet',
    ),
    event(
      '',
      'Node',
      'k8s02',
      'NodeHasDiskPressure',
      'Normal',
      'Node k8s02 status is now: NodeHasDiskPressure',
      1,
      at('2026-03-31T23:12:09Z'),
      at('2026-03-31T23:12:09Z'),
      'kubelet',
    ),
  );
  write('kubectl/events.json', json4(list(items)));
}

// calico-kube-controllers' own log: the configuration it loaded says which controllers run.
{
  const t = at('2026-03-28T11:04:51.203Z');
  const calico = (ms: number, level: string, file: string, line: number, msg: string) =>
    `${iso(ms).slice(0, 10)} ${iso(ms).slice(11, 23)} [${level}][1] ${file} ${line}: ${msg}`;
  write('logs/kube-system/calico-kube-controllers-77bd7c5b-x8xkq/calico-kube-controllers.log', [
    calico(
      t,
      'INFO',
      'main.go',
      87,
      'Loaded configuration from environment config=&config.Config{LogLevel:"info", WorkloadEndpointWorkers:1, ProfileWorkers:1, PolicyWorkers:1, NodeWorkers:1, Kubeconfig:"", DatastoreType:"kubernetes"}',
    ),
    calico(t + 12, 'INFO', 'k8s.go', 228, 'Using Calico IPAM'),
    calico(t + 40, 'INFO', 'main.go', 108, 'Ensuring Calico datastore is initialized'),
    calico(t + 61, 'INFO', 'main.go', 182, 'Starting status report routine'),
    calico(t + 63, 'INFO', 'main.go', 364, 'Starting controller ControllerType="Node"'),
    calico(t + 70, 'INFO', 'node_controller.go', 133, 'Starting Node controller'),
    calico(t + 1_330, 'INFO', 'node_syncer.go', 40, 'Node controller syncer status updated: in-sync'),
    calico(t + 1_451, 'INFO', 'node_controller.go', 159, 'Node controller is now running'),
  ]);
}

// ---------------------------------------------------------------------------------------------

// Start clean, but keep the real dqlite snapshot copies: another generator owns them.
const keep = join('k8s02', 'backend-snapshots');
for (const entry of existsSync(outDir) ? readdirSync(outDir, { recursive: true, encoding: 'utf8' }) : []) {
  const full = join(outDir, entry);
  if (entry === keep || entry.startsWith(`${keep}/`) || keep.startsWith(`${entry}/`)) continue;
  rmSync(full, { recursive: true, force: true });
}
for (const [path, content] of [...files.entries()].sort(([a], [b]) => a.localeCompare(b))) {
  const target = join(outDir, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, content);
}
const nearSnapshot = failures.filter((f) =>
  snapshots.some((s) => f.at >= s.at && f.at - s.at <= 10 * S),
).length;
process.stderr.write(
  `wrote ${files.size} files to ${outDir}: ${snapshots.length} snapshots (${snapshots.filter((s) => s.stallSeconds === 0).length} without a stall), ` +
    `${failures.length} lease failures (${nearSnapshot} within 10 s of a snapshot)\n`,
);
