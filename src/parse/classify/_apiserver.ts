/**
 * Whether a line's request or address is the Kubernetes API server's (catalog §7.3): a REST path
 * (`https://…/api/v1/…`, `…/apis/…`), the secure ports 6443 and MicroK8s' 16443, the in-cluster name
 * `kubernetes.default` and MicroK8s' service address 10.152.183.1:443. A registry, a DNS server or the
 * datastore socket (`kine.sock`) is not.
 */
const APISERVER =
  /https?:\/\/[^\s"/]+\/(?:api|apis)\/|(?:dial tcp |https?:\/\/|server )[^\s"/]*:(?:16443|6443)\b|kubernetes\.default(?:\.svc)?\b|\b10\.152\.183\.1:443\b/;

/** A piece of every text `namesApiserver` takes (a rule's `requires`). */
export const APISERVER_PIECES = ['/api', '6443', 'kubernetes.default', '10.152.183.1:443'];

export function namesApiserver(text: string): boolean {
  return APISERVER.test(text);
}
