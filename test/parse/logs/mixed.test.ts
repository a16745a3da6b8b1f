import { describe, expect, it } from 'vitest';
import { parseBytes } from '../_parse-file.js';

/**
 * Files as operators write them: a controller-runtime manager's zap JSON interleaved with client-go's
 * klog text on the same stderr (catalog §2.5), a Go panic in the middle, etcd's own formats. Each
 * line is read through the format sniffers on its own.
 */
describe('files that mix formats', () => {
  it('reads zap JSON and klog lines of one operator log line by line, without a problem', () => {
    const text = [
      '{"level":"info","ts":"2024-01-12T10:00:01Z","logger":"setup","msg":"starting manager"}',
      'I0112 10:00:31.000200       1 leaderelection.go:283] failed to renew lease awx/awx-operator: timed out waiting for the condition',
      '{"level":"error","ts":"2024-01-12T10:00:40Z","logger":"setup","msg":"problem running manager","error":"leader election lost"}',
      'E0112 10:00:29.100000       1 leaderelection.go:367] Failed to update lock: Put "https://10.152.183.1:443/apis/coordination.k8s.io/v1/namespaces/awx/leases/awx-operator?timeout=5s": context deadline exceeded',
      'panic: runtime error: invalid memory address or nil pointer dereference',
      'goroutine 1 [running]:',
      '{"level":"info","ts":"2024-01-12T10:00:44Z","logger":"setup","msg":"starting manager"}',
    ].join('\n');
    const { type, result, events } = parseBytes('manager.log', Buffer.from(`${text}\n`), { year: 2024 });
    expect(type).toBe('json-log');
    expect(result.problems).toEqual([]);
    expect(events.map((e) => [e.line, e.kind, e.subject, e.ts])).toEqual([
      [2, 'lease_renew_failure', 'awx/awx-operator', '2024-01-12T10:00:31.000Z'],
      [3, 'leader_lost', null, '2024-01-12T10:00:40.000Z'],
      [4, 'lease_renew_failure', 'awx/awx-operator', '2024-01-12T10:00:29.100Z'],
    ]);
  });

  it('still names a JSON object cut short', () => {
    const text = [
      '{"level":"info","ts":"2024-01-12T10:00:01Z","msg":"a"}',
      '{"level":"info","ts":"2024-01-12T10:00:02Z","msg":"b"',
      '{"level":"info","ts":"2024-01-12T10:00:03Z","msg":"c"}',
    ];
    const { result } = parseBytes('manager.log', Buffer.from(`${text.join('\n')}\n`));
    expect(result.problems).toEqual(['1 of 3 lines are cut-off JSON objects (first: line 2); read as text']);
  });

  it('reads an etcd log that switched from capnslog text to zap JSON, each line with its own clock', () => {
    const text = [
      '2024-01-12 10:00:31.456789 W | wal: sync duration of 1.51s, expected less than 1s',
      '2024-01-12 10:00:31.500000 W | etcdserver: read-only range request "key:\\"/registry/leases/kube-system/kube-scheduler\\" " with result "range_response_count:1 size:482" took too long (1.203941s) to execute',
      '{"level":"warn","ts":"2024-01-12T10:05:00.123Z","caller":"wal/wal.go:805","msg":"slow fdatasync","took":"1.8s","expected-duration":"1s"}',
      '{"level":"warn","ts":"2024-01-12T10:05:01.000+0000","caller":"etcdserver/util.go:166","msg":"apply request took too long","took":"312.5ms","expected-duration":"100ms","prefix":"read-only range ","request":"key:\\"/registry/pods/\\" ","response":"range_response_count:42 size:9001"}',
    ].join('\n');
    const { events } = parseBytes('etcd.log', Buffer.from(`${text}\n`), { tz: 'UTC' });
    expect(events.map((e) => [e.line, e.kind, e.ts, e.attrs?.signal, e.attrs?.tookMs])).toEqual([
      [1, 'datastore_slow', '2024-01-12T10:00:31.456Z', 'fdatasync', 1510],
      [2, 'datastore_slow', '2024-01-12T10:00:31.500Z', 'apply', 1203.941],
      [3, 'datastore_slow', '2024-01-12T10:05:00.123Z', 'fdatasync', 1800],
      [4, 'datastore_slow', '2024-01-12T10:05:01.000Z', 'apply', 312.5],
    ]);
  });
});

describe('apiserver Trace blocks', () => {
  const blocks = {
    '1.16 old format in a journal': [
      'Jan 12 10:00:35 node-1 microk8s.daemon-apiserver[1234]: I0112 10:00:35.100000    1234 trace.go:116] Trace[1858400541]: "GuaranteedUpdate etcd3: *coordination.Lease" (started: 2024-01-12 10:00:33.001234567 +0000 UTC m=+3600.12) (total time: 2.098765s):',
      'Jan 12 10:00:35 node-1 microk8s.daemon-apiserver[1234]: Trace[1858400541]: [2.098512s] [2.097001s] Transaction committed',
      'Jan 12 10:00:35 node-1 microk8s.daemon-apiserver[1234]: Trace[1858400541]: [2.098765s] [253ns] END',
    ],
    '1.22+ format in a CRI file': [
      '2024-01-12T10:00:35.1Z stderr F I0112 10:00:35.100000       1 trace.go:236] Trace[1726931916]: "Update" accept:application/vnd.kubernetes.protobuf, */*,audit-id:7c1d,client:127.0.0.1,api-group:coordination.k8s.io,api-version:v1,name:kube-scheduler,subresource:,namespace:kube-system,protocol:HTTP/2.0,resource:leases,scope:resource,url:/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler,verb:PUT (12-Jan-2024 10:00:30.095) (total time: 5004ms):',
      '2024-01-12T10:00:35.1Z stderr F Trace[1726931916]:  ---"Txn call failed" err:context deadline exceeded 5002ms (10:00:35.099)',
      '2024-01-12T10:00:35.1Z stderr F Trace[1726931916]: ["GuaranteedUpdate etcd3" audit-id:7c1d,key:/leases/kube-system/kube-scheduler,type:*coordination.Lease,resource:leases.coordination.k8s.io 5003ms (10:00:30.096)',
      '2024-01-12T10:00:35.1Z stderr F Trace[1726931916]:  ---"Txn call failed" err:context deadline exceeded 5002ms (10:00:35.099)]',
      '2024-01-12T10:00:35.1Z stderr F Trace[1726931916]: [5.004512331s] [5.004512331s] END',
    ],
  };
  for (const [name, lines] of Object.entries(blocks)) {
    it(`counts a block once, on its header (${name})`, () => {
      const { events } = parseBytes('apiserver.log', Buffer.from(`${lines.join('\n')}\n`), {
        year: 2024,
        tz: 'UTC',
      });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ line: 1, kind: 'datastore_slow', attrs: { signal: 'trace' } });
      expect(events[0]?.attrs?.totalMs).toBe(name.startsWith('1.16') ? 2098.765 : 5004);
    });
  }
});

describe('near-misses stay out', () => {
  it('reads a pasted shell session and help text without an event', () => {
    const text = [
      'user@node-1:~$ journalctl -u snap.microk8s.daemon-k8s-dqlite | grep "Slow SQL"',
      '$ sudo microk8s kubectl logs -n kube-system kube-scheduler-node-1 | grep "leaderelection lost"',
      "# grep -c 'failed to renew lease' /var/log/kubelite.log",
      'root@node-1:/var/snap/microk8s/current# microk8s kubectl get pods -A | grep CrashLoopBackOff',
      'Usage:',
      '  kube-scheduler [flags]',
      '      --leader-elect-renew-deadline duration   The interval between attempts by the acting master to renew a leadership slot before it stops leading. (default 10s)',
      '      --eviction-hard mapStringString   A set of eviction thresholds (e.g. memory.available<1Gi) that if met would trigger a pod eviction.',
      '      --slow-sql-threshold duration   The duration which SQL queries are logged at info level (default 1s)',
      'I0112 10:00:05.000000   12345 leaderelection.go:278] successfully renewed lease kube-system/kube-scheduler',
    ].join('\n');
    const { events } = parseBytes('notes.txt', Buffer.from(`${text}\n`));
    expect(events).toEqual([]);
  });
});
