/** A small incident case built in code (real line shapes), for render tests that must not depend on ingest. */
import {
  caseData,
  count,
  deployment,
  event,
  klogRenew,
  node,
  pod,
  snapshotEvent,
  snapshotReport,
} from '../analyze/_case.js';
import type { CaseData } from '../../src/types/index.js';

/** `kubectl logs` of each lease holder's pod, saved as logs/<namespace>/<pod>/<container>.log. */
const LEASE_LOGS: Record<string, string> = {
  'ci/awx-operator': 'logs/ci/awx-operator-controller-manager-6d9f7c5b8-x2k9p/manager.log',
  'kube-system/csi-nfs': 'logs/kube-system/csi-nfs-controller-6c8d7b9f4-r5t6u/csi-provisioner.log',
};

export function miniIncident(): CaseData {
  const base = Date.parse('2026-03-31T22:00:00Z');
  const iso = (s: number) => new Date(base + s * 1000).toISOString();
  const events = [];
  for (let i = 0; i < 12; i++) {
    const at = i * 127 + (i % 3) * 11;
    events.push(
      snapshotEvent(iso(at), `snapshot-4-${183_400_000 + i * 512}-${1_700_000_000 + at * 1000}`, 225_443_840),
    );
    if (i % 4 !== 3) {
      const lease = i % 2 ? 'kube-system/csi-nfs' : 'ci/awx-operator';
      events.push(
        event('lease_renew_failure', iso(at + 4 + (i % 5)), klogRenew(lease), {
          subject: lease,
          file: LEASE_LOGS[lease]!,
        }),
      );
      events.push(
        event(
          'apiserver_timeout',
          iso(at + 2),
          'E0331 22:02:41.500000    2290 writers.go:122] "Unhandled Error" err="apiserver was unable to write a JSON response: http: Handler timeout" | pipe `tick`',
          { file: 'k8s02/journal/kubelite.log' },
        ),
      );
    }
  }
  events.push(
    event('lease_renew_failure', iso(700), klogRenew('kube-system/csi-nfs'), {
      subject: 'kube-system/csi-nfs',
      file: LEASE_LOGS['kube-system/csi-nfs']!,
    }),
  );
  events.push(
    event('unknown_flag', '2026-04-02T04:58:11.402Z', 'flag provided but not defined: -lease-duration', {
      file: 'logs/ci/gh-arc/manager-previous.log',
      subject: 'ci/gh-arc',
    }),
  );
  return caseData({
    events,
    facts: [
      pod({
        namespace: 'kube-system',
        name: 'csi-nfs-controller-6c8d7b9f4-r5t6u',
        restarts: 640,
        waitingReason: 'CrashLoopBackOff',
        node: 'k8s03',
      }),
      pod({
        namespace: 'ci',
        name: 'awx-operator-controller-manager-6d9f7c5b8-x2k9p',
        restarts: 712,
        waitingReason: 'CrashLoopBackOff',
      }),
      deployment({
        namespace: 'kube-system',
        name: 'calico-kube-controllers',
        images: ['docker.io/calico/kube-controllers:v3.13.2'],
        env: { ENABLED_CONTROLLERS: 'node' },
      }),
      count('ipamhandles.crd.projectcalico.org', 6071),
      node('k8s02', [
        {
          type: 'DiskPressure',
          status: 'True',
          lastTransitionTime: '2026-03-31T23:12:09Z',
          message: 'kubelet has disk pressure',
        },
      ]),
    ],
    snapshotReports: [
      snapshotReport('k8s02/backend-snapshots/snapshot-4-183435887-1738473286', 183435887, [
        ['/registry/crd.projectcalico.org/ipamhandles/', 6071, 9_000_000],
        ['/registry/pods/', 300, 2_000_000],
      ]),
      snapshotReport('k8s02/backend-snapshots/snapshot-4-183437979-1822515154', 183437979, [
        ['/registry/crd.projectcalico.org/ipamhandles/', 599, 900_000],
        ['/registry/pods/', 300, 2_000_000],
      ]),
    ],
  });
}
