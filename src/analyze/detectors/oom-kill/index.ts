import type { Entity, PodFact } from '../../../types/index.js';
import { factRef } from '../../../model/index.js';
import { presentBefore, ran, type Detector } from '../../detector.js';
import { sameEntity } from '../../links.js';
import { cited, tally } from '../_events.js';

export interface OomKillData {
  kills: number;
  processes: string;
  pods: { pod: string; container: string | null; memoryLimit: string | null; exitCode: number | null }[];
}

export const oomKill: Detector<OomKillData> = {
  id: 'oom-kill',
  title: 'Containers killed for memory (OOM)',
  role: 'cause',
  reads:
    'kernel `Out of memory: Killed process` / `Memory cgroup out of memory` lines, SystemOOM events, and pods whose last termination is OOMKilled (or exit code 137 beside kernel OOM kills), with the container memory limit',
  thresholds: [
    {
      name: 'occurrence',
      value:
        'any OOM kill line, or a last termination OOMKilled; exit code 137 alone is a SIGKILL (probe, kill -9, shutdown), not evidence of memory',
    },
  ],
  detect({ model, data, sha256 }) {
    const events = model.events.ofKind('oom_kill');
    // Exit 137 is any SIGKILL; it is read as the kernel's OOM kill only where the kernel logged some.
    const pods = data.facts.filter(
      (f): f is PodFact =>
        f.kind === 'pod' &&
        (f.lastTermination?.reason === 'OOMKilled' ||
          (events.length > 0 && f.lastTermination?.exitCode === 137)),
    );
    if (events.length === 0 && pods.length === 0) return null;
    const named = pods.map((p) => {
      const t = p.lastTermination!;
      return `${p.namespace}/${p.name}${t.container ? ` (${t.container}` : ' ('}${t.memoryLimit ? `, limit ${t.memoryLimit}` : ''}, ${t.reason ?? 'exit'} ${t.exitCode ?? ''})`.replace(
        ' )',
        ')',
      );
    });
    const processes = tally(
      events.flatMap((e) => (typeof e.attrs?.process === 'string' ? [e.attrs.process] : [])),
    );
    const cgroup = events.some((e) => e.attrs?.scope === 'cgroup') || pods.length > 0;
    const base = cited(events, sha256);
    return {
      claim:
        [
          events.length
            ? `The kernel killed ${processes || 'processes'} for memory ${events.length} time${events.length === 1 ? '' : 's'}`
            : '',
          named.length ? `${named.join(', ')} last terminated for memory` : '',
        ]
          .filter(Boolean)
          .join('; ') +
        (cgroup ? '. The container reached its memory limit.' : '. The node ran out of memory.'),
      ...base,
      evidence: [
        ...base.evidence,
        ...pods.map((p) =>
          factRef(p, `lastState.terminated ${p.lastTermination?.reason} ${p.lastTermination?.exitCode}`),
        ),
      ],
      window:
        base.window ??
        (pods[0]?.lastTermination?.finishedAt
          ? { start: pods[0].lastTermination.finishedAt, end: pods[0].lastTermination.finishedAt }
          : null),
      confidence: 'high',
      entities: pods.map((p): Entity => ({ kind: 'pod', id: `${p.namespace}/${p.name}` })),
      data: {
        kills: events.length,
        processes,
        pods: pods.map((p) => ({
          pod: `${p.namespace}/${p.name}`,
          container: p.lastTermination?.container ?? null,
          memoryLimit: p.lastTermination?.memoryLimit ?? null,
          exitCode: p.lastTermination?.exitCode ?? null,
        })),
      },
    };
  },
  question: () => 'How did the container come to need more memory than its limit?',
  unexplained: () => 'The kills are recorded; the memory growth before them is not.',
  collectNext: [
    'Memory use over time (`kubectl top pod`, container_memory_working_set_bytes)',
    'The container logs before each kill',
  ],
  links: [
    {
      explains: 'crashloop',
      tests: (cause, effect, { data }) =>
        ran(sameEntity(cause, effect, ['pod'], data), presentBefore(cause, effect)),
      text: (cause) => `Killed for memory: ${cause.claim}`,
    },
  ],
  actions: (finding) => [
    {
      action: 'Raise the memory limit to the measured peak plus headroom, or fix the memory growth.',
      priority: 'High',
      subjects: finding.data.pods.map((p) => p.pod),
    },
  ],
};
