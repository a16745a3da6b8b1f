import { describe, expect, it } from 'vitest';
import { controlPlaneRestarts } from '../../../src/analyze/detectors/control-plane-restarts/index.js';
import { crashloop } from '../../../src/analyze/detectors/crashloop/index.js';
import { caseData, detect, event } from '../_case.js';

const restart = (ts: string, n: number) =>
  event(
    'crashloop',
    ts,
    `${ts} k8s03 systemd[1]: snap.microk8s.daemon-kubelite.service: Scheduled restart job, restart counter is at ${n}.`,
    {
      subject: 'snap.microk8s.daemon-kubelite.service',
      file: 'k8s03/journal/snap.microk8s.daemon-kubelite.log',
    },
  );

describe('control-plane-restarts', () => {
  it('counts systemd restarts per unit and node journal', () => {
    const data = caseData({
      events: [restart('2026-03-31T22:22:05.267Z', 42), restart('2026-03-31T22:44:43.569Z', 43)],
    });
    const finding = detect(controlPlaneRestarts, data)!;
    expect(finding.claim).toContain(
      'snap.microk8s.daemon-kubelite.service (k8s03/journal/snap.microk8s.daemon-kubelite.log): 2 restarts',
    );
    expect(finding.window).toEqual({ start: '2026-03-31T22:22:05.267Z', end: '2026-03-31T22:44:43.569Z' });
    // …and the pod crash-loop detector leaves them alone
    expect(detect(crashloop, data)).toBeUndefined();
  });

  it('ignores pod back-off events', () => {
    const data = caseData({
      events: [
        event('crashloop', null, 'Back-off restarting failed container x in pod y', { subject: 'ci/y' }),
      ],
    });
    expect(detect(controlPlaneRestarts, data)).toBeUndefined();
  });
});
