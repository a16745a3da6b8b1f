import { APISERVER_PIECES, namesApiserver } from './_apiserver.js';
import type { EventRule, RuleMatch } from './types.js';

/**
 * The API server refused or could not be routed to — it was down or its address wrong, which is not a
 * datastore problem and not a slow answer (catalog §7.3: unavailability is kept apart from timeouts):
 * kubectl's `The connection to the server 127.0.0.1:16443 was refused - did you specify the right
 * host or port?`, and `connect: connection refused` / `connect: no route to host` / `connect: network
 * is unreachable` on a request to the API server. The datastore socket refusing the API server
 * (`dial unix …/kine.sock: connect: connection refused`) is not this.
 */
const KUBECTL = /\bThe connection to the server (\S+) was refused\b/;
const REFUSED = /\bconnect: (connection refused|no route to host|network is unreachable)\b/;

export const apiserverUnreachable: EventRule = {
  kind: 'apiserver_unreachable',
  description: 'the API server refused the connection or could not be reached',
  severity: 'error',
  needles: ['connection refused', 'no route to host', 'network is unreachable', 'was refused'],
  requires: ['was refused', ...APISERVER_PIECES],
  match({ text }): RuleMatch | null {
    const kubectl = KUBECTL.exec(text);
    if (kubectl)
      return { subject: null, attrs: { cause: 'connection refused', address: kubectl[1] as string } };
    const refused = REFUSED.exec(text);
    if (refused && namesApiserver(text)) return { subject: null, attrs: { cause: refused[1] as string } };
    return null;
  },
  samples: [
    {
      line: 'The connection to the server 127.0.0.1:16443 was refused - did you specify the right host or port?',
      subject: null,
    },
    {
      line: 'E0112 10:00:31.000000    4321 kubelet_node_status.go:96] "Unable to register node with API server" err="Post \\"https://127.0.0.1:16443/api/v1/nodes\\": dial tcp 127.0.0.1:16443: connect: connection refused" node="node-1"',
      subject: null,
    },
    {
      line: 'Unable to connect to the server: dial tcp 10.0.0.1:6443: connect: no route to host',
      subject: null,
    },
    {
      line: 'W0112 10:00:31.000000       1 reflector.go:535] k8s.io/client-go/informers/factory.go:159: failed to list *v1.ConfigMap: Get "https://10.152.183.1:443/api/v1/configmaps?limit=500": dial tcp 10.152.183.1:443: connect: connection refused',
      subject: null,
    },
  ],
  negatives: [
    'W0112 10:00:31.000000   12345 logging.go:59] [core] [Channel #1 SubChannel #2] grpc: addrConn.createTransport failed to connect to {Addr: "/var/snap/microk8s/current/var/kubernetes/backend/kine.sock:12379", ServerName: "kine.sock:12379", }. Err: connection error: desc = "transport: Error while dialing: dial unix /var/snap/microk8s/current/var/kubernetes/backend/kine.sock:12379: connect: connection refused"',
    'time="2024-01-12T10:00:31Z" level=error msg="failed to pull" error="dial tcp 104.18.0.1:443: connect: connection refused"',
  ],
};
