import { describe, expect, it } from 'vitest';
import { crashloop } from '../../../src/analyze/detectors/crashloop/index.js';
import { oomKill } from '../../../src/analyze/detectors/oom-kill/index.js';
import { findings, incident, linkTests } from '../_incident.js';

describe('oom-kill', () => {
  it('reads the kernel kills and the OOMKilled container with its memory limit; explains the crash loop', async () => {
    const data = await incident('oom-kill');
    const finding = findings(data, [oomKill]).get('oom-kill')!;
    expect(finding.data).toEqual({
      kills: 5,
      processes: 'manager 5',
      pods: [
        {
          pod: 'awx/awx-operator-controller-manager-5d8f',
          container: 'awx-manager',
          memoryLimit: '960Mi',
          exitCode: 137,
        },
      ],
    });
    expect(finding.claim).toContain('limit 960Mi');
    expect(linkTests(oomKill, crashloop, data).map((t) => [t.test, t.passed])).toEqual([
      ['entity', true],
      ['time', true],
    ]);
  });

  it('does not read exit code 137 alone as memory: a SIGKILL without OOMKilled or a kernel kill line', async () => {
    const data = await incident('oom-kill');
    data.events = data.events.where((e) => e.kind !== 'oom_kill');
    for (const fact of data.facts)
      if (fact.kind === 'pod' && fact.lastTermination) fact.lastTermination.reason = null;
    expect(findings(data, [oomKill]).size).toBe(0);
  });

  it('does not blame memory for a crash loop that exits 1', async () => {
    expect(findings(await incident('oom-kill', 'noisy'), [oomKill]).size).toBe(0);
  });
});
