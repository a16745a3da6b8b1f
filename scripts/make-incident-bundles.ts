/**
 * Writes samples/incidents/<class>/{bundle,noisy}/: one small evidence bundle per common failure
 * class of a Kubernetes control plane, and beside it a noisy variant made of the same kind of
 * evidence with the cause absent (healthy lines, near-misses, numbers under the thresholds), which
 * the analysis must not blame. Every line uses a real message shape from
 * ../shared/docs/log-signatures-catalog.md and bundles-and-signatures.md; the certificates are real
 * X.509 files made once with openssl (scripts/incident-certs/, keys discarded).
 *
 * Deterministic: fixed times, no randomness, so `npm run incidents` reproduces the committed files.
 *
 * Usage: node --import tsx scripts/make-incident-bundles.ts [outDir]
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { iso, journal, klog } from './_log-shapes.js';

const outDir = process.argv[2] ?? 'samples/incidents';
const certs = join(dirname(fileURLToPath(import.meta.url)), 'incident-certs');

/** Every incident happens on 2024-01-12 from 10:00 UTC; `t(s)` is that plus s seconds. */
const T0 = Date.parse('2024-01-12T10:00:00Z');
const t = (seconds: number) => T0 + seconds * 1000;
const stamp = (seconds: number) => `${iso(t(seconds)).slice(0, 19)}Z`;
/** CRI log line, as kubelet writes /var/log/pods (RFC3339Nano, trailing zeros trimmed). */
const cri = (seconds: number, stream: 'stdout' | 'stderr', line: string) =>
  `${iso(t(seconds)).replace(/\.?0*Z$/, 'Z')} ${stream} F ${line}`;
const kubelite = (s: number, level: 'I' | 'W' | 'E' | 'F', where: string, msg: string) =>
  journal(t(s), 0, 'node-1', 'microk8s.daemon-kubelite[4321]', klog(level, t(s), 0, 4321, where, msg));
const systemd = (s: number, msg: string) => journal(t(s), 0, 'node-1', 'systemd[1]', msg);
const logrus = (s: number, level: string, msg: string) => `time="${stamp(s)}" level=${level} msg="${msg}"`;
const zap = (s: number, level: string, caller: string, msg: string, fields: Record<string, string> = {}) =>
  JSON.stringify({ level, ts: `${iso(t(s)).slice(0, 23)}Z`, caller, msg, ...fields });
const range = (from: number, to: number, step: number) =>
  Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

/** `kubectl get pods -A` (server-side printer: 3-space tabwriter padding). */
function podTable(rows: [string, string, string, string, string, string][]): string[] {
  const all = [['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'], ...rows];
  const widths = all[0]!.map((_, c) => Math.max(...all.map((r) => r[c]!.length)) + 3);
  return all.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join(''));
}

/** A core/v1 Event as `kubectl get events -A -o json` prints it. */
function event(
  s: number,
  kind: string,
  namespace: string,
  name: string,
  type: string,
  reason: string,
  message: string,
  count = 1,
) {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${name}.17a9${reason.length}c0ffee`, namespace: namespace || 'default' },
    involvedObject: { kind, name, ...(namespace ? { namespace } : {}) },
    reason,
    message,
    source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: stamp(s - (count - 1) * 20),
    lastTimestamp: stamp(s),
    count,
    type,
  };
}
const eventList = (items: object[]) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 4);

function pod(
  namespace: string,
  name: string,
  container: { name: string; image: string; limit?: string },
  status: object,
) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, creationTimestamp: '2023-11-20T08:00:00Z' },
    spec: {
      nodeName: 'node-1',
      containers: [
        {
          name: container.name,
          image: container.image,
          ...(container.limit ? { resources: { limits: { memory: container.limit } } } : {}),
        },
      ],
    },
    status: { phase: 'Running', containerStatuses: [{ name: container.name, ...status }] },
  };
}
const podList = (items: object[]) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 4);

function nodeObject(
  conditions: { type: string; status: string; reason: string; message: string; since: number }[],
) {
  return JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node-1' },
      status: {
        conditions: conditions.map((c) => ({
          type: c.type,
          status: c.status,
          reason: c.reason,
          message: c.message,
          lastHeartbeatTime: stamp(600),
          lastTransitionTime: stamp(c.since),
        })),
      },
    },
    null,
    4,
  );
}
const healthyConditions = [
  {
    type: 'MemoryPressure',
    status: 'False',
    reason: 'KubeletHasSufficientMemory',
    message: 'kubelet has sufficient memory available',
    since: -864000,
  },
  {
    type: 'DiskPressure',
    status: 'False',
    reason: 'KubeletHasNoDiskPressure',
    message: 'kubelet has no disk pressure',
    since: -864000,
  },
  {
    type: 'PIDPressure',
    status: 'False',
    reason: 'KubeletHasSufficientPID',
    message: 'kubelet has sufficient PID available',
    since: -864000,
  },
  {
    type: 'Ready',
    status: 'True',
    reason: 'KubeletReady',
    message: 'kubelet is posting ready status',
    since: -864000,
  },
];

type Files = Record<string, string[] | string>;
interface Incident {
  id: string;
  /** What happened, for samples/incidents/README.md. */
  story: string;
  bundle: Files;
  noisy: Files;
  noisyStory: string;
}

const leaseUrl = (host: string, lease: string) =>
  `https://${host}/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/${lease}?timeout=5s`;

const schedulerAcquired = cri(
  -600,
  'stderr',
  klog('I', t(-600), 0, 1, 'leaderelection.go:258', 'successfully acquired lease kube-system/kube-scheduler'),
);

/** `dd … oflag=dsync` on the etcd disk, as pasted from a root shell: 1000 writes of 512 bytes. */
function ddDsync(seconds: string, rate: string): string[] {
  return [
    'root@node-1:~# dd if=/dev/zero of=/var/lib/etcd/ddtest bs=512 count=1000 oflag=dsync',
    '1000+0 records in',
    '1000+0 records out',
    `512000 bytes (512 kB, 500 KiB) copied, ${seconds} s, ${rate}`,
  ];
}

/** kube-scheduler of a kubeadm node losing its lease while the API server waits on etcd. */
function schedulerLosesLease(from: number): string[] {
  return [
    cri(
      from,
      'stderr',
      klog(
        'E',
        t(from),
        0,
        1,
        'leaderelection.go:330',
        `error retrieving resource lock kube-system/kube-scheduler: Get "${leaseUrl('10.0.0.10:6443', 'kube-scheduler')}": context deadline exceeded`,
      ),
    ),
    cri(
      from + 8,
      'stderr',
      klog(
        'I',
        t(from + 8),
        0,
        1,
        'leaderelection.go:283',
        'failed to renew lease kube-system/kube-scheduler: timed out waiting for the condition',
      ),
    ),
    cri(from + 8, 'stderr', klog('E', t(from + 8), 200, 1, 'server.go:252', '"Leaderelection lost"')),
  ];
}

const incidents: Incident[] = [
  {
    id: 'datastore-slow-disk',
    story:
      'etcd on a slow disk: WAL fdatasync takes 1–4 s (etcd wants well under 10 ms), applies take seconds, the leader misses heartbeats; the scheduler cannot renew its lease and restarts; a `dd oflag=dsync` on the etcd disk measured 21.7 ms per synchronous write.',
    bundle: {
      'logs/kube-system/etcd-node-1/etcd.log': range(0, 300, 20).flatMap((s, i) => [
        cri(
          s,
          'stderr',
          zap(s, 'warn', 'wal/wal.go:805', 'slow fdatasync', {
            took: `${1 + (i % 4) * 0.9}s`,
            'expected-duration': '1s',
          }),
        ),
        cri(
          s + 1,
          'stderr',
          zap(s + 1, 'warn', 'etcdserver/util.go:166', 'apply request took too long', {
            took: `${2 + (i % 3) * 0.7}s`,
            'expected-duration': '100ms',
            prefix: 'read-only range ',
            request: 'key:"/registry/leases/kube-system/kube-scheduler" ',
            response: 'range_response_count:1 size:482',
          }),
        ),
        ...(i % 5 === 0
          ? [
              cri(
                s + 2,
                'stderr',
                zap(
                  s + 2,
                  'warn',
                  'etcdserver/raft.go:369',
                  'leader failed to send out heartbeat on time; took too long, leader is overloaded likely from slow disk',
                  {
                    to: '8e9e05c52164694d',
                    'heartbeat-interval': '100ms',
                    'expected-duration': '200ms',
                    'exceeded-duration': '1.3s',
                  },
                ),
              ),
            ]
          : []),
      ]),
      'logs/kube-system/kube-scheduler-node-1/kube-scheduler.log': [
        schedulerAcquired,
        ...schedulerLosesLease(60),
        ...schedulerLosesLease(190),
      ],
      'node-1/dd-dsync.txt': ddDsync('21.7345', '23.6 kB/s'),
      'kubectl/pods.txt': podTable([
        ['kube-system', 'etcd-node-1', '1/1', 'Running', '0', '55d'],
        ['kube-system', 'kube-scheduler-node-1', '0/1', 'CrashLoopBackOff', '6 (40s ago)', '55d'],
      ]),
    },
    noisyStory:
      'A healthy etcd: one apply just over its 100 ms warning, routine compactions; dd on the same disk at 0.68 ms per synchronous write; the scheduler holds its lease.',
    noisy: {
      'logs/kube-system/etcd-node-1/etcd.log': [
        cri(0, 'stderr', zap(0, 'info', 'mvcc/index.go:214', 'compact tree index', { revision: '912345' })),
        cri(
          40,
          'stderr',
          zap(40, 'warn', 'etcdserver/util.go:166', 'apply request took too long', {
            took: '112.4ms',
            'expected-duration': '100ms',
            prefix: '',
            request:
              'header:<ID:7587 > txn:<compare:<> success:<request_put:<key:"/registry/events/default/x" > > >',
            response: 'size:20',
          }),
        ),
        cri(
          300,
          'stderr',
          zap(300, 'info', 'mvcc/kvstore_compaction.go:66', 'finished scheduled compaction', {
            'compact-revision': '912345',
            took: '3.2ms',
          }),
        ),
      ],
      'logs/kube-system/kube-scheduler-node-1/kube-scheduler.log': [schedulerAcquired],
      'node-1/dd-dsync.txt': ddDsync('0.68442', '748 kB/s'),
    },
  },
  {
    id: 'datastore-growth',
    story:
      'k3s with kine on SQLite: the WAL (`state.db-wal`) grew to 212 GB beside a 1.1 GB database because a long read kept checkpoints from finishing; every query became slow SQL and the API server timed out.',
    bundle: {
      'node-1/db-ls.txt': [
        'total 223404120',
        '-rw------- 1 root root   1181229056 Jan 12 10:05 state.db',
        '-rw------- 1 root root      1376256 Jan 12 10:05 state.db-shm',
        '-rw------- 1 root root 227633266688 Jan 12 10:05 state.db-wal',
      ],
      'node-1/journal/k3s.log': range(0, 240, 30).flatMap((s, i) => [
        journal(
          t(s),
          0,
          'node-1',
          'k3s[1201]',
          logrus(
            s,
            'warning',
            `Slow SQL (started: ${iso(t(s - 6))
              .replace('T', ' ')
              .replace(
                'Z',
                '',
              )} +0000 UTC m=+8123.4) (total time: ${5 + (i % 3)}.2s): SELECT COUNT(c.theid) FROM ( SELECT * FROM ( SELECT (SELECT MAX(rkv.id) AS id FROM kine AS rkv), (SELECT MAX(crkv.prev_revision) AS prev_revision FROM kine AS crkv WHERE crkv.name = 'compact_rev_key'), kv.id AS theid, kv.name, kv.created, kv.deleted, kv.create_revision, kv.prev_revision, kv.lease, kv.value, kv.old_value FROM kine AS kv JOIN ( SELECT MAX(mkv.id) AS id FROM kine AS mkv WHERE mkv.name LIKE ? GROUP BY mkv.name) AS maxkv ON maxkv.id = kv.id WHERE kv.deleted = 0 OR ?) AS lkv ORDER BY lkv.theid ASC) c`,
          ),
        ),
        journal(
          t(s + 4),
          0,
          'node-1',
          'k3s[1201]',
          klog(
            'E',
            t(s + 4),
            0,
            1201,
            'timeout.go:142',
            `post-timeout activity - time-elapsed: 2.1ms, GET "/api/v1/namespaces/default/pods" result: <nil>`,
          ),
        ),
      ]),
    },
    noisyStory:
      "The same k3s node with a 52 MB database and a 4 MB WAL, and one slow SQL a second over kine's 1 s threshold after a restart.",
    noisy: {
      'node-1/db-ls.txt': [
        'total 55312',
        '-rw------- 1 root root 52428800 Jan 12 10:05 state.db',
        '-rw------- 1 root root    32768 Jan 12 10:05 state.db-shm',
        '-rw------- 1 root root  4124152 Jan 12 10:05 state.db-wal',
      ],
      'node-1/journal/k3s.log': [
        journal(
          t(0),
          0,
          'node-1',
          'k3s[1201]',
          logrus(
            0,
            'info',
            'Slow SQL (started: 2024-01-12 09:59:58.8 +0000 UTC m=+3.4) (total time: 1.2s): SELECT 1',
          ),
        ),
        journal(t(10), 0, 'node-1', 'k3s[1201]', logrus(10, 'info', 'Kine available at unix://kine.sock')),
      ],
    },
  },
  {
    id: 'disk-full',
    story:
      'The root file system filled (100 % in `df`): k8s-dqlite could not write (`database or disk is full`), containerd could not unpack layers (`no space left on device`), and the kubelet certificate written during the outage is an empty file.',
    bundle: {
      'sys/disk_usage': [
        '/dev/sda1        98G   98G     0 100% /',
        '/dev/sda15      105M  6.1M   99M   6% /boot/efi',
      ],
      'snap.microk8s.daemon-k8s-dqlite/journal.log': range(0, 180, 45).map((s) =>
        journal(
          t(s),
          0,
          'node-1',
          'microk8s.daemon-k8s-dqlite[2222]',
          logrus(s, 'error', 'error in txn: exec (try: 0): database or disk is full'),
        ),
      ),
      'snap.microk8s.daemon-containerd/journal.log': [
        journal(
          t(30),
          0,
          'node-1',
          'microk8s.daemon-containerd[1100]',
          `time="${iso(t(30))}" level=error msg="PullImage \\"docker.io/library/nginx:1.25\\" failed" error="failed to pull and unpack image \\"docker.io/library/nginx:1.25\\": failed to extract layer sha256:6f2f: write /var/snap/microk8s/common/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/412/fs/usr/lib/libc.so.6: no space left on device: unknown"`,
        ),
      ],
      'snap.microk8s.daemon-kubelite/journal.log': range(10, 190, 45).map((s) =>
        kubelite(
          s,
          'E',
          'finisher.go:175',
          '"FinishRequest: post-timeout activity - time-elapsed, panicked: false, err: context deadline exceeded, panic-reason: <nil>" err="Timeout: request did not complete within requested timeout - context deadline exceeded"',
        ),
      ),
      'certs/kubelet.crt': '',
    },
    noisyStory: 'The same node at 45 % disk use, an image pulled, a certificate present.',
    noisy: {
      'sys/disk_usage': [
        '/dev/sda1        98G   44G   54G  45% /',
        '/dev/sda15      105M  6.1M   99M   6% /boot/efi',
      ],
      'snap.microk8s.daemon-containerd/journal.log': [
        journal(
          t(30),
          0,
          'node-1',
          'microk8s.daemon-containerd[1100]',
          `time="${iso(t(30))}" level=info msg="ImageCreate event name:\\"docker.io/library/nginx:1.25\\""`,
        ),
      ],
      'certs/kubelet.crt': readFileSync(join(certs, 'admin.crt'), 'utf8'),
    },
  },
  {
    id: 'node-pressure',
    story:
      "The node went under DiskPressure: the kubelet's eviction manager reclaimed ephemeral-storage by evicting pods, which then failed and were recreated in a loop.",
    bundle: {
      'snap.microk8s.daemon-kubelite/journal.log': range(0, 240, 60).flatMap((s, i) => [
        kubelite(
          s,
          'W',
          'eviction_manager.go:366',
          '"Eviction manager: attempting to reclaim" resourceName="ephemeral-storage"',
        ),
        kubelite(
          s + 1,
          'I',
          'eviction_manager.go:377',
          '"Eviction manager: must evict pod(s) to reclaim" resourceName="ephemeral-storage"',
        ),
        kubelite(
          s + 2,
          'I',
          'eviction_manager.go:616',
          `"Eviction manager: pod is evicted successfully" pod="default/web-7d9c4-${'abcde'[i]}x2kq"`,
        ),
      ]),
      'k8s/events.json': eventList([
        event(
          0,
          'Node',
          '',
          'node-1',
          'Normal',
          'NodeHasDiskPressure',
          'Node node-1 status is now: NodeHasDiskPressure',
        ),
        ...range(0, 240, 60).map((s, i) =>
          event(
            s + 2,
            'Pod',
            'default',
            `web-7d9c4-${'abcde'[i]}x2kq`,
            'Warning',
            'Evicted',
            'The node was low on resource: ephemeral-storage. Threshold quantity: 1Gi, available: 524288Ki. Container web was using 2Gi, request is 0, has larger consumption of ephemeral-storage. ',
          ),
        ),
      ]),
      'k8s/node.json': nodeObject(
        healthyConditions.map((c) =>
          c.type === 'DiskPressure'
            ? {
                ...c,
                status: 'True',
                reason: 'KubeletHasDiskPressure',
                message: 'kubelet has disk pressure',
                since: 0,
              }
            : c,
        ),
      ),
    },
    noisyStory:
      'The same node reporting healthy conditions and the routine `NodeHasNoDiskPressure` / `NodeHasSufficientMemory` events of a kubelet start.',
    noisy: {
      'k8s/events.json': eventList([
        event(
          0,
          'Node',
          '',
          'node-1',
          'Normal',
          'NodeHasSufficientMemory',
          'Node node-1 status is now: NodeHasSufficientMemory',
        ),
        event(
          0,
          'Node',
          '',
          'node-1',
          'Normal',
          'NodeHasNoDiskPressure',
          'Node node-1 status is now: NodeHasNoDiskPressure',
        ),
        event(1, 'Node', '', 'node-1', 'Normal', 'NodeReady', 'Node node-1 status is now: NodeReady'),
      ]),
      'k8s/node.json': nodeObject(healthyConditions),
    },
  },
  {
    id: 'cert-expired',
    story:
      "The kubelet's client certificate expired on 2024-01-10 08:00 UTC and rotation failed: every request to the API server is refused with `x509: certificate has expired`, and the node goes NotReady.",
    bundle: {
      'snap.microk8s.daemon-kubelite/journal.log': [
        kubelite(
          0,
          'E',
          'certificate_manager.go:562',
          '"Failed while requesting a signed certificate from the control plane" err="cannot create certificate signing request: Unauthorized" logger="kubernetes.io/kube-apiserver-client-kubelet"',
        ),
        ...range(5, 245, 60).map((s) =>
          kubelite(
            s,
            'E',
            'reflector.go:147',
            'k8s.io/client-go/informers/factory.go:150: Failed to watch *v1.Node: failed to list *v1.Node: Get "https://127.0.0.1:16443/api/v1/nodes?limit=500": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2024-01-12T10:00:05Z is after 2024-01-10T08:00:00Z',
          ),
        ),
      ],
      'k8s/events.json': eventList([
        event(60, 'Node', '', 'node-1', 'Normal', 'NodeNotReady', 'Node node-1 status is now: NodeNotReady'),
      ]),
      'certs/kubelet-client-current.pem': readFileSync(join(certs, 'kubelet-expired.crt'), 'utf8'),
      'certs/ca.crt': readFileSync(join(certs, 'ca.crt'), 'utf8'),
    },
    noisyStory:
      'Valid certificates (CA until 2031, client until 2034) and a kubelet that only mentions certificate rotation being enabled.',
    noisy: {
      'snap.microk8s.daemon-kubelite/journal.log': [
        kubelite(
          0,
          'I',
          'certificate_manager.go:356',
          '"Certificate rotation is enabled" logger="kubernetes.io/kube-apiserver-client-kubelet"',
        ),
      ],
      'certs/kubelet-client-current.pem': readFileSync(join(certs, 'admin.crt'), 'utf8'),
      'certs/ca.crt': readFileSync(join(certs, 'ca.crt'), 'utf8'),
    },
  },
  {
    id: 'oom-kill',
    story:
      "The awx-operator manager hit its 960Mi memory limit: the kernel's cgroup OOM killer killed it (exit 137, OOMKilled) again and again, and the pod crash-looped.",
    bundle: {
      'node-1/dmesg.log': range(0, 240, 60).map((s, i) =>
        journal(
          t(s),
          0,
          'node-1',
          'kernel',
          `Memory cgroup out of memory: Killed process ${23456 + i * 97} (manager) total-vm:1456789kB, anon-rss:983040kB, file-rss:31000kB, shmem-rss:0kB, UID:65532 pgtables:800kB oom_score_adj:999`,
        ),
      ),
      'k8s/pods.json': podList([
        pod(
          'awx',
          'awx-operator-controller-manager-5d8f',
          { name: 'awx-manager', image: 'quay.io/ansible/awx-operator:2.19.1', limit: '960Mi' },
          {
            restartCount: 14,
            state: {
              waiting: {
                reason: 'CrashLoopBackOff',
                message:
                  'back-off 5m0s restarting failed container=awx-manager pod=awx-operator-controller-manager-5d8f_awx(9a1f)',
              },
            },
            lastState: {
              terminated: {
                exitCode: 137,
                reason: 'OOMKilled',
                startedAt: stamp(200),
                finishedAt: stamp(240),
              },
            },
          },
        ),
      ]),
      'snap.microk8s.daemon-kubelite/journal.log': [
        kubelite(
          250,
          'E',
          'pod_workers.go:1300',
          '"Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"awx-manager\\" with CrashLoopBackOff: \\"back-off 5m0s restarting failed container=awx-manager pod=awx-operator-controller-manager-5d8f_awx(9a1f)\\"" pod="awx/awx-operator-controller-manager-5d8f" podUID="9a1f"',
        ),
      ],
    },
    noisyStory:
      'The same operator crash-looping on a configuration error (exit 1, reason Error): no OOM kill anywhere.',
    noisy: {
      'k8s/pods.json': podList([
        pod(
          'awx',
          'awx-operator-controller-manager-5d8f',
          { name: 'awx-manager', image: 'quay.io/ansible/awx-operator:2.19.1', limit: '960Mi' },
          {
            restartCount: 14,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: {
              terminated: { exitCode: 1, reason: 'Error', startedAt: stamp(200), finishedAt: stamp(240) },
            },
          },
        ),
      ]),
    },
  },
  {
    id: 'image-pull-sandbox',
    story:
      'The node cannot pull its sandbox (pause) image `registry.k8s.io/pause:3.7` — DNS lookups of the registry time out — so no pod on the node can start.',
    bundle: {
      'snap.microk8s.daemon-kubelite/journal.log': range(0, 240, 60).flatMap((s, i) => [
        kubelite(
          s,
          'E',
          'remote_runtime.go:176',
          `"RunPodSandbox from runtime service failed" err="rpc error: code = Unknown desc = failed to get sandbox image \\"registry.k8s.io/pause:3.7\\": failed to pull image \\"registry.k8s.io/pause:3.7\\": failed to pull and unpack image \\"registry.k8s.io/pause:3.7\\": failed to resolve reference \\"registry.k8s.io/pause:3.7\\": failed to do request: Head \\"https://registry.k8s.io/v2/pause/manifests/3.7\\": dial tcp: lookup registry.k8s.io on 127.0.0.53:53: read udp 127.0.0.1:40211->127.0.0.53:53: i/o timeout"`,
        ),
        kubelite(
          s + 1,
          'E',
          'pod_workers.go:1300',
          `"Error syncing pod, skipping" err="failed to \\"CreatePodSandbox\\" for \\"web-7d9c4-${'abcde'[i]}x2kq_default(0b6e)\\" with CreatePodSandboxError: \\"Failed to create sandbox for pod \\\\\\"web-7d9c4-${'abcde'[i]}x2kq_default(0b6e)\\\\\\": rpc error: code = Unknown desc = failed to get sandbox image \\\\\\"registry.k8s.io/pause:3.7\\\\\\": failed to pull image \\\\\\"registry.k8s.io/pause:3.7\\\\\\"\\"" pod="default/web-7d9c4-${'abcde'[i]}x2kq" podUID="0b6e"`,
        ),
      ]),
      'k8s/pods.txt': podTable([
        ['default', 'web-7d9c4-ax2kq', '0/1', 'ContainerCreating', '0', '4m'],
        ['kube-system', 'coredns-864597b5fd-9nq2d', '0/1', 'ContainerCreating', '0', '4m'],
      ]),
    },
    noisyStory: 'The same node pulling its images successfully (Pulling, Pulled events).',
    noisy: {
      'k8s/events.json': eventList([
        event(
          0,
          'Pod',
          'default',
          'web-7d9c4-ax2kq',
          'Normal',
          'Pulling',
          'Pulling image "docker.io/library/nginx:1.25"',
        ),
        event(
          3,
          'Pod',
          'default',
          'web-7d9c4-ax2kq',
          'Normal',
          'Pulled',
          'Successfully pulled image "docker.io/library/nginx:1.25" in 2.915s (2.915s including waiting)',
        ),
      ]),
    },
  },
  {
    id: 'dns-loop',
    story:
      "CoreDNS forwards to the node's /etc/resolv.conf, which points at a local stub resolver: its loop plugin detects the forwarding loop, CoreDNS exits and crash-loops, and cluster DNS is down.",
    bundle: {
      'logs/kube-system/coredns-864597b5fd-9nq2d/coredns.log': range(0, 240, 80).flatMap((s) => [
        cri(s, 'stdout', '.:53'),
        cri(
          s,
          'stdout',
          '[INFO] plugin/reload: Running configuration SHA512 = 591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5f046dd37f1cf888b953814040d180f52594972691cd6ff41be96639138a43908',
        ),
        cri(s, 'stdout', 'CoreDNS-1.10.1'),
        cri(
          s + 2,
          'stdout',
          '[FATAL] plugin/loop: Loop (127.0.0.1:55953 -> :53) detected for zone ".", see https://coredns.io/plugins/loop#troubleshooting. Query: "HINFO 4547991504243258144.3688648895315093531."',
        ),
      ]),
      'k8s/pods.txt': podTable([
        ['kube-system', 'coredns-864597b5fd-9nq2d', '0/1', 'CrashLoopBackOff', '5 (30s ago)', '55d'],
      ]),
    },
    noisyStory: 'A healthy CoreDNS start: configuration loaded, serving on :53.',
    noisy: {
      'logs/kube-system/coredns-864597b5fd-9nq2d/coredns.log': [
        cri(0, 'stdout', '.:53'),
        cri(
          0,
          'stdout',
          '[INFO] plugin/reload: Running configuration SHA512 = 591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5f046dd37f1cf888b953814040d180f52594972691cd6ff41be96639138a43908',
        ),
        cri(0, 'stdout', 'CoreDNS-1.10.1'),
        cri(0, 'stdout', 'linux/amd64, go1.20, 055b2c3'),
      ],
      'k8s/pods.txt': podTable([['kube-system', 'coredns-864597b5fd-9nq2d', '1/1', 'Running', '0', '55d']]),
    },
  },
  {
    id: 'apiserver-unreachable',
    story:
      'The API server is down: the kubelet and the controllers get `connection refused` on 127.0.0.1:16443 and `kubectl` cannot connect — nothing is slow, nothing waits on the datastore.',
    bundle: {
      'snap.microk8s.daemon-kubelite/journal.log': range(0, 240, 30).map((s) =>
        kubelite(
          s,
          'E',
          'kubelet_node_status.go:96',
          '"Unable to register node with API server" err="Post \\"https://127.0.0.1:16443/api/v1/nodes\\": dial tcp 127.0.0.1:16443: connect: connection refused" node="node-1"',
        ),
      ),
      'snap.microk8s.daemon-kubelite/node-lease.log': [
        kubelite(
          35,
          'E',
          'controller.go:146',
          '"Failed to ensure lease exists, will retry" err="Get \\"https://127.0.0.1:16443/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/node-1?timeout=10s\\": dial tcp 127.0.0.1:16443: connect: connection refused" interval="7s"',
        ),
      ],
      'k8s/get-all': [
        'The connection to the server 127.0.0.1:16443 was refused - did you specify the right host or port?',
      ],
    },
    noisyStory: 'The same kubelet registering its node and `kubectl get all` answering.',
    noisy: {
      'snap.microk8s.daemon-kubelite/journal.log': [
        kubelite(0, 'I', 'kubelet_node_status.go:76', '"Attempting to register node" node="node-1"'),
        kubelite(1, 'I', 'kubelet_node_status.go:79', '"Successfully registered node" node="node-1"'),
      ],
      'k8s/get-all': podTable([
        ['kube-system', 'pod/coredns-864597b5fd-9nq2d', '1/1', 'Running', '0', '55d'],
      ]),
    },
  },
  {
    id: 'unknown-flag',
    story:
      'After a refresh to MicroK8s 1.24, the API server args still carry `--insecure-port`, which 1.24 removed: kubelite exits at start-up and systemd restarts it until it gives up.',
    bundle: {
      'snap.microk8s.daemon-apiserver-kicker/journal.log': range(5, 55, 10).map((s) =>
        journal(
          t(s),
          0,
          'node-1',
          'microk8s.daemon-apiserver-kicker[977]',
          'The connection to the server 127.0.0.1:16443 was refused - did you specify the right host or port?',
        ),
      ),
      'args/kube-apiserver': [
        '--cert-dir=${SNAP_DATA}/certs',
        '--service-cluster-ip-range=10.152.183.0/24',
        '--insecure-port=0',
        '--secure-port=16443',
      ],
      'snap.microk8s.daemon-kubelite/journal.log': range(0, 50, 10).flatMap((s, i) => [
        journal(t(s), 0, 'node-1', 'microk8s.daemon-kubelite[4321]', 'Error: unknown flag: --insecure-port'),
        kubelite(s, 'F', 'daemon.go:65', 'API Server exited unknown flag: --insecure-port'),
        systemd(
          s + 1,
          'snap.microk8s.daemon-kubelite.service: Main process exited, code=exited, status=255/EXCEPTION',
        ),
        systemd(s + 1, "snap.microk8s.daemon-kubelite.service: Failed with result 'exit-code'."),
        systemd(
          s + 2,
          `snap.microk8s.daemon-kubelite.service: Scheduled restart job, restart counter is at ${i + 1}.`,
        ),
      ]),
    },
    noisyStory: "The API server's help text listing its flags (pasted into the bundle), and a clean start.",
    noisy: {
      'notes/kube-apiserver-help.txt': [
        'Usage:',
        '  kube-apiserver [flags]',
        '',
        'Secure serving flags:',
        '      --bind-address ip                        The IP address on which to listen for the --secure-port port. (default 0.0.0.0)',
        '      --secure-port int                        The port on which to serve HTTPS with authentication and authorization. It cannot be switched off with 0. (default 6443)',
      ],
      'snap.microk8s.daemon-kubelite/journal.log': [
        kubelite(0, 'I', 'server.go:566', '"Starting kube-apiserver" version="v1.24.17"'),
      ],
    },
  },
  {
    id: 'normal-shutdown',
    story:
      'An operator stopped MicroK8s for maintenance: systemd asked kubelite to stop, and the controller manager logged `leaderelection lost` on the way out — a stop, not a failure.',
    bundle: {
      'snap.microk8s.daemon-kubelite/journal.log': [
        kubelite(
          -60,
          'I',
          'leaderelection.go:258',
          'successfully acquired lease kube-system/kube-controller-manager',
        ),
        systemd(0, 'Stopping Service for snap application microk8s.daemon-kubelite...'),
        kubelite(1, 'E', 'controllermanager.go:318', '"leaderelection lost"'),
        systemd(2, 'snap.microk8s.daemon-kubelite.service: Deactivated successfully.'),
        systemd(2, 'Stopped Service for snap application microk8s.daemon-kubelite.'),
      ],
    },
    noisyStory:
      'A real loss: the controller manager could not renew its lease (the API server timed out), lost leadership and exited; systemd restarted it.',
    noisy: {
      'snap.microk8s.daemon-kubelite/journal.log': [
        kubelite(
          -60,
          'I',
          'leaderelection.go:258',
          'successfully acquired lease kube-system/kube-controller-manager',
        ),
        kubelite(
          0,
          'E',
          'leaderelection.go:367',
          `Failed to update lock: Put "${leaseUrl('127.0.0.1:16443', 'kube-controller-manager')}": context deadline exceeded`,
        ),
        kubelite(
          1,
          'I',
          'leaderelection.go:283',
          'failed to renew lease kube-system/kube-controller-manager: timed out waiting for the condition',
        ),
        kubelite(1, 'E', 'controllermanager.go:318', '"leaderelection lost"'),
        systemd(
          2,
          'snap.microk8s.daemon-kubelite.service: Main process exited, code=exited, status=1/FAILURE',
        ),
        systemd(2, "snap.microk8s.daemon-kubelite.service: Failed with result 'exit-code'."),
        systemd(7, 'snap.microk8s.daemon-kubelite.service: Scheduled restart job, restart counter is at 1.'),
      ],
    },
  },
];

function writeFiles(root: string, files: Files): void {
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, Array.isArray(content) ? `${content.join('\n')}\n` : content);
  }
}

rmSync(outDir, { recursive: true, force: true });
for (const incident of incidents) {
  writeFiles(join(outDir, incident.id, 'bundle'), incident.bundle);
  writeFiles(join(outDir, incident.id, 'noisy'), incident.noisy);
}
const readme = [
  '# Incident library',
  '',
  'One small evidence bundle per common failure class, written by `scripts/make-incident-bundles.ts`',
  '(`npm run incidents`) from real message shapes; beside each, `noisy/`: the same kind of evidence with the',
  'cause absent, which the analysis must not blame. Synthetic: made-up hosts, names and times',
  '(2024-01-12 from 10:00 UTC). test/golden/incidents.test.ts checks the PIR of each.',
  '',
  '| class | `bundle/` | `noisy/` |',
  '|---|---|---|',
  ...incidents.map((i) => `| \`${i.id}\` | ${i.story} | ${i.noisyStory} |`),
  '',
];
writeFileSync(join(outDir, 'README.md'), readme.join('\n'));
