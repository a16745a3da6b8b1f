import { presentBefore, ran, type Detector } from '../../detector.js';
import { cited, tally } from '../_events.js';

export interface ApiserverRefusedData {
  lines: number;
  causes: string;
}

export const apiserverRefused: Detector<ApiserverRefusedData> = {
  id: 'apiserver-refused',
  title: 'API server refusing connections',
  // Clients see it directly; it also explains nodes that stop reporting.
  role: 'symptom',
  reads:
    "`connect: connection refused` / `no route to host` on requests to the API server, kubectl's `The connection to the server … was refused`",
  thresholds: [
    {
      name: 'occurrence',
      value: 'any such line (the API server address: /api/, :6443, :16443, kubernetes.default)',
    },
  ],
  detect({ model, sha256 }) {
    const events = model.events.ofKind('apiserver_unreachable');
    if (events.length === 0) return null;
    const causes = tally(events.map((e) => String(e.attrs?.cause)));
    return {
      claim: `Clients could not connect to the API server ${events.length} time${events.length === 1 ? '' : 's'} (${causes}). Nothing listened on its port: the API server was down or not yet started — a refused connection is not a slow answer, and not a datastore problem.`,
      ...cited(events, sha256),
      confidence: 'high',
      entities: [],
      data: { lines: events.length, causes },
    };
  },
  question: () => 'How did the API server come to be down?',
  unexplained: () =>
    "The clients' errors show the API server was not listening; its own journal would say why.",
  collectNext: [
    'The API server journal (`journalctl -u snap.microk8s.daemon-kubelite`) over the window',
    '`ss -tlnp | grep 16443` and `systemctl status` of the API server unit',
  ],
  links: [
    {
      explains: 'node-not-ready',
      tests: (cause, effect) => ran(presentBefore(cause, effect)),
      text: (cause) => `The kubelet could not reach the API server: ${cause.claim}`,
    },
  ],
};
