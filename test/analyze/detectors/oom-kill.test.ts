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

  it('does not blame memory for a crash loop that exits 1', async () => {
    expect(findings(await incident('oom-kill', 'noisy'), [oomKill]).size).toBe(0);
  });
});
