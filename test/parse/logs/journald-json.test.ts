import { describe, expect, it } from 'vitest';
import { parseBytes } from '../_parse-file.js';

const bytes = (text: string) => `[${[...Buffer.from(text)].join(',')}]`;

describe('journalctl -o json files', () => {
  it('finds events in string and byte-array MESSAGEs (colour codes ignored), timed by __REALTIME_TIMESTAMP', () => {
    const lines = [
      '{"__REALTIME_TIMESTAMP":"1775000000000000","SYSLOG_IDENTIFIER":"microk8s.daemon-kubelite","_PID":"2290","MESSAGE":"I0331 23:33:20.000000    2290 leaderelection.go:283] failed to renew lease kube-system/kube-scheduler: timed out waiting for the condition"}',
      `{"__REALTIME_TIMESTAMP":"1775000001500000","SYSLOG_IDENTIFIER":"microk8s.daemon-kubelite","_PID":"2290","MESSAGE":${bytes('\u001b[31mE0331 23:33:21.500000    2290 server.go:266] "Leaderelection lost"\u001b[0m')}}`,
      '{"__REALTIME_TIMESTAMP":"1775000002000000","SYSLOG_IDENTIFIER":"systemd","MESSAGE":"Started Service for snap application microk8s.daemon-kubelite."}',
    ];
    const { type, events, result } = parseBytes('journal.json', Buffer.from(`${lines.join('\n')}\n`));
    expect(type).toBe('journald-json');
    expect(result.problems).toEqual([]);
    expect(
      events.map((event) => [event.line, event.kind, event.subject, event.ts, event.tsSource, event.source]),
    ).toEqual([
      [
        1,
        'lease_renew_failure',
        'kube-system/kube-scheduler',
        '2026-03-31T23:33:20.000Z',
        'journald',
        'journald:microk8s.daemon-kubelite/klog',
      ],
      [
        2,
        'leader_lost',
        'kube-system/kube-scheduler',
        '2026-03-31T23:33:21.500Z',
        'journald',
        'journald:microk8s.daemon-kubelite/klog',
      ],
    ]);
  });
});
