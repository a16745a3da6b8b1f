import type { EventRule, RuleMatch } from './types.js';

/**
 * A certificate outside its validity period, or the kubelet failing to renew its own: Go's
 * x509.CertificateInvalidError text `x509: certificate has expired or is not yet valid` — since Go 1.15
 * followed by `: current time <t> is after <notAfter>` (expired) or `is before <notBefore>` (not yet
 * valid, usually a clock problem) — wherever it surfaces (client errors, `Unable to connect to the
 * server: …`, apiserver `Unable to authenticate the request`, etcd `rejected connection`), the
 * kubelet certificate manager's `Failed while requesting a signed certificate from the control plane`
 * (`… from the master` before 1.20s) and bootstrap's `Part of the existing bootstrap client certificate
 * in … is expired`. `attrs.state`: expired, not-yet-valid, expired-or-not-yet-valid (pre-1.15 text),
 * rotation-failed; `attrs.currentTime` / `attrs.bound` from the Go ≥1.15 detail.
 */
const X509 =
  /x509: certificate has expired or is not yet valid(?:: current time (\S+) is (after|before) (\S+?)[\s"\]\\,]*(?:$|[\s"\]\\,]))?/;
const ROTATION = /\bFailed while requesting a signed certificate from the (?:control plane|master)\b/;
const BOOTSTRAP = /\bbootstrap client certificate in (\S+) is expired\b/;

export const certInvalid: EventRule = {
  kind: 'cert_invalid',
  description: 'x509 certificate expired or not yet valid; kubelet certificate rotation failed',
  severity: 'error',
  needles: ['certificate has expired', 'requesting a signed certificate', 'client certificate in'],
  match({ text }): RuleMatch | null {
    const x509 = X509.exec(text);
    if (x509) {
      if (!x509[1]) return { subject: null, attrs: { state: 'expired-or-not-yet-valid' } };
      return {
        subject: null,
        attrs: {
          state: x509[2] === 'after' ? 'expired' : 'not-yet-valid',
          currentTime: x509[1] as string,
          bound: x509[3] as string,
        },
      };
    }
    if (ROTATION.test(text)) return { subject: null, attrs: { state: 'rotation-failed' } };
    const bootstrap = BOOTSTRAP.exec(text);
    if (bootstrap) return { subject: null, attrs: { state: 'expired', path: bootstrap[1] as string } };
    return null;
  },
  samples: [
    {
      line: 'E0112 10:00:31.000000    4321 reflector.go:147] k8s.io/client-go/informers/factory.go:150: Failed to watch *v1.Node: failed to list *v1.Node: Get "https://127.0.0.1:16443/api/v1/nodes?limit=500": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2024-01-12T10:00:31Z is after 2024-01-10T08:00:00Z',
      subject: null,
    },
    {
      line: 'Unable to connect to the server: x509: certificate has expired or is not yet valid: current time 2024-01-12T10:00:31+10:00 is before 2024-02-01T00:00:00Z',
      subject: null,
    },
    {
      line: 'E0112 10:00:31.000000       1 authentication.go:63] "Unable to authenticate the request" err="[x509: certificate has expired or is not yet valid: current time 2024-01-12T10:00:31Z is after 2024-01-10T08:00:00Z, verifying certificate SN=1234, SKID=, AKID= failed: x509: certificate has expired or is not yet valid: current time 2024-01-12T10:00:31Z is after 2024-01-10T08:00:00Z]"',
      subject: null,
    },
    {
      line: 'E0112 10:00:31.000000    4321 reflector.go:123] k8s.io/client-go/informers/factory.go:134: Failed to list *v1.Pod: Get https://127.0.0.1:16443/api/v1/pods?limit=500: x509: certificate has expired or is not yet valid',
      subject: null,
    },
    {
      line: 'E0112 10:00:31.000000    4321 certificate_manager.go:562] "Failed while requesting a signed certificate from the control plane" err="cannot create certificate signing request: Unauthorized" logger="kubernetes.io/kube-apiserver-client-kubelet"',
      subject: null,
    },
    {
      line: 'E0112 10:00:31.000000    4321 certificate_manager.go:437] Failed while requesting a signed certificate from the master: cannot create certificate signing request: Unauthorized',
      subject: null,
    },
    {
      line: 'I0112 10:00:31.000000    4321 bootstrap.go:85] "Part of the existing bootstrap client certificate in /etc/kubernetes/kubelet.conf is expired" expirationDate="2024-01-10 08:00:00 +0000 UTC"',
      subject: null,
    },
    {
      line: '{"level":"warn","ts":"2024-01-12T10:00:31.000Z","caller":"embed/config_logging.go:169","msg":"rejected connection","remote-addr":"10.0.0.2:43210","server-name":"","error":"tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2024-01-12T10:00:31Z is after 2024-01-10T08:00:00Z"}',
      subject: null,
    },
  ],
  negatives: [
    'E0112 10:00:31.000000    4321 reflector.go:147] Failed to watch *v1.Node: Get "https://127.0.0.1:16443/api/v1/nodes": x509: certificate signed by unknown authority',
    'I0112 10:00:31.000000    4321 certificate_manager.go:356] "Certificate rotation is enabled" logger="kubernetes.io/kube-apiserver-client-kubelet"',
    'I0112 10:00:31.000000    4321 certificate_store.go:130] Loading cert/key pair from "/var/lib/kubelet/pki/kubelet-client-current.pem".',
  ],
};
