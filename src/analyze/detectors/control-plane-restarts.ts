import type { EvidenceEvent } from '../../types/index.js';
import { eventRef, sampleEnds } from '../evidence.js';
import { eventBounds, plural, windowOf, type Detector } from '../detector.js';

/** systemd units (kubelite, k8s-dqlite, containerd…) restarted by systemd: `Scheduled restart job` lines. */
const UNIT = /\.service$/;

export const controlPlaneRestarts: Detector = {
  id: 'control-plane-restarts',
  title: 'Node services restarted',
  detect({ data, sha256 }) {
    const events = data.events
      .filter((e) => e.kind === 'crashloop' && e.subject !== null && UNIT.test(e.subject))
      .sort(
        (a, b) => (a.ts ?? '').localeCompare(b.ts ?? '') || a.file.localeCompare(b.file) || a.line - b.line,
      );
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
      data: {
        windowEvidence: eventBounds(events, sha256),
        restarts: events.length,
        units: Object.fromEntries([...byUnit].map(([k, v]) => [k, v.length])),
      },
    };
  },
};
