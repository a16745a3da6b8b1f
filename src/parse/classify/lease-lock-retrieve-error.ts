import { leaseFromUrl, namespacedName } from './_subjects.js';
import type { EventRule } from './types.js';

/**
 * The GET (or first create) of the lock object failed (catalog §3): `error retrieving resource lock
 * ns/name: …` (client-go 1.10–1.34; Endpoints and ConfigMap locks too, URL quoted from Go 1.14),
 * `error initially creating leader election record: …`, and the 1.35+ structured `"Error retrieving
 * lease lock"`, `"Error initially creating lease lock"` and the release path's lowercase `"error
 * retrieving resource lock"`, which name the lock in `lock=`.
 */
const PRINTF = /\berror retrieving resource lock (\S+?):/i;
const STRUCTURED =
  /^(?:Error retrieving lease lock|error retrieving resource lock|Error initially creating lease lock)\b/;
const INITIAL = /\berror initially creating leader election record\b/;

export const leaseLockRetrieveError: EventRule = {
  kind: 'lease_lock_retrieve_error',
  description: 'error getting the lock object (Lease) of a leader election',
  severity: 'warning',
  needles: ['rror retrieving resource lock', 'rror retrieving lease lock', 'rror initially creating'],
  match({ text, fields }) {
    const printf = PRINTF.exec(text);
    if (printf) return { subject: namespacedName(printf[1]) ?? leaseFromUrl(text) };
    if (STRUCTURED.test(text) || INITIAL.test(text)) {
      return { subject: namespacedName(fields.lock) ?? leaseFromUrl(text) };
    }
    return null;
  },
  samples: [
    {
      line: 'E0112 10:00:31.000912   12345 leaderelection.go:332] error retrieving resource lock kube-system/kube-scheduler: Get "https://127.0.0.1:16443/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler?timeout=15s": context deadline exceeded',
      subject: 'kube-system/kube-scheduler',
    },
    {
      line: 'E0112 10:00:31.000912   12345 leaderelection.go:361] "Error retrieving lease lock" err="context deadline exceeded" lock="kube-system/csi-nfs"',
      subject: 'kube-system/csi-nfs',
    },
    {
      line: '{"level":"error","ts":1775035953.12,"msg":"error retrieving resource lock gh-arc/actions-runner-controller: Get \\"https://10.152.183.1:443/apis/coordination.k8s.io/v1/namespaces/gh-arc/leases/actions-runner-controller\\": net/http: request canceled"}',
      subject: 'gh-arc/actions-runner-controller',
    },
    {
      line: 'E0112 10:00:29.100000   12345 leaderelection.go:306] error retrieving resource lock kube-system/kube-scheduler: Get https://10.0.0.5:6443/api/v1/namespaces/kube-system/endpoints/kube-scheduler: dial tcp 10.0.0.5:6443: i/o timeout',
      subject: 'kube-system/kube-scheduler',
    },
    {
      line: 'E0112 10:00:29.100000   12345 leaderelection.go:325] error initially creating leader election record: Post "https://127.0.0.1:16443/apis/coordination.k8s.io/v1/namespaces/kube-system/leases": dial tcp 127.0.0.1:16443: connect: connection refused',
      subject: null,
    },
    {
      line: 'E0112 10:00:29.100000   12345 leaderelection.go:330] "Error initially creating lease lock" err="the server was unable to return a response in the time allotted, but may still be processing the request (post leases.coordination.k8s.io)" lock="kube-system/kube-scheduler"',
      subject: 'kube-system/kube-scheduler',
    },
    {
      line: 'E0112 10:00:29.100000   12345 leaderelection.go:361] "Error retrieving lease lock" err="Get \\"https://127.0.0.1:16443/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler?timeout=5s\\": net/http: request canceled (Client.Timeout exceeded while awaiting headers)" lock="kube-system/kube-scheduler"',
      subject: 'kube-system/kube-scheduler',
    },
  ],
  negatives: [
    'I0112 10:00:01.000000   12345 leaderelection.go:259] "Lease lock not found" lock="kube-system/kube-scheduler" err="leases.coordination.k8s.io \\"kube-scheduler\\" not found"',
    'I0112 10:00:01.123456   12345 leaderelection.go:250] attempting to acquire leader lease kube-system/kube-scheduler...',
    'I0112 10:00:01.123456   12345 reflector.go:255] Listing and watching *v1.Lease from k8s.io/client-go/informers/factory.go:134',
  ],
};
