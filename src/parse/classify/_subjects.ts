/** Subject extraction shared by the rules: leases, pods and units as lines name them. */

const NAMESPACED = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?\/[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/;

/** `namespace/name` with Kubernetes name characters; an etcd lease id or a bare word is not one. */
export function namespacedName(text: string | undefined): string | null {
  if (!text) return null;
  const trimmed = text.replace(/[.:,]+$/, '');
  return NAMESPACED.test(trimmed) ? trimmed : null;
}

const LEASE_URL = /\/namespaces\/([a-z0-9][a-z0-9.-]*)\/leases\/([a-z0-9][a-z0-9.-]*)/;

/** The lease a request URL names (`…/namespaces/kube-system/leases/kube-scheduler?timeout=5s`). */
export function leaseFromUrl(text: string): string | null {
  const match = LEASE_URL.exec(text);
  return match ? `${match[1]}/${match[2]}` : null;
}

/** kubelet's `pod_namespace(uid)` rendering, as in `Back-off restarting failed container x in pod p_ns(uid)`. */
export function podFromKubeletRef(text: string): string | null {
  const match = /\bpod[= ]"?([a-z0-9][a-z0-9.-]*)_([a-z0-9][a-z0-9-]*)\(/.exec(text);
  return match ? `${match[2]}/${match[1]}` : null;
}

/** The pod a line names via a `pod="ns/name"` field or the kubelet reference. */
export function podSubject(input: { text: string; fields: Record<string, string> }): string | null {
  return namespacedName(input.fields.pod) ?? podFromKubeletRef(input.text);
}

/** Heartbeat leases (kubelet node leases, API server identity leases): written by the lease controller, not leader election. */
export function isHeartbeatLease(lease: string | null): boolean {
  return lease !== null && /^(?:kube-node-lease\/|kube-system\/apiserver-[a-z0-9]+$)/.test(lease);
}
