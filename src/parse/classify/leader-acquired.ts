import { namespacedName } from './_subjects.js';
import type { EventRule } from './types.js';

/**
 * Leadership gained: `successfully acquired lease ns/name` / `"Successfully acquired lease" lock=…`
 * and the `<identity> became leader` LeaderElection event. A raft node that `became leader at term N`
 * (etcd, dqlite) is a datastore election, not a Kubernetes lease.
 */
export const leaderAcquired: EventRule = {
  kind: 'leader_acquired',
  description: 'a leader election lease was acquired',
  severity: 'info',
  needles: ['cquired lease', 'became leader'],
  match({ text, fields }) {
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
  ],
  negatives: [
    'I0112 10:00:01.123456   12345 leaderelection.go:250] attempting to acquire leader lease kube-system/kube-scheduler...',
    '{"level":"info","ts":"2024-01-12T10:00:05.123Z","logger":"raft","msg":"8e9e05c52164694d became leader at term 2"}',
    'I0112 10:00:01.123456   12345 leaderelection.go:352] lock is held by node-2_9a8b and has not yet expired',
  ],
};
