import { isHeartbeatLease, leaseFromUrl, namespacedName } from './_subjects.js';
import type { EventRule } from './types.js';

/**
 * A held lease could not be renewed or updated (client-go leaderelection; §4 of
 * bundles-and-signatures.md): printf `failed to renew lease ns/name: …` (1.20–1.34), structured
 * `"Failed to renew lease" lock=…` (1.35+), `Failed to update lock: …` / `"Failed to update lease"`.
 * A lease the line cannot tie to `namespace/name` (an etcd lease id) is not a Kubernetes lease, and
 * a heartbeat lease (kube-node-lease) is `node_lease_failure`. Reasons by client-go version (catalog
 * §2.1): `failed to tryAcquireOrRenew context deadline exceeded` or `timed out waiting for the
 * condition` (1.10–1.17), `timed out waiting for the condition` (1.18–1.31), `context deadline
 * exceeded` (1.32–1.34).
 */
const PRINTF = /\bfailed to renew lease (\S+?):? /i;
const STRUCTURED = /^Failed to (?:renew|update) lease\b(?! optimistically)/;
const UPDATE_LOCK = /\bFailed to update lock(?! optimi[st]+ically)\b/;
const COORDINATED = /failed election to renew leadership on lease (\S+)/;

export const leaseRenewFailure: EventRule = {
  kind: 'lease_renew_failure',
  description: 'a held lease could not be renewed or updated',
  severity: 'error',
  needles: ['renew lease', 'Failed to update lock', 'Failed to update lease', 'renew leadership'],
  match({ text, fields }) {
    const printf = PRINTF.exec(text);
    if (printf) {
      const subject = namespacedName(printf[1]) ?? namespacedName(fields.lock);
      return subject ? { subject } : null;
    }
    if (STRUCTURED.test(text)) {
      const subject = namespacedName(fields.lock) ?? leaseFromUrl(text);
      return subject && !isHeartbeatLease(subject) ? { subject } : null;
    }
    if (UPDATE_LOCK.test(text)) return { subject: namespacedName(fields.lock) ?? leaseFromUrl(text) };
    const coordinated = COORDINATED.exec(text);
    if (coordinated) return { subject: namespacedName(coordinated[1]) };
    return null;
  },
  samples: [
    {
      line: 'I0112 10:00:31.000200   12345 leaderelection.go:283] failed to renew lease kube-system/kube-controller-manager: timed out waiting for the condition',
      subject: 'kube-system/kube-controller-manager',
    },
    {
      line: 'Apr 01 09:12:33 k8s02 microk8s.daemon-kubelite[53319]: I0401 09:12:33.123456   53319 leaderelection.go:297] failed to renew lease kube-system/kube-scheduler: context deadline exceeded',
      subject: 'kube-system/kube-scheduler',
    },
    {
      line: 'I0112 10:00:31.000100   12345 leaderelection.go:304] "Failed to renew lease" lock="kube-system/kube-scheduler" err="context deadline exceeded"',
      subject: 'kube-system/kube-scheduler',
    },
    {
      line: 'E0112 10:00:45.100000   12345 leaderelection.go:497] "Failed to update lease" err="Timeout: request did not complete within requested timeout - context deadline exceeded" lock="kube-system/kube-controller-manager"',
      subject: 'kube-system/kube-controller-manager',
    },
    {
      line: 'E0401 09:12:20.000100       1 leaderelection.go:367] Failed to update lock: Put "https://10.152.183.1:443/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/csi-nfs?timeout=5s": context deadline exceeded',
      subject: 'kube-system/csi-nfs',
    },
    {
      line: '{"level":"info","ts":"2026-04-01T09:12:33Z","msg":"failed to renew lease awx/awx-operator: context deadline exceeded"}',
      subject: 'awx/awx-operator',
    },
    {
      line: '2026-03-31T23:12:33.000000001Z stderr F I0331 23:12:33.000000       1 leaderelection.go:283] failed to renew lease openebs/openebs-io-local: timed out waiting for the condition',
      subject: 'openebs/openebs-io-local',
    },
    {
      line: 'I0112 10:00:31.000200   12345 leaderelection.go:263] failed to renew lease kube-system/kube-controller-manager: failed to tryAcquireOrRenew context deadline exceeded',
      subject: 'kube-system/kube-controller-manager',
    },
    {
      line: 'I0112 10:00:31.000200       1 leaderelection.go:227] failed to renew lease kube-system/kube-scheduler: timed out waiting for the condition',
      subject: 'kube-system/kube-scheduler',
    },
    {
      line: 'E0112 10:00:29.100000   12345 leaderelection.go:332] "Failed to update lock" err="Put \\"https://127.0.0.1:16443/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler?timeout=15s\\": context deadline exceeded" lock="kube-system/kube-scheduler"',
      subject: 'kube-system/kube-scheduler',
    },
  ],
  negatives: [
    'E0112 10:00:29.100000   12345 leaderelection.go:361] Failed to update lock optimitically: Operation cannot be fulfilled on leases.coordination.k8s.io "kube-scheduler": the object has been modified; please apply your changes to the latest version and try again, falling back to slow path',
    'I0112 10:00:01.123456   12345 leaderelection.go:250] attempting to acquire leader lease kube-system/kube-controller-manager...',
    'I0112 10:00:05.000000   12345 leaderelection.go:278] successfully renewed lease kube-system/kube-scheduler',
    '{"level":"warn","ts":"2024-01-12T10:00:05.123Z","caller":"v3lease/lessor.go:444","msg":"failed to renew lease","lease-id":"694d7d1ebc6b0f05","error":"lease not found"}',
    'E0112 10:00:45.100000   12345 leaderelection.go:409] Failed to update lock optimistically: Operation cannot be fulfilled, falling back to slow path',
    '      --leader-elect-renew-deadline duration   The interval between attempts by the acting master to renew a leadership slot before it stops leading.',
  ],
};
