import { leaseFromUrl, namespacedName } from './_subjects.js';
import type { EventRule } from './types.js';

/** The GET of the lock object failed: `error retrieving resource lock ns/name: …` / `"Error retrieving lease lock"`. */
const PRINTF = /\berror retrieving resource lock (\S+?):/i;

export const leaseLockRetrieveError: EventRule = {
  kind: 'lease_lock_retrieve_error',
  description: 'error getting the lock object (Lease) of a leader election',
  severity: 'warning',
  needles: ['rror retrieving resource lock', 'rror retrieving lease lock'],
  match({ text, fields }) {
    const printf = PRINTF.exec(text);
    if (printf) return { subject: namespacedName(printf[1]) ?? leaseFromUrl(text) };
    if (/^Error retrieving lease lock\b/.test(text)) {
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
  ],
  negatives: [
    'I0112 10:00:01.123456   12345 leaderelection.go:250] attempting to acquire leader lease kube-system/kube-scheduler...',
    'I0112 10:00:01.123456   12345 reflector.go:255] Listing and watching *v1.Lease from k8s.io/client-go/informers/factory.go:134',
  ],
};
