import { APISERVER_PIECES, namesApiserver } from './_apiserver.js';
import { leaseFromUrl } from './_subjects.js';
import type { EventRule } from './types.js';

/**
 * A client could not get an answer from the API server in time: client-side HTTP timeouts, the
 * server's `Timeout:` status, post-timeout activity, handler timeouts and requests the apiserver gave
 * up on (`… not an metav1.Status: … deadline exceeded`) (§5.2), and a deadline or
 * i/o timeout on a request whose URL or address is the API server's. A `timeout=15s` query parameter,
 * flag help or a raft election timeout is not one.
 */
const DIRECT = new RegExp(
  [
    /Client\.Timeout exceeded while awaiting headers/,
    /Timeout: request did not complete within (?:requested|the allotted) timeout/,
    /unable to return a response in the time allotted/,
    /\b[Pp]ost-timeout activity\b/,
    /http: Handler timeout/,
    /apiserver received an error that is not an metav1\.Status: .*(?:deadline exceeded|DeadlineExceeded)/,
  ]
    .map((pattern) => pattern.source)
    // One pass over the line for all of them, not one each.
    .join('|'),
);
const DEADLINE = /context deadline exceeded|i\/o timeout|TLS handshake timeout/;
/** A piece of each of DIRECT's patterns, and a needle of it. */
const DIRECT_PIECES = [
  'Client.Timeout exceeded',
  'did not complete within',
  'time allotted',
  'ost-timeout activity',
  'Handler timeout',
  'not an metav1.Status',
];

export const apiserverTimeout: EventRule = {
  kind: 'apiserver_timeout',
  description: 'a client could not reach the API server in time',
  severity: 'warning',
  needles: [...DIRECT_PIECES, 'deadline exceeded', 'i/o timeout', 'TLS handshake timeout'],
  requires: [...DIRECT_PIECES, ...APISERVER_PIECES],
  match({ text }) {
    if (DIRECT.test(text) || (DEADLINE.test(text) && namesApiserver(text))) {
      return { subject: leaseFromUrl(text) };
    }
    return null;
  },
  samples: [
    {
      line: 'E0401 09:12:20.000100       1 reflector.go:147] k8s.io/client-go/informers/factory.go:150: Failed to watch *v1.Pod: Get "https://10.152.183.1:443/api/v1/pods?resourceVersion=1&watch=true": net/http: request canceled (Client.Timeout exceeded while awaiting headers)',
      subject: null,
    },
    {
      line: 'E0112 10:00:35.100000   12345 timeout.go:142] post-timeout activity - time-elapsed: 3.2ms, PUT "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler" result: <nil>',
      subject: 'kube-system/kube-scheduler',
    },
    {
      line: 'E0112 10:00:35.100000   12345 writers.go:122] "Unhandled Error" err="apiserver was unable to write a JSON response: http: Handler timeout" logger="UnhandledError"',
      subject: null,
    },
    {
      line: 'E0401 09:12:20.000100   53319 status.go:71] apiserver received an error that is not an metav1.Status: context.deadlineExceededError{}: context deadline exceeded',
      subject: null,
    },
    {
      line: 'W0401 09:12:20.000100   53319 reflector.go:535] failed to list *v1.Node: Get "https://127.0.0.1:16443/api/v1/nodes?limit=500": dial tcp 127.0.0.1:16443: i/o timeout',
      subject: null,
    },
  ],
  negatives: [
    '      --request-timeout string   The length of time to wait before giving up on a single server request. (default "0")',
    'I0112 10:00:01.000000   12345 round_trippers.go:553] GET https://127.0.0.1:16443/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler?timeout=15s 200 OK in 3 milliseconds',
    '{"level":"info","ts":"2024-01-12T10:00:05.123Z","logger":"raft","msg":"8e9e05c52164694d is starting a new election at term 4 (election timeout)"}',
  ],
};
