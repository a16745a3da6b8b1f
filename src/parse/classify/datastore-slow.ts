import { namespacedName } from './_subjects.js';
import type { EventRule } from './types.js';

/**
 * The datastore (etcd, kine, k8s-dqlite/dqlite) was slow (§5): kine's `Slow SQL`, the header line of
 * an apiserver `Trace[…]` block (printed only past its threshold; step lines are not counted again),
 * etcd `request timed out` / `took too long` / `slow fdatasync`, the apiserver's etcd client giving up on the kine socket
 * with DeadlineExceeded, `database is locked`, and k8s-dqlite range/txn errors cut by a context.
 */
const TRACE_HEADER = /^Trace\[\d+\]: "[^"]*".*\(total time: (\d+)ms\)/;

export const datastoreSlow: EventRule = {
  kind: 'datastore_slow',
  description: 'etcd/dqlite/kine slowness: slow SQL, slow traces, request timed out, took too long',
  severity: 'warning',
  needles: [
    'Slow SQL',
    '(total time:',
    'request timed out',
    'took too long',
    'slow fdatasync',
    'unary invoker failed',
    'database is locked',
    'error while range on',
    'error in txn',
  ],
  match({ text }) {
    const trace = TRACE_HEADER.exec(text);
    if (trace) {
      const lease = /name:([a-z0-9.-]+),.*namespace:([a-z0-9.-]+),.*resource:leases/.exec(text);
      return {
        subject: lease ? namespacedName(`${lease[2]}/${lease[1]}`) : null,
        attrs: { totalMs: Number(trace[1]) },
      };
    }
    if (/\bSlow SQL\b/.test(text)) return { subject: null };
    if (/etcdserver: request timed out/.test(text)) return { subject: null };
    if (/\btook too long\b/.test(text) && !/\bprobe\b/i.test(text)) return { subject: null };
    if (/\bslow fdatasync\b/.test(text)) return { subject: null };
    if (/retrying of unary invoker failed/.test(text) && /DeadlineExceeded/.test(text))
      return { subject: null };
    if (/\bdatabase is locked\b/.test(text)) return { subject: null };
    if (/\berror (?:while range on|in txn)\b.*context (?:canceled|deadline exceeded)/.test(text)) {
      return { subject: null };
    }
    return null;
  },
  samples: [
    {
      line: 'I0112 10:00:35.100000   12345 trace.go:236] Trace[1726931916]: "Update" accept:application/vnd.kubernetes.protobuf, */*,audit-id:7c1d,client:127.0.0.1,api-group:coordination.k8s.io,api-version:v1,name:kube-scheduler,subresource:,namespace:kube-system,protocol:HTTP/2.0,resource:leases,scope:resource,url:/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler,verb:PUT (12-Jan-2024 10:00:30.095) (total time: 5004ms):',
      subject: 'kube-system/kube-scheduler',
    },
    {
      line: 'time="2024-07-12T10:00:05Z" level=info msg="Slow SQL (started: 2024-07-12 10:00:03.1 +0000 UTC) (total time: 1.9s): SELECT * FROM kine : <nil>"',
      subject: null,
    },
    {
      line: '{"level":"warn","ts":"2024-01-12T10:00:05.123Z","logger":"etcd-client","caller":"v3@v3.5.9/retry_interceptor.go:62","msg":"retrying of unary invoker failed","target":"etcd-endpoints://0xc000a1b2c3/unix:///var/snap/microk8s/current/var/kubernetes/backend/kine.sock:12379","attempt":0,"error":"rpc error: code = DeadlineExceeded desc = context deadline exceeded"}',
      subject: null,
    },
    {
      line: 'Jan 12 10:00:02 node-1 microk8s.daemon-k8s-dqlite[2222]: time="2024-01-12T10:00:02Z" level=error msg="error while range on /registry/serviceaccounts/ /registry/serviceaccounts/: context canceled"',
      subject: null,
    },
    {
      line: '{"level":"warn","ts":"2024-01-12T10:00:05.123Z","caller":"etcdserver/util.go:166","msg":"apply request took too long","took":"1.2s","expected-duration":"100ms"}',
      subject: null,
    },
    {
      line: '{"level":"warn","ts":"2024-01-12T10:00:05.123Z","caller":"etcdserver/raft.go:369","msg":"leader failed to send out heartbeat on time; took too long, leader is overloaded likely from slow disk","to":"8e9e05c52164694d","heartbeat-interval":"100ms","expected-duration":"200ms","exceeded-duration":"1.1s"}',
      subject: null,
    },
    {
      line: '{"level":"warn","ts":"2024-01-12T10:00:05.123Z","caller":"wal/wal.go:805","msg":"slow fdatasync","took":"1.8s","expected-duration":"1s"}',
      subject: null,
    },
  ],
  negatives: [
    'Trace[1726931916]:  ---"Txn call failed" err:context deadline exceeded 5002ms (10:00:35.099)]',
    'Trace[1726931916]: [5.004512331s] [5.004512331s] END',
    'W0401 09:12:20.000100   53319 prober.go:104] "Probe failed" probeType="Liveness" pod="ci/awx-0" output="the probe took too long to respond"',
    'time="2024-01-12T10:00:02Z" level=info msg="Configure dqlite raft snapshot parameters" threshold=512 trailing=4096',
    '{"level":"info","ts":"2024-01-12T10:00:05.123Z","logger":"raft","msg":"raft.node: 8e9e05c52164694d elected leader 8e9e05c52164694d at term 2"}',
  ],
};
