import type { Entity } from '../../../types/index.js';
import { entitiesOfLists, sameEntity } from '../../links.js';
import { plural, ran, type Detector } from '../../detector.js';
import { CitedEvents } from '../_events.js';

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
    // Counted one line at a time: a unit in a restart loop logs without end.
    const citing = new CitedEvents(2);
    const byUnit = new Map<string, number>();
    model.events.eachOf(['crashloop'], (e) => {
      if (e.subject === null || !UNIT.test(e.subject)) return;
      citing.add(e);
      // The journal file says which node: journals are collected per node.
      const key = `${e.subject} (${e.file})`;
      byUnit.set(key, (byUnit.get(key) ?? 0) + 1);
    });
    if (citing.count === 0) return null;
    const parts = [...byUnit.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([key, restarts]) => `${key}: ${plural(restarts, 'restart')}`);
    const components = entitiesOfLists(citing.span.entityLists, ['component']);
    const cite = citing.cite(sha256);
    return {
      claim: `systemd restarted node services ${plural(citing.count, 'time')}: ${parts.join('; ')}. Every kubelite restart restarts the API server, controller-manager and scheduler in it and re-opens every watch.`,
      evidence: cite.evidence,
      confidence: 'high',
      window: cite.window,
      entities: [...new Set(components.flatMap((x) => WATCHERS[x.id] ?? []))].map((id): Entity => ({
        kind: 'component',
        id,
      })),
      windowEvidence: cite.windowEvidence,
      data: {
        restarts: citing.count,
        units: Object.fromEntries(byUnit),
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
