import { describe, expect, it } from 'vitest';
import { errorSignatures, signatureOf } from '../../src/analyze/signatures.js';
import { caseData, event } from './_case.js';

describe('signatureOf', () => {
  it('strips wrappers, klog headers, subjects, ids and numbers', () => {
    const a = event(
      'lease_renew_failure',
      null,
      '2026-03-31T22:00:52.67061473Z stderr F I0331 22:00:52.670566       1 leaderelection.go:283] failed to renew lease kube-system/microk8s.io-hostpath: timed out waiting for the condition',
      { subject: 'kube-system/microk8s.io-hostpath' },
    );
    const b = event(
      'lease_renew_failure',
      null,
      '2026-03-31T22:04:43.996994772Z I0331 22:04:43.996761       1 leaderelection.go:283] failed to renew lease ci/actions-runner-controller: timed out waiting for the condition',
      { subject: 'ci/actions-runner-controller' },
    );
    expect(signatureOf(a)).toBe(
      'I leaderelection.go] failed to renew lease <subject>: timed out waiting for the condition',
    );
    expect(signatureOf(b)).toBe(signatureOf(a));
  });

  it('reads JSON logs by message and error', () => {
    const e = event(
      'leader_lost',
      null,
      '{"level":"error","ts":1775000757.1270001,"logger":"setup","msg":"problem running manager","error":"leader election lost"}',
    );
    expect(signatureOf(e)).toBe('error problem running manager: leader election lost');
  });

  it('strips journald prefixes and durations', () => {
    const e = event(
      'apiserver_timeout',
      null,
      '2026-03-31T21:58:49.145077+00:00 k8s02 microk8s.daemon-kubelite[2290]: E0331 21:58:49.145482    2290 timeout.go:140] "Post-timeout activity" timeElapsed="214.2ms"',
    );
    expect(signatureOf(e)).toBe('E timeout.go] "Post-timeout activity" timeElapsed="<duration>"');
  });
});

describe('errorSignatures', () => {
  it('groups repeats, counts them, and cites the first', () => {
    const line = (t: string) =>
      `E0331 ${t}    2290 writers.go:122] "Unhandled Error" err="apiserver was unable to write a JSON response: http: Handler timeout"`;
    const signatures = errorSignatures(
      caseData({
        events: [
          event('apiserver_timeout', '2026-03-31T22:10:00.000Z', line('22:10:00.000000'), { line: 9 }),
          event('apiserver_timeout', '2026-03-31T22:00:00.000Z', line('22:00:00.000000'), { line: 4 }),
          event('snapshot', '2026-03-31T22:00:00.000Z', 'snapshot-1-2-3'),
        ],
      }),
    );
    expect(signatures).toHaveLength(1);
    expect(signatures[0]).toMatchObject({
      kind: 'apiserver_timeout',
      count: 2,
      firstTs: '2026-03-31T22:00:00.000Z',
    });
    expect(signatures[0]!.first.line).toBe(4);
  });
});
