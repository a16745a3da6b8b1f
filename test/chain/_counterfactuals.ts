/**
 * Counterfactual bundles made from the sample: the same evidence with one thing changed, to check the
 * chain claims only what the changed evidence supports. Each writes a copy under `into` and returns
 * its path; samples/bundle is only read.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const SAMPLE = 'samples/bundle';

function copySample(into: string, name: string): string {
  const dir = join(into, name);
  cpSync(SAMPLE, dir, { recursive: true });
  return dir;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** Lines of leader election: renew failures, the lock reads that precede them, and the exits after. */
const LEASE_LINE =
  /failed to renew lease|error retrieving resource lock|leaderelection lost|leader election lost|stopped leading/;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Moves every time written in a line (RFC 3339, klog's header, a JSON epoch `ts`) by `seconds`. */
export function shiftLine(line: string, seconds: number): string {
  const ms = seconds * 1000;
  return line
    .replace(
      /(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)?/g,
      (_m, y, mo, d, h, mi, s, fraction: string | undefined, zone: string | undefined) => {
        // The wall-clock fields move; the zone stays as written.
        const at = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s) + ms);
        const wall = `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}T${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}`;
        return `${wall}${fraction ?? ''}${zone ?? ''}`;
      },
    )
    .replace(/\b([IWEF])(\d\d)(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{6})/g, (_m, level, mo, d, h, mi, s, micro) => {
      const at = new Date(Date.UTC(2026, +mo - 1, +d, +h, +mi, +s) + ms);
      return `${level}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())} ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}.${micro}`;
    })
    .replace(
      /"ts":(\d{10})(\.\d+)?/g,
      (_m, whole, fraction) => `"ts":${Number(whole) + seconds}${fraction ?? ''}`,
    );
}

/** A stable 15–110 s shift per 30-second bucket of a file, so the lines of one renewal move together. */
function shiftFor(file: string, line: string): number {
  const time = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.exec(line)?.[0] ?? '';
  const bucket = Math.floor(Date.parse(`${time}Z`) / 30_000);
  const digest = createHash('sha256').update(`${file}|${bucket}`).digest();
  return 15 + (digest.readUInt32BE(0) % 96);
}

/** Lease-failure lines moved 15–110 s later, so they no longer follow snapshot writes. */
export function shiftedLeaseFailures(into: string): string {
  const dir = copySample(into, 'shifted');
  for (const path of files(dir)) {
    if (!/\.log$/.test(path)) continue;
    const text = readFileSync(path, 'utf8');
    const rel = relative(dir, path);
    const shifted = text
      .split('\n')
      .map((line) => (LEASE_LINE.test(line) ? shiftLine(line, shiftFor(rel, line)) : line))
      .join('\n');
    writeFileSync(path, shifted);
  }
  return dir;
}

/** Removes calico-kube-controllers from `kubectl get deploy -A -o yaml` (one `- apiVersion:` item). */
function dropCalicoDeployment(dir: string): void {
  const path = join(dir, 'kubectl/deployments.yaml');
  const items = readFileSync(path, 'utf8').split(/(?=^- apiVersion: )/m);
  writeFileSync(path, items.filter((item) => !/^\s+name: calico-kube-controllers$/m.test(item)).join(''));
}

/** Without the Calico evidence: its Deployment, the IPAM handle count and its logs. */
export function withoutIpam(into: string, name = 'no-ipam'): string {
  const dir = copySample(into, name);
  dropCalicoDeployment(dir);
  rmSync(join(dir, 'kubectl/ipamhandles.txt'));
  rmSync(join(dir, 'logs/kube-system/calico-kube-controllers-77bd7c5b-x8xkq'), { recursive: true });
  return dir;
}

/** Without the Calico evidence and without the snapshot copies. */
export function withoutIpamOrCopies(into: string): string {
  const dir = withoutIpam(into, 'no-ipam-no-copies');
  rmSync(join(dir, 'k8s02/backend-snapshots'), { recursive: true });
  return dir;
}

const COREDNS_POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'coredns-7db6d8ff4d-xk2lp',
    namespace: 'kube-system',
    creationTimestamp: '2026-02-01T00:00:00Z',
  },
  spec: { nodeName: 'k8s01', containers: [{ name: 'coredns', image: 'coredns/coredns:1.10.1' }] },
  status: {
    phase: 'Running',
    containerStatuses: [
      {
        name: 'coredns',
        image: 'coredns/coredns:1.10.1',
        ready: false,
        restartCount: 57,
        state: { waiting: { reason: 'CrashLoopBackOff' } },
        lastState: {
          terminated: {
            exitCode: 1,
            reason: 'Error',
            startedAt: '2026-03-31T23:10:00Z',
            finishedAt: '2026-03-31T23:10:02Z',
          },
        },
      },
    ],
  },
};

const COREDNS_LOG = [
  '2026-03-31T23:10:00.112345678Z [INFO] plugin/reload: Running configuration SHA512 = 591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5',
  '2026-03-31T23:10:02.118765432Z [FATAL] plugin/loop: Loop (127.0.0.1:53 -> :53) detected for zone ".", see https://coredns.io/plugins/loop#troubleshooting. Query: "HINFO 4547991504243258144.3688648895315093531."',
  '',
].join('\n');

/** The sample plus a CoreDNS pod crash-looping on its own (a DNS forwarding loop), unrelated to leases. */
export function withUnrelatedCrashloop(into: string): string {
  const dir = copySample(into, 'coredns-added');
  const path = join(dir, 'kubectl/pods.json');
  const pods = JSON.parse(readFileSync(path, 'utf8')) as { items: unknown[] };
  pods.items.push(COREDNS_POD);
  writeFileSync(path, `${JSON.stringify(pods, null, 2)}\n`);
  writeCorednsLog(dir);
  return dir;
}

/** Only CoreDNS crash-loops: the controllers' pods are healthy in the dump, their old lease failures remain in the logs. */
export function onlyUnrelatedCrashloop(into: string): string {
  const dir = copySample(into, 'coredns-only');
  const path = join(dir, 'kubectl/pods.json');
  const pods = JSON.parse(readFileSync(path, 'utf8')) as {
    items: { status: { containerStatuses?: Record<string, unknown>[] } }[];
  };
  for (const item of pods.items)
    for (const status of item.status.containerStatuses ?? []) {
      status.restartCount = 0;
      status.state = { running: { startedAt: '2026-04-01T06:00:00Z' } };
      delete status.lastState;
    }
  pods.items.push(COREDNS_POD as never);
  writeFileSync(path, `${JSON.stringify(pods, null, 2)}\n`);
  rmSync(join(dir, 'kubectl/events.json'));
  rmSync(join(dir, 'kubectl/pods-wide.txt'));
  writeCorednsLog(dir);
  return dir;
}

function writeCorednsLog(dir: string): void {
  const logDir = join(dir, 'logs/kube-system/coredns-7db6d8ff4d-xk2lp');
  mkdirSync(logDir, { recursive: true });
  writeFileSync(join(logDir, 'coredns.log'), COREDNS_LOG);
}

/** Unrelated noise: a chatty log with healthy leader-election chatter that mentions leases. */
export function withNoise(into: string): string {
  const dir = copySample(into, 'noise');
  const lines: string[] = [];
  for (let i = 0; i < 2000; i++) {
    const at = new Date(Date.parse('2026-03-31T22:00:00Z') + i * 3_517).toISOString();
    lines.push(
      `${at.replace('Z', '+00:00')} k8s01 microk8s.daemon-kubelite[2290]: I0331 00:00:00.000000    2290 reflector.go:351] Caches populated for *v1.ConfigMap from pkg/mod/k8s.io/client-go@v0.29.0/tools/cache/reflector.go:229`,
    );
    if (i % 7 === 0)
      lines.push(
        `${at.replace('Z', '+00:00')} k8s01 microk8s.daemon-kubelite[2290]: I0331 00:00:00.000000    2290 leaderelection.go:281] successfully renewed lease kube-system/kube-scheduler`,
      );
  }
  writeFileSync(join(dir, 'k8s01/journal/noise.log'), `${lines.join('\n')}\n`);
  return dir;
}
