import type { CertificateFact } from '../../../types/index.js';
import { factRef } from '../../../model/index.js';
import { presentBefore, ran, type Detector } from '../../detector.js';
import { cited } from '../_events.js';

export interface ExpiredCertificateData {
  lines: number;
  states: string[];
  certificates: { where: string; subject: string; notBefore: string; notAfter: string; file: string }[];
}

export const expiredCertificate: Detector<ExpiredCertificateData> = {
  id: 'expired-certificate',
  title: 'Certificate expired or not yet valid',
  role: 'cause',
  reads:
    '`x509: certificate has expired or is not yet valid` lines, kubelet certificate rotation failures, and the validity of every PEM certificate and kubeconfig in the bundle (node crypto.X509Certificate)',
  thresholds: [
    {
      name: 'certificate',
      value:
        'notAfter before, or notBefore after, the latest evidence time (the incident), when a line also says x509 or the evidence has a time',
    },
  ],
  detect({ model, data, sha256 }) {
    const events = model.events.ofKind('cert_invalid');
    // The model keeps events in time order, undated last: the latest time is the last dated event's.
    let latest: string | null = null;
    for (let i = model.events.length - 1; i >= 0 && latest === null; i--) latest = model.events.at(i).ts;
    const invalid = latest
      ? data.facts.filter(
          (f): f is CertificateFact =>
            f.kind === 'certificate' && !f.empty && (f.notAfter < latest || f.notBefore > latest),
        )
      : [];
    if (events.length === 0 && invalid.length === 0) return null;
    const states = [...new Set(events.map((e) => String(e.attrs?.state)))];
    const bounds = [
      ...new Set(events.flatMap((e) => (typeof e.attrs?.bound === 'string' ? [e.attrs.bound] : []))),
    ];
    const described = invalid.map(
      (f) =>
        `${f.file} (${f.subject}) ${f.notAfter < (latest as string) ? `expired ${f.notAfter}` : `is valid only from ${f.notBefore}`}`,
    );
    const base = cited(events, sha256);
    return {
      claim:
        [
          events.length
            ? `TLS connections failed on certificate validity ${events.length} time${events.length === 1 ? '' : 's'} (${states.join(', ')}${bounds.length ? `; bound ${bounds.join(', ')}` : ''})`
            : '',
          described.length ? `the bundle's ${described.join('; ')}` : '',
        ]
          .filter(Boolean)
          .join('; ') + '. A client with an expired certificate is refused by every server that checks it.',
      ...base,
      evidence: [...base.evidence, ...invalid.map((f) => factRef(f, `notAfter ${f.notAfter}`))],
      confidence: events.length && invalid.length ? 'high' : events.length ? 'medium' : 'low',
      entities: [],
      data: {
        lines: events.length,
        states,
        certificates: invalid.map((f) => ({
          where: f.where,
          subject: f.subject,
          notBefore: f.notBefore,
          notAfter: f.notAfter,
          file: f.file,
        })),
      },
    };
  },
  question: () => 'How did the certificate come to expire unrenewed?',
  unexplained: () =>
    'The evidence shows the expired certificate, not why rotation did not renew it (rotation disabled, CSRs not approved, a stopped node).',
  collectNext: [
    '`openssl x509 -noout -dates -subject` of every certificate the failing client uses',
    '`kubectl get csr` and the kubelet `--rotate-certificates` setting',
  ],
  links: [
    {
      explains: 'node-not-ready',
      tests: (cause, effect) => ran(presentBefore(cause, effect)),
      text: (cause) => `An invalid certificate: ${cause.claim}`,
    },
  ],
  actions: () => [
    {
      action:
        'Renew the expired certificates (`microk8s refresh-certs` / `kubeadm certs renew`) and alert 30 days before expiry.',
      priority: 'High',
    },
  ],
};
