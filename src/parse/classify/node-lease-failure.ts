import { isHeartbeatLease, leaseFromUrl, namespacedName } from './_subjects.js';
import type { EventRule } from './types.js';

/**
 * A heartbeat lease could not be written: the kubelet's node lease in `kube-node-lease` and the API
 * server's identity lease (`kube-system/apiserver-<hash>`), both kept by component-helpers' lease
 * controller (catalog §12.2): `failed to ensure lease exists, will retry in 7s, error: …`, `failed to
 * update lease, error: …`, `failed 5 attempts to update lease`, `failed to update lease using latest
 * lease, fallback to ensure lease, err: …` (v0.20–v0.29) and the structured `"Failed to ensure lease
 * exists, will retry"`, `"Failed to update lease"`, `"Will retry updating lease"` (v0.30+). These say
 * the API server was hard to reach; they are not leader election, so they never count as
 * `lease_renew_failure`. client-go 1.35's leader election also logs `"Failed to update lease"`, with
 * `lock=` and from leaderelection.go: that one is left to the leader-election rule.
 */
const PRINTF =
  /\bfailed to ensure lease exists\b|\bfailed to update lease(?:, error:| using latest lease)|\bfailed \d+ attempts to update lease\b|^Will retry updating lease\b/i;

export const nodeLeaseFailure: EventRule = {
  kind: 'node_lease_failure',
  description: 'a heartbeat lease (node lease, API server identity) could not be written',
  severity: 'warning',
  needles: [
    'ailed to ensure lease exists',
    'ailed to update lease',
    'attempts to update lease',
    'retry updating lease',
  ],
  match({ text, fields }) {
    const lease = namespacedName(fields.lock) ?? leaseFromUrl(text);
    const caller = fields.caller ?? '';
    if (caller.startsWith('leaderelection') || fields.lock !== undefined) return null;
    if (PRINTF.test(text) || (/^Failed to update lease\b/.test(text) && isHeartbeatLease(lease))) {
      return { subject: lease };
    }
    return null;
  },
  samples: [
    {
      line: 'E0401 09:12:33.000000   53319 controller.go:195] "Failed to update lease" err="Put \\"https://127.0.0.1:16443/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/k8s02?timeout=10s\\": context deadline exceeded"',
      subject: 'kube-node-lease/k8s02',
    },
    {
      line: 'E0112 10:00:33.000000   53319 controller.go:144] failed to ensure lease exists, will retry in 7s, error: Get "https://127.0.0.1:16443/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/k8s02?timeout=10s": context deadline exceeded',
      subject: 'kube-node-lease/k8s02',
    },
    {
      line: 'Jan 12 10:00:33 k8s02 microk8s.daemon-kubelite[53319]: E0112 10:00:33.000000   53319 controller.go:114] failed to update lease, error: Put "https://127.0.0.1:16443/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/k8s02?timeout=10s": net/http: request canceled (Client.Timeout exceeded while awaiting headers)',
      subject: 'kube-node-lease/k8s02',
    },
    {
      line: 'E0112 10:00:33.000000       1 controller.go:146] "Failed to ensure lease exists, will retry" err="Get \\"https://127.0.0.1:6443/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/apiserver-7x2kq4lqv3dbs6dmdu5c3kkcd4?timeout=10s\\": dial tcp 127.0.0.1:6443: connect: connection refused" interval="7s"',
      subject: 'kube-system/apiserver-7x2kq4lqv3dbs6dmdu5c3kkcd4',
    },
    {
      line: 'E0112 10:00:33.000000   53319 controller.go:96] failed to update lease using latest lease, fallback to ensure lease, err: failed 5 attempts to update lease',
      subject: null,
    },
  ],
  negatives: [
    'E0112 10:00:45.100000   12345 leaderelection.go:497] "Failed to update lease optimistically, falling back to slow path" err="Operation cannot be fulfilled" lock="kube-system/kube-scheduler"',
    'I0112 10:00:05.000000   12345 leaderelection.go:278] successfully renewed lease kube-system/kube-scheduler',
  ],
};
