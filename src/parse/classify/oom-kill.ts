import { namespacedName, podSubject } from './_subjects.js';
import type { EventRule, RuleMatch } from './types.js';

/**
 * A process killed for memory. The kernel's OOM killer (`mm/oom_kill.c`): `Out of memory: Killed
 * process 12345 (java) total-vm:…kB, anon-rss:…kB, …` (5.x+; `Memory cgroup out of memory: Killed
 * process …` inside a container limit) and the older pair `Out of memory: Kill process 1234 (java)
 * score 900 or sacrifice child` + `Killed process 1234 (java) total-vm:…` — one kill, so the second
 * line is not counted again; the kubelet's `SystemOOM` event `System OOM encountered, victim process:
 * java, pid: 12345`; a container terminated `OOMKilled` (a log or event line naming the reason).
 * `attrs`: `process`, `pid`, `anonRssKb`, `scope` (`cgroup` when a memory limit was hit, else `system`).
 */
const KERNEL =
  /\b(Memory cgroup out of memory|Out of memory): Kill(?:ed)? process (\d+) \(([^)]*)\)(?:.*\banon-rss:(\d+)kB)?/;
const SYSTEM_OOM = /\bSystem OOM encountered, victim process: ([^,]+), pid: (\d+)/;

export const oomKill: EventRule = {
  kind: 'oom_kill',
  description: 'a process killed by the OOM killer, a container OOMKilled',
  severity: 'error',
  needles: ['of memory: Kill', 'System OOM encountered', 'OOMKilled'],
  match(input): RuleMatch | null {
    const { text, fields } = input;
    const kernel = KERNEL.exec(text);
    if (kernel) {
      const attrs: Record<string, string | number> = {
        process: kernel[3] as string,
        pid: Number(kernel[2]),
        scope: kernel[1] === 'Out of memory' ? 'system' : 'cgroup',
      };
      if (kernel[4]) attrs.anonRssKb = Number(kernel[4]);
      return { subject: null, attrs };
    }
    const system = SYSTEM_OOM.exec(text);
    if (system) {
      const node = fields.kind === 'Node' ? (fields.object ?? null) : null;
      return {
        subject: node,
        attrs: { process: (system[1] as string).trim(), pid: Number(system[2]), scope: 'system' },
      };
    }
    if (/\bOOMKilled\b/.test(text)) {
      const pod = podSubject(input) ?? (fields.kind === 'Pod' ? namespacedName(fields.object) : null);
      return { subject: pod, attrs: { scope: 'cgroup' } };
    }
    return null;
  },
  samples: [
    {
      line: 'Jan 12 10:00:31 node-1 kernel: Out of memory: Killed process 12345 (java) total-vm:8123456kB, anon-rss:4012345kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:9000kB oom_score_adj:985',
      subject: null,
    },
    {
      line: '[1234567.123456] Memory cgroup out of memory: Killed process 23456 (manager) total-vm:1456789kB, anon-rss:262144kB, file-rss:31000kB, shmem-rss:0kB, UID:65532 pgtables:800kB oom_score_adj:999',
      subject: null,
    },
    {
      line: 'Jan 12 10:00:31 node-1 kernel: [12345.678901] Out of memory: Kill process 1234 (java) score 900 or sacrifice child',
      subject: null,
    },
    {
      line: 'I0112 10:00:31.000000    4321 event.go:294] "Event occurred" object="node-1" fieldPath="" kind="Node" apiVersion="" type="Warning" reason="SystemOOM" message="System OOM encountered, victim process: java, pid: 12345"',
      subject: 'node-1',
    },
    {
      line: 'I0112 10:00:31.000000    4321 event.go:294] "Event occurred" object="node-1" fieldPath="" kind="Node" apiVersion="" type="Warning" reason="OOMKilling" message="Memory cgroup out of memory: Killed process 23456 (manager) total-vm:1456789kB, anon-rss:262144kB, file-rss:31000kB, shmem-rss:0kB, UID:65532 pgtables:800kB oom_score_adj:999"',
      subject: null,
    },
    { line: 'awx-operator-controller-manager-5d8f   1/2     OOMKilled   5 (2m ago)   1h', subject: null },
  ],
  negatives: [
    'Jan 12 10:00:31 node-1 kernel: Killed process 1234 (java) total-vm:8123456kB, anon-rss:4012345kB, file-rss:0kB, shmem-rss:0kB',
    'Jan 12 10:00:31 node-1 kernel: java invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=985',
    '        - --oom-score-adj=-999',
  ],
};
