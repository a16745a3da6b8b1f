import { presentBefore, ran, type Detector } from '../../detector.js';
import { entitiesOf, sameEntity } from '../../links.js';
import { cited, tally } from '../_events.js';

export interface DnsFailureData {
  loop: boolean;
  causes: string;
  names: string[];
}

export const dnsFailure: Detector<DnsFailureData> = {
  id: 'dns-failure',
  title: 'DNS failing',
  role: 'cause',
  reads:
    "CoreDNS' loop plugin (`[FATAL] plugin/loop: Loop … detected`), its errors plugin, and failed lookups (`lookup … on …:53: …`)",
  thresholds: [{ name: 'occurrence', value: 'a loop line, or any resolution error' }],
  detect({ model, sha256 }) {
    const events = model.events.ofKind('dns_failure');
    if (events.length === 0) return null;
    const loop = events.some((e) => e.attrs?.cause === 'loop');
    const causes = tally(events.map((e) => String(e.attrs?.cause)));
    const names = [
      ...new Set(events.flatMap((e) => (typeof e.attrs?.name === 'string' ? [e.attrs.name] : []))),
    ];
    return {
      claim: loop
        ? `CoreDNS detected a forwarding loop and exited (${events.length} line${events.length === 1 ? '' : 's'}): its upstream resolver (usually the node's /etc/resolv.conf pointing at a local stub such as 127.0.0.53) forwards back to CoreDNS itself.`
        : `DNS lookups failed ${events.length} time${events.length === 1 ? '' : 's'} (${causes})${names.length ? ` for ${names.slice(0, 3).join(', ')}` : ''}.`,
      ...cited(events, sha256),
      confidence: loop ? 'high' : 'medium',
      entities: entitiesOf(events, ['pod', 'node']),
      data: { loop, causes, names },
    };
  },
  question: () => 'How did DNS come to fail?',
  unexplained: () => 'The errors show DNS failing, not the resolver configuration behind it.',
  collectNext: [
    '`kubectl -n kube-system get configmap coredns -o yaml` (the forward plugin)',
    "The node's /etc/resolv.conf and `resolvectl status`",
  ],
  links: [
    {
      explains: 'crashloop',
      tests: (cause, effect, { data }) =>
        ran(sameEntity(cause, effect, ['pod'], data), presentBefore(cause, effect)),
      text: (cause) => `DNS: ${cause.claim}`,
    },
  ],
  actions: (finding) => [
    {
      action: finding.data.loop
        ? 'Point CoreDNS `forward` at real upstream resolvers (not a loopback stub), e.g. the kubelet `--resolv-conf=/run/systemd/resolve/resolv.conf`.'
        : 'Check the cluster DNS upstreams and alert on CoreDNS errors.',
      priority: 'High',
    },
  ],
};
