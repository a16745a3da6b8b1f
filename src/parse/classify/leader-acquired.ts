import { namespacedName } from './_subjects.js';
import type { EventRule, RuleMatch } from './types.js';

/**
 * Leadership gained: `successfully acquired lease ns/name` / `"Successfully acquired lease" lock=…`
 * and the `<identity> became leader` LeaderElection event. A raft node that `became leader at term N`
 * (etcd, dqlite) is a datastore election, not a Kubernetes lease. kube-vip logs every new leader it
 * observes (`Node [node-2] is assuming leadership of the cluster`, ≥0.9 `New leader leader=node-2`):
 * an acquisition only when the leader is this node — `This node is …` or the journal's own host.
 */
const KUBE_VIP_SELF = /^This node is (?:assuming|starting with) leadership of the cluster\b/;
const KUBE_VIP_OTHER = /^Node \[([^\]]+)\] is assuming leadership of the cluster\b|^New leader\b/;
export const leaderAcquired: EventRule = {
  kind: 'leader_acquired',
  description: 'a leader election lease was acquired',
  severity: 'info',
  needles: ['cquired lease', 'became leader', 'leadership of the cluster', 'New leader'],
  match({ text, fields }): RuleMatch | null {
    if (KUBE_VIP_SELF.test(text)) return { subject: null, attrs: { emitter: 'kube-vip' } };
    const observed = KUBE_VIP_OTHER.exec(text);
    if (observed) {
      const leader = observed[1] ?? fields.leader;
      return leader && fields.host && leader === fields.host
        ? { subject: null, attrs: { emitter: 'kube-vip', leader } }
        : null;
    }
    const printf = /\bsuccessfully acquired lease (\S+)/i.exec(text);
    if (printf) {
      const subject = namespacedName(printf[1]) ?? namespacedName(fields.lock);
      return subject ? { subject } : null;
    }
    if (/\S became leader\b(?! at term)/.test(text) && !/\braft\b/i.test(text)) {
      return { subject: namespacedName(fields.object) ?? namespacedName(fields.lock) };
    }
    return null;
  },
  samples: [
    {
      line: 'I0112 10:00:01.500000   12345 leaderelection.go:258] successfully acquired lease kube-system/kube-scheduler',
      subject: 'kube-system/kube-scheduler',
    },
    {
      line: 'I0112 10:00:01.500000   12345 leaderelection.go:272] "Successfully acquired lease" lock="kube-system/kube-scheduler"',
      subject: 'kube-system/kube-scheduler',
    },
    {
      line: 'I0603 10:01:02.000000   12345 event.go:291] "Event occurred" object="kube-system/kube-scheduler" kind="Lease" apiVersion="coordination.k8s.io/v1" type="Normal" reason="LeaderElection" message="node-1_0f3c9d2e-1a2b-4c5d-8e9f-0a1b2c3d4e5f became leader"',
      subject: 'kube-system/kube-scheduler',
    },
    {
      line: 'time="2024-01-12T10:00:45Z" level=info msg="This node is assuming leadership of the cluster"',
      subject: null,
    },
    {
      line: 'Jan 12 10:00:45 node-2 kube-vip[812]: time="2024-01-12T10:00:45Z" level=info msg="Node [node-2] is assuming leadership of the cluster"',
      subject: null,
    },
  ],
  negatives: [
    'time="2024-01-12T10:00:45Z" level=info msg="Node [node-2] is assuming leadership of the cluster"',
    '2024/01/12 10:00:31 INFO New leader leader=node-2',
    'I0112 10:00:44.000000   23456 leaderelection.go:243] attempting to acquire leader lease  kube-system/kube-scheduler...',
    'I0112 10:00:01.123456   12345 leaderelection.go:250] attempting to acquire leader lease kube-system/kube-scheduler...',
    '{"level":"info","ts":"2024-01-12T10:00:05.123Z","logger":"raft","msg":"8e9e05c52164694d became leader at term 2"}',
    'I0112 10:00:01.123456   12345 leaderelection.go:352] lock is held by node-2_9a8b and has not yet expired',
  ],
};
