import { parseIsoPartial } from '../time.js';
import type { LogFormat } from './types.js';

/**
 * journalctl `short-iso` / `short-iso-precise`: `2024-01-12T10:00:31+0000 host IDENT[PID]: MESSAGE`
 * (offset with a colon from systemd v255 on). Carries year and zone.
 */
const LINE =
  /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:?\d\d)) (\S+) ([^\s[:]+)(?:\[(\d+)\])?:(?: (.*))?$/s;

export const journaldIso: LogFormat = {
  id: 'journald-iso',
  description: 'journalctl short-iso / short-iso-precise (year and zone)',
  role: 'wrapper',
  parse(line) {
    const match = LINE.exec(line);
    if (!match) return null;
    const time = parseIsoPartial(match[1] as string);
    if (!time) return null;
    return {
      time,
      origin: 'journald',
      body: match[5] ?? '',
      source: `journald:${match[3]}`,
      fields: { host: match[2] as string, identifier: match[3] as string },
    };
  },
  samples: [
    {
      line: '2024-01-12T20:00:31+1000 node-1 microk8s.daemon-kubelite[12345]: I0112 20:00:31.000200   12345 leaderelection.go:283] failed to renew lease kube-system/kube-controller-manager: timed out waiting for the condition',
      expect: { ts: '2024-01-12T10:00:31.000Z', source: 'journald:microk8s.daemon-kubelite' },
    },
    {
      line: '2024-01-12T10:00:31.001377+00:00 node-1 microk8s.daemon-k8s-dqlite[2222]: time="2024-01-12T10:00:31Z" level=error msg="error in txn: context canceled"',
      expect: { ts: '2024-01-12T10:00:31.001Z', source: 'journald:microk8s.daemon-k8s-dqlite' },
    },
  ],
};
