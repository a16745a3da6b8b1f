import { namespacedName, podFromKubeletRef, podSubject } from './_subjects.js';
import type { EventRule } from './types.js';

/**
 * A container or unit restarting over and over (catalog §8): the kubelet's back-off in every wording —
 * `Back-off 40s restarting failed container=…` (glog era), `back-off 5m0s restarting failed
 * container=…` (klog, inside `Error syncing pod … CrashLoopBackOff`), the BackOff event `Back-off
 * restarting failed container` (≤1.25; `… <c> in pod <pod>_<ns>(<uid>)` 1.26+; `… docker container`
 * in the dockertools era) — `CrashLoopBackOff` reasons, and systemd's `Scheduled restart job, restart
 * counter is at N`, `Service hold-off time over, scheduling restart.` (older systemd) and the give-up
 * `Start request repeated too quickly.`, with or without the journal's prefix.
 */
const BACK_OFF = /\b[Bb]ack-off (?:\d[\dhms.]* )?restarting failed (?:docker )?container\b/;
const UNIT =
  /^(\S+\.(?:service|scope)): (?:Scheduled restart job, restart counter is at (\d+)|Service hold-off time over, scheduling restart|(Start request repeated too quickly))/;

export const crashloop: EventRule = {
  kind: 'crashloop',
  description: 'back-off restarting, restart counters, CrashLoopBackOff',
  severity: 'warning',
  needles: [
    'restarting failed',
    'CrashLoopBackOff',
    'restart counter is at',
    'hold-off time over',
    'repeated too quickly',
  ],
  match(input) {
    const { text, fields } = input;
    const unit = UNIT.exec(text);
    if (unit) {
      const attrs: Record<string, number | boolean> = {};
      if (unit[2]) attrs.restarts = Number(unit[2]);
      if (unit[3]) attrs.gaveUp = true;
      return { subject: unit[1] as string, attrs };
    }
    if (BACK_OFF.test(text) || /\bCrashLoopBackOff\b/.test(text)) {
      const object = fields.kind === 'Pod' ? namespacedName(fields.object) : null;
      return { subject: podSubject(input) ?? object ?? podFromKubeletRef(text) };
    }
    return null;
  },
  samples: [
    {
      line: 'Apr 01 09:12:40 k8s02 microk8s.daemon-kubelite[53319]: E0401 09:12:40.000000   53319 pod_workers.go:1300] "Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"csi-nfs\\" with CrashLoopBackOff: \\"back-off 5m0s restarting failed container=csi-nfs pod=csi-nfs-controller-7d9f_kube-system(0b1c)\\"" pod="kube-system/csi-nfs-controller-7d9f" podUID="0b1c"',
      subject: 'kube-system/csi-nfs-controller-7d9f',
    },
    {
      line: 'E0112 10:05:01.123456    4321 pod_workers.go:190] Error syncing pod 0b6e ("web-7d9c_default(0b6e)"), skipping: failed to "StartContainer" for "app" with CrashLoopBackOff: "back-off 5m0s restarting failed container=app pod=web-7d9c_default(0b6e)"',
      subject: 'default/web-7d9c',
    },
    {
      line: 'I0112 10:05:01.123456    4321 kuberuntime_manager.go:760] Back-off 40s restarting failed container=app pod=web-7d9c_default(0b6e)',
      subject: 'default/web-7d9c',
    },
    {
      line: 'I0112 10:05:01.123456    4321 kuberuntime_manager.go:1035] back-off 2m40s restarting failed container=app pod=web-7d9c_default(0b6e)',
      subject: 'default/web-7d9c',
    },
    {
      line: 'Jan 12 10:00:41 node-1 systemd[1]: snap.microk8s.daemon-kubelite.service: Scheduled restart job, restart counter is at 5.',
      subject: 'snap.microk8s.daemon-kubelite.service',
    },
    {
      line: 'snap.microk8s.daemon-kubelite.service: Scheduled restart job, restart counter is at 7.',
      subject: 'snap.microk8s.daemon-kubelite.service',
    },
    {
      line: '2024-01-12T10:00:36+0000 node-1 systemd[1]: kubelet.service: Scheduled restart job, restart counter is at 12.',
      subject: 'kubelet.service',
    },
    {
      line: 'Jan 12 10:00:36 node-1 systemd[1]: snap.microk8s.daemon-kubelite.service: Service hold-off time over, scheduling restart.',
      subject: 'snap.microk8s.daemon-kubelite.service',
    },
    {
      line: 'Jan 12 10:00:36 node-1 systemd[1]: snap.microk8s.daemon-kubelite.service: Start request repeated too quickly.',
      subject: 'snap.microk8s.daemon-kubelite.service',
    },
    {
      line: 'I0112 10:00:41.000000   53319 event.go:376] "Event occurred" object="kube-system/calico-kube-controllers-77bd7c5b-x8xkq" fieldPath="spec.containers{calico-kube-controllers}" kind="Pod" apiVersion="v1" type="Warning" reason="BackOff" message="Back-off restarting failed container calico-kube-controllers in pod calico-kube-controllers-77bd7c5b-x8xkq_kube-system(2b8e)"',
      subject: 'kube-system/calico-kube-controllers-77bd7c5b-x8xkq',
    },
    {
      line: 'I0112 10:05:01.123456    4321 event.go:291] "Event occurred" object="default/web-7d9c" kind="Pod" apiVersion="v1" type="Warning" reason="BackOff" message="Back-off restarting failed container"',
      subject: 'default/web-7d9c',
    },
    {
      line: 'I0112 10:05:01.123456    4321 event.go:291] "Event occurred" object="default/web-7d9c" kind="Pod" apiVersion="v1" type="Warning" reason="BackOff" message="Back-off restarting failed docker container"',
      subject: 'default/web-7d9c',
    },
  ],
  negatives: [
    'Jan 12 10:00:31 node-1 systemd[1]: snap.microk8s.daemon-kubelite.service: Main process exited, code=exited, status=255/EXCEPTION',
    '    Restart Count:  0',
    '  restartPolicy: Always',
    '# journalctl -u snap.microk8s.daemon-kubelite | grep "restart counter is at"',
  ],
};
