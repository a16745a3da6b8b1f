import { namespacedName } from './_subjects.js';
import type { EventRule } from './types.js';

/**
 * Leadership ended: kube-controller-manager `leaderelection lost` (Fatalf ≤1.23, ErrorS 1.24+), the
 * scheduler's `Leaderelection lost`, controller-runtime's `leader election lost`, and the
 * `<identity> stopped leading` LeaderElection event. The lost lock is named only by some lines; the
 * KCM and scheduler ones are tied to their well-known leases.
 */
const LOST = /\b(?:migration )?(?:leaderelection|leader election) lost\b/i;

export const leaderLost: EventRule = {
  kind: 'leader_lost',
  description: 'stopped leading: leader election lost',
  severity: 'error',
  needles: ['eaderelection lost', 'eader election lost', 'stopped leading'],
  match({ text, fields }) {
    const named = namespacedName(fields.lock) ?? namespacedName(fields.object);
    if (LOST.test(text)) {
      if (named) return { subject: named };
      if (fields.caller?.startsWith('controllermanager.go'))
        return { subject: 'kube-system/kube-controller-manager' };
      if (/\bLeaderelection lost\b/.test(text)) return { subject: 'kube-system/kube-scheduler' };
      return { subject: null };
    }
    if (/\bstopped leading\b/.test(text)) return { subject: named };
    return null;
  },
  samples: [
    {
      line: 'Jan 12 10:00:31 node-1 microk8s.daemon-kubelite[12345]: F0112 10:00:31.001377   12345 controllermanager.go:294] leaderelection lost',
      subject: 'kube-system/kube-controller-manager',
    },
    {
      line: 'E0112 10:00:31.001377   12345 controllermanager.go:318] "leaderelection lost"',
      subject: 'kube-system/kube-controller-manager',
    },
    {
      line: 'E0112 10:00:31.001377   12345 server.go:266] "Leaderelection lost"',
      subject: 'kube-system/kube-scheduler',
    },
    {
      line: '{"level":"error","ts":"2024-01-12T10:00:40Z","logger":"setup","msg":"problem running manager","error":"leader election lost"}',
      subject: null,
    },
    {
      line: 'I0603 10:00:31.000000   12345 event.go:291] "Event occurred" object="kube-system/kube-controller-manager" kind="Lease" apiVersion="coordination.k8s.io/v1" type="Normal" reason="LeaderElection" message="node-1_653179cd-1f2e-4a7b-9c0d-123456789abc stopped leading"',
      subject: 'kube-system/kube-controller-manager',
    },
    {
      line: '2026-03-31T22:04:43.997012903Z F0331 22:04:43.997195       1 leader_election.go:184] stopped leading',
      subject: null,
    },
  ],
  negatives: [
    'I0112 10:00:01.123456   12345 leaderelection.go:250] attempting to acquire leader lease kube-system/kube-controller-manager...',
    '{"level":"info","ts":"2024-01-12T10:00:05.123Z","logger":"raft","caller":"etcdserver/zap_raft.go:77","msg":"raft.node: 8e9e05c52164694d lost leader 8e9e05c52164694d at term 3"}',
    'LIBRAFT   1705053631001377000 src/election.c:123 election timeout, converting to candidate',
    '      --leader-elect                         Start a leader election client and gain leadership before executing the main loop. (default true)',
  ],
};
