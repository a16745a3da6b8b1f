import type { Entity, EvidenceEvent } from '../../../types/index.js';
import { entitiesOf, sameEntity } from '../../links.js';
import { eventRef, sampleEnds } from '../../../model/index.js';
import { eventBounds, plural, ran, windowOf, type Detector } from '../../detector.js';

export interface ControlPlaneRestartsData {
  restarts: number;
  units: Record<string, number>;
}

/** Units that run the control plane's watchers: a restart re-opens every watch they hold. */
const WATCHERS: Record<string, string[]> = {
  kubelite: ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'],
  'kube-apiserver': ['kube-apiserver'],
  'kube-controller-manager': ['kube-controller-manager'],
  'kube-scheduler': ['kube-scheduler'],
};

/** systemd units (kubelite, k8s-dqlite, containerd…) restarted by systemd: `Scheduled restart job` lines. */
const UNIT = /\.service$/;

export const controlPlaneRestarts: Detector<ControlPlaneRestartsData> = {
  id: 'control-plane-restarts',
  title: 'Node services restarted',
  role: 'mechanism',
  reads: 'systemd `Scheduled restart job, restart counter is at N` lines of node services',
  thresholds: [{ name: 'restart', value: 'any systemd restart of a node service' }],
  detect({ model, sha256 }) {
    const events = model.events.ofKind('crashloop').filter((e) => e.subject !== null && UNIT.test(e.subject));
    if (events.length === 0) return null;
    const byUnit = new Map<string, EvidenceEvent[]>();
    for (const e of events) {
      // The journal file says which node: journals are collected per node.
      const key = `${e.subject} (${e.file})`;
      const list = byUnit.get(key);
      if (list) list.push(e);
      else byUnit.set(key, [e]);
    }
    const parts = [...byUnit.entries()]
      .sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))
      .map(([key, list]) => `${key}: ${plural(list.length, 'restart')}`);
    return {
      claim: `systemd restarted node services ${plural(events.length, 'time')}: ${parts.join('; ')}. Every kubelite restart restarts the API server, controller-manager and scheduler in it and re-opens every watch.`,
      evidence: sampleEnds(events, 2).map((e) => eventRef(e, sha256)),
      confidence: 'high',
      window: windowOf(events.map((e) => e.ts)),
      entities: [...new Set(entitiesOf(events, ['component']).flatMap((x) => WATCHERS[x.id] ?? []))].map(
        (id): Entity => ({ kind: 'component', id }),
      ),
      windowEvidence: eventBounds(events, sha256),
      data: {
        restarts: events.length,
        units: Object.fromEntries([...byUnit].map(([k, v]) => [k, v.length])),
      },
    };
  },
  question: () => 'How did the node services come to restart?',
  unexplained: () => 'The journal shows the restarts, not why the services exited.',
  collectNext: [
    'The full journal of each restarted unit around its exits (`journalctl -u <unit> -o short-iso-precise`)',
  ],
  links: [
    {
      explains: 'watch-stream',
      // The restarts re-open the watches; that a watch then missed events is an inference.
      tests: (cause, effect, { data }) => ran(sameEntity(cause, effect, ['component'], data)),
      text: (cause) =>
        `Contributing, inferred: ${cause.claim} A watch re-established while the datastore stalls can ` +
        'silently miss ADD events; the evidence shows the restarts, not the broken stream itself.',
      maxConfidence: 'low',
    },
  ],
};
