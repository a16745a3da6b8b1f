import type { Confidence, Finding } from '../types/index.js';

type Found = ReadonlyMap<string, Finding>;

/** One way to answer a question, backed by findings. */
export interface AnswerRule {
  /** The answer applies when at least one of these findings exists; all that exist back it. */
  anyOf: string[];
  text: (found: Found) => string;
  /** The next question (a step id), or null when the answer is a leaf of the chain. */
  next: (found: Found) => string | null;
  /** For leaves: what would let someone keep asking "how?". */
  collectNext?: string[];
  /** Caps the answer's confidence when it rests on an inference beyond its findings. */
  maxConfidence?: Confidence;
}

export interface StepRule {
  id: string;
  question: (found: Found) => string;
  answers: AnswerRule[];
  /** Said when no answer applies: what the evidence does not show, and what to collect next. */
  missing: (found: Found) => string;
  collectNext: string[];
}

const data = (found: Found, id: string) => (found.get(id)?.data ?? {}) as Record<string, unknown>;
const claim = (found: Found, id: string) => found.get(id)?.claim ?? '';
const both = (found: Found, ids: string[]) =>
  ids
    .filter((id) => found.has(id))
    .map((id) => claim(found, id))
    .join(' ');

/** Where the chain starts: user-visible symptoms, each with the finding that shows it. */
export const ROOTS: { step: string; symptom: string }[] = [
  { step: 'controllers-unavailable', symptom: 'crashloop' },
  { step: 'new-objects-ignored', symptom: 'watch-stream' },
];

/**
 * The questions of the chain, from the symptom down. Each is asked only when an answer above leads to
 * it; a question no finding answers becomes a visible gap naming what to collect next.
 */
export const STEPS: StepRule[] = [
  {
    id: 'controllers-unavailable',
    question: () => 'How did the controllers (and what they manage) become unavailable?',
    answers: [
      {
        anyOf: ['crashloop'],
        text: (f) =>
          `${claim(f, 'crashloop')} A controller that keeps restarting cannot manage its operands.`,
        next: () => 'crashloop-cause',
      },
      {
        anyOf: ['deprecated-registry'],
        text: (f) => `Contributing: ${claim(f, 'deprecated-registry')}`,
        next: () => null,
        collectNext: [
          'Where the image reference is set (GitOps repository, Helm values) and when it last changed.',
        ],
      },
    ],
    missing: () => 'No pod dump or restart evidence shows which workloads were unavailable.',
    collectNext: ['`kubectl get pods -A -o json`', '`kubectl get events -A -o json`'],
  },
  {
    id: 'crashloop-cause',
    question: () => 'How did the controller pods enter a crash loop?',
    answers: [
      {
        anyOf: ['lease-failures'],
        text: (f) => claim(f, 'lease-failures'),
        next: () => 'lease-loss',
      },
      {
        anyOf: ['unknown-flag'],
        text: (f) => `Also: ${claim(f, 'unknown-flag')}`,
        next: () => null,
        collectNext: ['`kubectl exec <pod> -- <binary> --help` to list the flags the binary supports.'],
      },
    ],
    missing: () => 'The controllers’ logs do not say why they exited.',
    collectNext: [
      '`kubectl logs --previous --timestamps` of each crash-looping container',
      '`kubectl describe pod` (Last State, exit code)',
    ],
  },
  {
    id: 'lease-loss',
    question: () => 'How did the controllers fail to renew their leases in time?',
    answers: [
      {
        anyOf: ['apiserver-unavailable'],
        text: (f) => claim(f, 'apiserver-unavailable'),
        next: () => 'apiserver-stalls',
      },
    ],
    missing: () => 'Nothing in the evidence shows the API server timing out or failing requests.',
    collectNext: [
      '`journalctl -o short-iso-precise -u snap.microk8s.daemon-kubelite` from every control-plane node',
      'kube-apiserver logs at -v=2 (Trace lines) over the failure window',
    ],
  },
  {
    id: 'apiserver-stalls',
    question: () => 'How was the API server intermittently unavailable?',
    answers: [
      {
        anyOf: ['snapshot-correlation', 'snapshot-storm'],
        text: (f) => both(f, ['snapshot-storm', 'snapshot-correlation']),
        next: () => 'snapshots-large',
      },
      {
        anyOf: ['disk-pressure'],
        text: (f) => `Contributing, not shown to cause the stalls: ${claim(f, 'disk-pressure')}`,
        next: () => null,
        collectNext: ['`df -h` and `iostat -x 5` on the node over the incident window'],
      },
    ],
    missing: () =>
      'The evidence gives no snapshot write times (or none that line up with the failures), so the stalls cannot be tied to the datastore.',
    collectNext: [
      '`ls -l --full-time /var/snap/microk8s/current/var/kubernetes/backend/` on every node, repeatedly over the window (or a `find -printf` loop into a CSV)',
      'k8s-dqlite journal with `LIBDQLITE_TRACE=1` for snapshot trace lines',
    ],
  },
  {
    id: 'snapshots-large',
    question: () => 'How did the dqlite snapshots become so large?',
    answers: [
      {
        anyOf: ['datastore-bloat'],
        text: (f) => claim(f, 'datastore-bloat'),
        next: (f) => (data(f, 'datastore-bloat').ipam === true ? 'ipam-accumulated' : 'prefix-accumulated'),
      },
      {
        anyOf: ['ipam-handle-buildup'],
        text: (f) => claim(f, 'ipam-handle-buildup'),
        next: () => 'ipam-accumulated',
      },
    ],
    missing: () => 'No snapshot copy and no object count shows what fills the datastore.',
    collectNext: [
      'Copies of the newest `snapshot-*` files with their `.meta` from the dqlite backend folder (for `howchain snapshot inspect`)',
      '`kubectl get ipamhandles -A --no-headers | wc -l`',
    ],
  },
  {
    id: 'prefix-accumulated',
    question: (f) =>
      `How did the rows under ${String(data(f, 'datastore-bloat').dominantPrefix)} accumulate?`,
    answers: [],
    missing: (f) =>
      `No detector explains the growth of ${String(data(f, 'datastore-bloat').dominantPrefix)}; the evidence ends here.`,
    collectNext: ['The controller that writes these objects and its garbage-collection settings'],
  },
  {
    id: 'ipam-accumulated',
    question: () => 'How did the Calico IPAM handles accumulate?',
    answers: [
      {
        anyOf: ['ipam-gc-disabled'],
        text: (f) => claim(f, 'ipam-gc-disabled'),
        next: () => 'gc-never-enabled',
      },
    ],
    missing: () => 'The evidence does not show how Calico’s IPAM garbage collection is configured.',
    collectNext: [
      '`kubectl -n kube-system get deploy calico-kube-controllers -o yaml` (ENABLED_CONTROLLERS, image version)',
      '`kubectl get kubecontrollersconfigurations default -o yaml` (leakGracePeriod)',
      '`calicoctl ipam check --show-problem-ips`',
    ],
  },
  {
    id: 'gc-never-enabled',
    question: () => 'How did calico-kube-controllers come to run without IPAM garbage collection?',
    answers: [],
    missing: () =>
      'The evidence shows the configuration, not its history: who deployed it, when, and why it was never revisited. TODO(author).',
    collectNext: [
      'History of the Calico manifest (GitOps repository, `snap list` / MicroK8s version that installed Calico)',
      'Whether any alert watched IPAM handle counts or snapshot size',
    ],
  },
  {
    id: 'new-objects-ignored',
    question: () => 'How did new Deployments and Pods stall without any error?',
    answers: [
      {
        anyOf: ['watch-stream'],
        text: (f) => claim(f, 'watch-stream'),
        next: () => 'watch-broke',
      },
    ],
    missing: () => 'No Deployment or Pod in the dumps shows unobserved new objects.',
    collectNext: ['`kubectl get deploy -A -o yaml` and `kubectl get pods -A -o json`'],
  },
  {
    id: 'watch-broke',
    question: () => 'How did the controllers and the scheduler stop seeing new objects?',
    answers: [
      {
        anyOf: ['control-plane-restarts'],
        text: (f) =>
          `Contributing, inferred: ${claim(f, 'control-plane-restarts')} A watch re-established while the datastore stalls can ` +
          'silently miss ADD events; the evidence shows the restarts, not the broken stream itself.',
        next: () => null,
        maxConfidence: 'low',
        collectNext: [
          'kube-apiserver logs at -v=2 around each kubelite restart',
          '`kubectl get --raw /metrics` (apiserver_watch_events_total, apiserver_registered_watchers)',
        ],
      },
    ],
    missing: () =>
      'A broken watch stream is silent: no log line in the evidence shows it break, so the chain cannot say how.',
    collectNext: [
      'kube-apiserver logs at -v=2 around each kubelite restart',
      '`kubectl get --raw /metrics` (apiserver_watch_events_total, apiserver_registered_watchers)',
      'Times of every kubelite restart (systemd journal) on all nodes',
    ],
  },
];
