import { digitAt } from '../time.js';
import { goDurationMs } from './_duration.js';
import { namespacedName } from './_subjects.js';
import type { EventRule, RuleMatch } from './types.js';

/**
 * The datastore (etcd, kine, k8s-dqlite/dqlite) was slow or without a leader (catalog §6). `attrs.signal`
 * says which evidence, `attrs.tookMs` how long when the line says:
 * - `fdatasync`: etcd's WAL sync over 1 s — zap `slow fdatasync`, capnslog `sync duration of 1.51s, expected less than 1s`;
 * - `apply`: etcd `apply request took too long` (zap; 100 ms threshold), capnslog `… request "…" with
 *   result "…" took too long (1.2s) to execute`, `apply entries took too long [1.2s for 1 entries]`;
 * - `heartbeat`: the etcd leader `failed to send out heartbeat on time` (slow disk, by etcd's own words);
 * - `read-index`: `timed out waiting for read index response`, `waiting for ReadIndex response took too long`;
 * - `request-timeout`: `etcdserver: request timed out`, and the apiserver's etcd client giving up
 *   (`retrying of unary invoker failed` with DeadlineExceeded);
 * - `trace`: the header line of an apiserver `Trace[…]` block (old `(total time: 2.098765s):` and new
 *   `(total time: 5004ms):`), printed only past its 500 ms threshold — its step and END lines are not
 *   counted again — and etcd's zap `trace[N] <operation>` with its `duration`;
 * - `slow-sql`: kine `Slow SQL (started: …) (total time: 1.2s)` and `Slow SQL: …` with `duration=`;
 * - `locked`: SQLite's `database is locked` surfacing through dqlite;
 * - `range-error`: k8s-dqlite/kine `error while range on …` / `error in txn` cut by a context;
 * - `no-leader`: go-dqlite `no available dqlite leader server found`, `… no known leader`.
 */
const TOTAL_TIME = '(total time: ';
/** A header's end after `(total time: `, from `lastIndex`. */
const TRACE_TAIL = /(\d+(?:\.\d+)?(?:ms|s|m|µs))\):?\s*$/y;
const ETCD_TRACE = /^trace\[\d+\] (\S.*)$/;
const LINE_ENDS = ['\n', '\r', '\u2028', '\u2029'];

/**
 * An apiserver `Trace[…]` header as `^Trace\[\d+\]: "([^"]*)".*\(total time: (\d+(?:\.\d+)?(?:ms|s|m|µs))\):?\s*$`
 * reads it: its operation and total time, or null. Read by parts, as the regex's `.*` over the long
 * header cost more than the rest of the rule: the operation ends at the first `"`; the total can only
 * be the last `(total time: ` (what may follow the one the regex takes has no `(`); `.` between them
 * stops at a line terminator. test/parse/classify/datastore-slow.test.ts compares both.
 */
export function traceHeader(text: string): { operation: string; total: string } | null {
  if (!text.startsWith('Trace[')) return null;
  let at = 6;
  while (digitAt(text, at) >= 0) at++;
  if (at === 6 || !text.startsWith(']: "', at)) return null;
  const open = at + 4;
  const close = text.indexOf('"', open);
  const total = text.lastIndexOf(TOTAL_TIME);
  if (close < 0 || total <= close || breaksLine(text, close + 1, total)) return null;
  TRACE_TAIL.lastIndex = total + TOTAL_TIME.length;
  const tail = TRACE_TAIL.exec(text);
  return tail && { operation: text.slice(open, close), total: tail[1] as string };
}

/**
 * Whether `text[from, to)` holds a line terminator, which `.` does not match. By `indexOf`s, which
 * search one-byte text for `\n` and `\r` far faster than a regex does, and know at once that such
 * text has no `\u2028`.
 */
function breaksLine(text: string, from: number, to: number): boolean {
  for (const end of LINE_ENDS) {
    const at = text.indexOf(end, from);
    if (at >= 0 && at < to) return true;
  }
  return false;
}

function took(text: string): number | null {
  const paren =
    /took too long \(([^)]+)\) to execute|\[(\S+) for \d+ entries\]|sync duration of (\S+?),/.exec(text);
  return paren ? goDurationMs(paren[1] ?? paren[2] ?? paren[3]) : null;
}

function slow(signal: string, tookMs: number | null, extra: Record<string, string> = {}): RuleMatch {
  return { subject: null, attrs: { signal, ...(tookMs !== null ? { tookMs } : {}), ...extra } };
}

export const datastoreSlow: EventRule = {
  kind: 'datastore_slow',
  description:
    'etcd/dqlite/kine slowness: fdatasync, took too long, read index, traces, slow SQL, locked, no leader',
  severity: 'warning',
  needles: [
    'Slow SQL',
    '(total time:',
    'request timed out',
    'took too long',
    'slow fdatasync',
    'sync duration of',
    'heartbeat on time',
    'read index response',
    'unary invoker failed',
    'database is locked',
    'error while range on',
    'error in txn',
    'dqlite leader',
    'no known leader',
    'trace[',
  ],
  match({ text, fields }) {
    const trace = traceHeader(text);
    if (trace) {
      // The includes() spares most non-lease traces the regex's backtracking over a long line.
      const lease = text.includes('resource:leases')
        ? /name:([a-z0-9.-]+),.*namespace:([a-z0-9.-]+),.*resource:leases/.exec(text)
        : null;
      const totalMs = goDurationMs(trace.total) ?? 0;
      return {
        subject: lease ? namespacedName(`${lease[2]}/${lease[1]}`) : null,
        attrs: { signal: 'trace', totalMs, tookMs: totalMs, operation: trace.operation },
      };
    }
    const etcdTrace = ETCD_TRACE.exec(text);
    if (etcdTrace && fields.duration)
      return slow('trace', goDurationMs(fields.duration), { operation: etcdTrace[1] as string });
    if (/\bSlow SQL\b/.test(text)) {
      const total = /\(total time: ([^)]+)\)/.exec(text);
      return slow('slow-sql', goDurationMs(fields.duration) ?? goDurationMs(total?.[1]));
    }
    if (/\bslow fdatasync\b/.test(text)) return slow('fdatasync', goDurationMs(fields.took));
    if (/\bsync duration of \S+, expected less than\b/.test(text)) return slow('fdatasync', took(text));
    if (/\bfailed to send out heartbeat on time\b/.test(text)) {
      return slow('heartbeat', goDurationMs(fields['exceeded-duration']));
    }
    if (/\btimed out waiting for read index response\b|\bReadIndex response took too long\b/i.test(text))
      return slow('read-index', null);
    if (/\btook too long\b/.test(text) && !/\bprobe\b/i.test(text))
      return slow('apply', goDurationMs(fields.took) ?? took(text));
    if (/etcdserver: request timed out/.test(text)) return slow('request-timeout', null);
    if (/retrying of unary invoker failed/.test(text) && /DeadlineExceeded/.test(text))
      return slow('request-timeout', null);
    if (/\bno available dqlite leader server found\b|^\[go-dqlite\] .*\bno known leader\b/.test(text))
      return slow('no-leader', null);
    if (/\bdatabase is locked\b/.test(text)) return slow('locked', null);
    if (/\berror (?:while range on|in txn)\b.*context (?:canceled|deadline exceeded)/.test(text))
      return slow('range-error', null);
    return null;
  },
  samples: [
    {
      line: 'I0112 10:00:35.100000   12345 trace.go:236] Trace[1726931916]: "Update" accept:application/vnd.kubernetes.protobuf, */*,audit-id:7c1d,client:127.0.0.1,api-group:coordination.k8s.io,api-version:v1,name:kube-scheduler,subresource:,namespace:kube-system,protocol:HTTP/2.0,resource:leases,scope:resource,url:/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler,verb:PUT (12-Jan-2024 10:00:30.095) (total time: 5004ms):',
      subject: 'kube-system/kube-scheduler',
    },
    {
      line: 'I0112 10:00:35.100000       1 trace.go:116] Trace[1858400541]: "GuaranteedUpdate etcd3: *coordination.Lease" (started: 2024-01-12 10:00:33.001234567 +0000 UTC m=+3600.12) (total time: 2.098765s):',
      subject: null,
    },
    {
      line: 'Jan 12 10:00:35 node-1 microk8s.daemon-kubelite[12345]: I0112 10:00:35.100000   12345 trace.go:205] Trace[912456789]: "List etcd3" key:/pods,resourceVersion:,resourceVersionMatch:,limit:500,continue: (12-Jan-2024 10:00:30.095) (total time: 5004ms):',
      subject: null,
    },
    {
      line: 'time="2024-07-12T10:00:05Z" level=info msg="Slow SQL (started: 2024-07-12 10:00:03.1 +0000 UTC) (total time: 1.9s): SELECT * FROM kine : <nil>"',
      subject: null,
    },
    {
      line: 'time="2024-01-12T10:00:31Z" level=info msg="Slow SQL (started: 2024-01-12 10:00:29.8 +0000 UTC m=+812.3) (total time: 1.2s): SELECT COUNT(*) FROM kine"',
      subject: null,
    },
    {
      line: 'time="2024-01-12T10:00:31Z" level=warning msg="Slow SQL: SELECT * FROM kine" duration=6.1s name=list_current started="2024-01-12T10:00:25.1Z"',
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
      line: 'Jan 12 10:00:31 node-1 microk8s.daemon-k8s-dqlite[2222]: time="2024-01-12T10:00:31Z" level=error msg="error while range on /registry/leases/kube-system/kube-scheduler : query (try: 0): context deadline exceeded"',
      subject: null,
    },
    {
      line: 'time="2024-01-12T10:00:31Z" level=error msg="error while range on /registry/pods/ /registry/pods0: database is locked"',
      subject: null,
    },
    {
      line: 'time="2024-01-12T10:00:31Z" level=error msg="error in txn: failed to create dqlite connection: no available dqlite leader server found"',
      subject: null,
    },
    {
      line: 'time="2024-01-12T10:00:31Z" level=warning msg="[go-dqlite] attempt 3: server 10.0.0.1:19001: no known leader"',
      subject: null,
    },
    {
      line: '{"level":"warn","ts":"2024-01-12T10:00:05.123Z","caller":"etcdserver/util.go:166","msg":"apply request took too long","took":"1.2s","expected-duration":"100ms"}',
      subject: null,
    },
    {
      line: '2024-01-12 10:00:31.123456 W | etcdserver: read-only range request "key:\\"/registry/leases/kube-system/kube-scheduler\\" " with result "range_response_count:1 size:482" took too long (1.203941s) to execute',
      subject: null,
    },
    {
      line: '2024-01-12 10:00:31.456789 W | etcdserver: apply entries took too long [1.2s for 1 entries]',
      subject: null,
    },
    {
      line: '{"level":"warn","ts":"2024-01-12T10:00:05.123Z","caller":"etcdserver/raft.go:369","msg":"leader failed to send out heartbeat on time; took too long, leader is overloaded likely from slow disk","to":"8e9e05c52164694d","heartbeat-interval":"100ms","expected-duration":"200ms","exceeded-duration":"1.1s"}',
      subject: null,
    },
    {
      line: '2024-01-12 10:00:31.456789 W | etcdserver: failed to send out heartbeat on time (exceeded the 100ms timeout for 401.22ms, to 8e9e05c52164694d)',
      subject: null,
    },
    {
      line: '{"level":"warn","ts":"2024-01-12T10:00:05.123Z","caller":"wal/wal.go:805","msg":"slow fdatasync","took":"1.8s","expected-duration":"1s"}',
      subject: null,
    },
    {
      line: '2024-01-12 10:00:31.456789 W | wal: sync duration of 1.51s, expected less than 1s',
      subject: null,
    },
    {
      line: '2024-01-12 10:00:31.456789 W | etcdserver: timed out waiting for read index response (local node might have slow network)',
      subject: null,
    },
    {
      line: '{"level":"warn","ts":"2024-01-12T10:00:31.123Z","caller":"etcdserver/v3_server.go:792","msg":"timed out waiting for read index response (local node might have slow network)","timeout":"7s"}',
      subject: null,
    },
    {
      line: '{"level":"warn","ts":"2024-01-12T10:00:31.123Z","caller":"etcdserver/v3_server.go:852","msg":"waiting for ReadIndex response took too long, retrying","sent-request-id":8728935479470823000,"retry-timeout":"500ms"}',
      subject: null,
    },
    {
      line: '{"level":"info","ts":"2024-01-12T10:00:31.789Z","caller":"traceutil/trace.go:171","msg":"trace[1204] range","detail":"{range_begin:/registry/pods/; range_end:/registry/pods0; response_count:42; response_revision:9911; }","duration":"612.4ms","start":"2024-01-12T10:00:31.176Z","end":"2024-01-12T10:00:31.789Z","steps":["trace[1204] \'agreement among raft nodes before linearized reading\'  (duration: 598.1ms)"],"step_count":1}',
      subject: null,
    },
    {
      line: 'E0112 10:00:31.000000  12345 status.go:71] apiserver received an error that is not an metav1.Status: rpctypes.EtcdError{code:0xe, desc:"etcdserver: request timed out"}: etcdserver: request timed out',
      subject: null,
    },
  ],
  negatives: [
    'Trace[1726931916]:  ---"Txn call failed" err:context deadline exceeded 5002ms (10:00:35.099)]',
    'Trace[1726931916]: [5.004512331s] [5.004512331s] END',
    'Trace[1858400541]: [2.098512s] [2.097001s] Transaction committed',
    'Trace[1726931916]: ---"Object stored in database" 4325ms (10:00:35.099)',
    'W0401 09:12:20.000100   53319 prober.go:104] "Probe failed" probeType="Liveness" pod="ci/awx-0" output="the probe took too long to respond"',
    'time="2024-01-12T10:00:02Z" level=info msg="Configure dqlite raft snapshot parameters" threshold=512 trailing=4096',
    '{"level":"info","ts":"2024-01-12T10:00:05.123Z","logger":"raft","msg":"raft.node: 8e9e05c52164694d elected leader 8e9e05c52164694d at term 2"}',
    'user@node-1:~$ journalctl -u snap.microk8s.daemon-k8s-dqlite | grep "Slow SQL"',
    '      --slow-sql-threshold duration   The duration which SQL queries are logged at info level (default 1s)',
  ],
};
