import { podFromKubeletRef, podSubject } from './_subjects.js';
import type { EventRule } from './types.js';

/**
 * A container or unit restarting over and over: the kubelet's `Back-off restarting failed container`,
 * `CrashLoopBackOff` reasons, and systemd's `Scheduled restart job, restart counter is at N`.
 */
export const crashloop: EventRule = {
  kind: 'crashloop',
  description: 'back-off restarting, restart counters, CrashLoopBackOff',
  severity: 'warning',
  needles: ['Back-off restarting', 'back-off restarting', 'CrashLoopBackOff', 'restart counter is at'],
  match(input) {
    const { text } = input;
    const unit = /^(\S+\.service): Scheduled restart job, restart counter is at (\d+)/.exec(text);
    if (unit) return { subject: unit[1] as string, attrs: { restarts: Number(unit[2]) } };
    if (
      /\b[Bb]ack-off (?:\d+\w+ )?restarting failed container\b/.test(text) ||
      /\bCrashLoopBackOff\b/.test(text)
    ) {
      return { subject: podSubject(input) ?? podFromKubeletRef(text) };
    }
    return null;
  },
  samples: [
    {
      line: 'Apr 01 09:12:40 k8s02 microk8s.daemon-kubelite[53319]: E0401 09:12:40.000000   53319 pod_workers.go:1300] "Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"csi-nfs\\" with CrashLoopBackOff: \\"back-off 5m0s restarting failed container=csi-nfs pod=csi-nfs-controller-7d9f_kube-system(0b1c)\\"" pod="kube-system/csi-nfs-controller-7d9f" podUID="0b1c"',
      subject: 'kube-system/csi-nfs-controller-7d9f',
    },
    {
      line: 'Jan 12 10:00:41 node-1 systemd[1]: snap.microk8s.daemon-kubelite.service: Scheduled restart job, restart counter is at 5.',
      subject: 'snap.microk8s.daemon-kubelite.service',
    },
    {
      line: 'I0112 10:00:41.000000   53319 event.go:376] "Event occurred" object="kube-system/calico-kube-controllers-77bd7c5b-x8xkq" fieldPath="spec.containers{calico-kube-controllers}" kind="Pod" apiVersion="v1" type="Warning" reason="BackOff" message="Back-off restarting failed container calico-kube-controllers in pod calico-kube-controllers-77bd7c5b-x8xkq_kube-system(2b8e)"',
      subject: 'kube-system/calico-kube-controllers-77bd7c5b-x8xkq',
    },
  ],
  negatives: [
    'Jan 12 10:00:31 node-1 systemd[1]: snap.microk8s.daemon-kubelite.service: Main process exited, code=exited, status=255/EXCEPTION',
    '    Restart Count:  0',
    '  restartPolicy: Always',
  ],
};
