import { namespacedName } from './_subjects.js';
import type { EventRule } from './types.js';

/**
 * Leadership ended (log-signatures-catalog.md §4): kube-controller-manager `leaderelection lost`
 * (Fatalf ≤1.23, ErrorS 1.24+, `migration leaderelection lost` with coordinated election 1.31+), the
 * scheduler's `lost master` (glog era) / `leaderelection lost` / `Leaderelection lost` (1.24+),
 * cluster-autoscaler's `lost master`, controller-runtime's `leader election lost` (in the `error`
 * field, which the JSON and zap-console readers fold into the body), library-go's `leader election
 * lost` warning, kube-vip (`lost leadership, restarting kube-vip` and its services / control-plane
 * variants, `leader lost: <id>`, per-service `leader lost: [<id>]`, slog `leader lost "new leader"=…`,
 * `leadership lost service=…`) and the `<identity> stopped leading` LeaderElection event. The lost lock
 * is named only by some lines; the KCM and scheduler ones are tied to their well-known leases.
 */
const LOST = /\b(?:migration )?(?:leaderelection|leader election) lost\b/i;
const LOST_MASTER = /^lost master$/;
const KUBE_VIP =
  /\blost (?:services |control plane )?leadership, restarting kube-vip\b|^(?:\(svc election\) service \[[^\]]*\] )?leader lost\b|^leadership lost\b/;

export const leaderLost: EventRule = {
  kind: 'leader_lost',
  description: 'stopped leading: leader election lost',
  severity: 'error',
  needles: [
    'eaderelection lost',
    'eader election lost',
    'stopped leading',
    'lost master',
    'leader lost',
    'leadership lost',
    'lost leadership',
    'lost services leadership',
    'lost control plane leadership',
  ],
  match({ text, fields }) {
    const named = namespacedName(fields.lock) ?? namespacedName(fields.object);
    const caller = fields.caller ?? '';
    if (LOST.test(text)) {
      if (named) return { subject: named };
      if (caller.startsWith('controllermanager.go'))
        return { subject: 'kube-system/kube-controller-manager' };
      if (
        /\bLeaderelection lost\b/.test(text) ||
        (caller.startsWith('server.go') && /^leaderelection lost$/.test(text))
      )
        return { subject: 'kube-system/kube-scheduler' };
      return { subject: null };
    }
    if (LOST_MASTER.test(text.trim())) {
      return { subject: caller.startsWith('server.go') ? 'kube-system/kube-scheduler' : null };
    }
    if (KUBE_VIP.test(text)) {
      const service = /\bservice[= ]\[?([a-z0-9][\w.-]*)/.exec(text);
      return {
        subject: null,
        attrs: { emitter: 'kube-vip', ...(service ? { service: service[1] as string } : {}) },
      };
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
      line: 'E0112 10:00:31.001377       1 controllermanager.go:331] "migration leaderelection lost"',
      subject: 'kube-system/kube-controller-manager',
    },
    {
      line: 'E0112 10:00:31.001377   12345 server.go:266] "Leaderelection lost"',
      subject: 'kube-system/kube-scheduler',
    },
    {
      line: 'F0112 10:00:31.001377       1 server.go:252] leaderelection lost',
      subject: 'kube-system/kube-scheduler',
    },
    {
      line: 'F0112 10:00:31.001377       1 server.go:200] lost master',
      subject: 'kube-system/kube-scheduler',
    },
    { line: 'F0112 10:00:31.000000       1 main.go:585] lost master', subject: null },
    {
      line: '{"level":"error","ts":"2024-01-12T10:00:40Z","logger":"setup","msg":"problem running manager","error":"leader election lost"}',
      subject: null,
    },
    {
      line: '{"level":"error","ts":1705053640.12,"logger":"setup","msg":"unable to run the manager","error":"leader election lost","stacktrace":"main.main\\n\\t/workspace/main.go:140"}',
      subject: null,
    },
    {
      line: '2024-01-12T10:00:40Z\tERROR\tsetup\tproblem running manager\t{"error": "leader election lost"}',
      subject: null,
    },
    { line: 'W0112 10:00:31.000000       1 leaderelection.go:84] leader election lost', subject: null },
    {
      line: 'time="2024-01-12T10:00:31Z" level=fatal msg="lost leadership, restarting kube-vip"',
      subject: null,
    },
    { line: 'time="2024-01-12T10:00:31Z" level=info msg="leader lost: node-1"', subject: null },
    {
      line: 'time="2024-01-12T10:00:31Z" level=info msg="(svc election) service [nginx] leader lost: [node-1]"',
      subject: null,
    },
    { line: '2024/01/12 10:00:31 ERROR lost leadership, restarting kube-vip', subject: null },
    { line: '2024/01/12 10:00:31 ERROR lost control plane leadership, restarting kube-vip', subject: null },
    { line: '2024/01/12 10:00:31 ERROR lost services leadership, restarting kube-vip', subject: null },
    { line: '2024/01/12 10:00:31 INFO leader lost "new leader"=node-2', subject: null },
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
    '{"level":"info","ts":"2024-01-12T10:05:00.123Z","logger":"raft","caller":"etcdserver/zap_raft.go:77","msg":"raft.node: 8e9e05c52164694d lost leader 8e9e05c52164694d at term 3"}',
    'LIBRAFT   1705053631001377000 src/election.c:123 election timeout, converting to candidate',
    '      --leader-elect                         Start a leader election client and gain leadership before executing the main loop. (default true)',
    'time="2024-01-12T10:00:31Z" level=info msg="Beginning cluster membership, namespace [kube-system], lock name [plndr-cp-lock], id [node-1]"',
    'sudo microk8s kubectl logs -n kube-system kube-scheduler | grep "leaderelection lost"',
    'user@node-1:~$ journalctl -u snap.microk8s.daemon-kubelite | grep -c "leader election lost"',
  ],
};
