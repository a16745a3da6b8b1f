import { describe, expect, it } from 'vitest';
import {
  apiserverUnavailable,
  clusterWindows,
} from '../../../src/analyze/detectors/apiserver-unavailable/index.js';
import { caseData, detect, event } from '../_case.js';

const timeout = (ts: string) =>
  event(
    'apiserver_timeout',
    ts,
    'E0331 22:02:41.500000    2290 writers.go:122] "Unhandled Error" err="apiserver was unable to write a JSON response: http: Handler timeout" logger="UnhandledError"',
  );

describe('apiserver-unavailable', () => {
  it('groups timeouts into separate windows', () => {
    const data = caseData({
      events: [
        timeout('2026-03-31T22:02:41.000Z'),
        timeout('2026-03-31T22:02:52.000Z'),
        timeout('2026-03-31T22:10:05.000Z'),
        event(
          'datastore_slow',
          '2026-03-31T22:10:09.000Z',
          '{"level":"warn","logger":"etcd-client","msg":"retrying of unary invoker failed"}',
        ),
      ],
    });
    const finding = detect(apiserverUnavailable, data)!;
    expect(finding.data).toMatchObject({
      windows: 2,
      longestSeconds: 11,
      serverTimeouts: 3,
      datastoreSlow: 1,
    });
    expect(finding.claim).toContain('2 separate windows');
    expect(finding.window).toEqual({ start: '2026-03-31T22:02:41.000Z', end: '2026-03-31T22:10:09.000Z' });
  });

  it('needs a timeout: datastore slowness alone is not unavailability', () => {
    const data = caseData({ events: [event('datastore_slow', '2026-03-31T22:10:09.000Z', 'slow')] });
    expect(detect(apiserverUnavailable, data)).toBeUndefined();
  });

  it('clusters by gap', () => {
    expect(clusterWindows([0, 10, 50, 200], 30)).toEqual([
      { start: 0, end: 10, n: 2 },
      { start: 50, end: 50, n: 1 },
      { start: 200, end: 200, n: 1 },
    ]);
  });
});
