import { describe, expect, it } from 'vitest';
import { unknownFlag } from '../../../src/analyze/detectors/unknown-flag/index.js';
import { caseData, detect, event } from '../_case.js';

describe('unknown-flag', () => {
  it('names the flag the binary rejected', () => {
    const data = caseData({
      events: [
        event(
          'unknown_flag',
          '2026-04-02T04:58:11.402Z',
          '2026-04-02T04:58:11.402118204Z flag provided but not defined: -lease-duration',
          {
            file: 'logs/ci/gh-arc/manager-previous.log',
            subject: 'ci/gh-arc-actions-runner-controller-7c8b9d6f5-q4w7z',
          },
        ),
      ],
    });
    const finding = detect(unknownFlag, data)!;
    expect(finding.data).toMatchObject({
      flags: ['-lease-duration'],
      where: ['ci/gh-arc-actions-runner-controller-7c8b9d6f5-q4w7z'],
    });
    expect(finding.evidence[0]).toMatchObject({
      file: 'logs/ci/gh-arc/manager-previous.log',
      sha256: 'sha-logs/ci/gh-arc/manager-previous.log',
    });
  });

  it('has nothing to say without the event', () => {
    expect(
      detect(
        unknownFlag,
        caseData({ events: [event('crashloop', null, 'Back-off restarting failed container')] }),
      ),
    ).toBeUndefined();
  });
});
