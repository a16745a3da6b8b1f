import { isValidPartial, monthFromName } from '../time.js';
import type { LogFormat } from './types.js';

/**
 * journalctl's default `short` and `short-precise` output: `Mon DD HH:MM:SS[.uuuuuu] host IDENT[PID]: MESSAGE`
 * in host-local time without a year (the format `microk8s inspect` writes into `journal.log`).
 * Docs: bundles-and-signatures.md §3.7.
 */
const LINE =
  /^([A-Z][a-z]{2}) ([ \d]\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))? (\S+) ([^\s[:]+)(?:\[(\d+)\])?:(?: (.*))?$/s;

export const journaldShort: LogFormat = {
  id: 'journald-short',
  description: 'journalctl short / short-precise (no year, host-local time)',
  role: 'wrapper',
  parse(line) {
    const match = LINE.exec(line);
    if (!match) return null;
    const month = monthFromName(match[1] as string);
    if (month === null) return null;
    const time = {
      month,
      day: Number((match[2] as string).trim()),
      hour: Number(match[3]),
      minute: Number(match[4]),
      second: Number(match[5]),
      ms: match[6] ? Number(`0.${match[6]}`) * 1000 : 0,
    };
    if (!isValidPartial(time)) return null;
    return {
      time,
      origin: 'journald',
      body: match[10] ?? '',
      source: `journald:${match[8]}`,
      fields: { host: match[7] as string, identifier: match[8] as string },
    };
  },
  samples: [
    {
      line: 'Jan 12 10:00:31 node-1 microk8s.daemon-kubelite[12345]: F0112 10:00:31.001377   12345 controllermanager.go:294] leaderelection lost',
      expect: {
        ts: '2024-01-12T10:00:31.000Z',
        source: 'journald:microk8s.daemon-kubelite',
        body: 'F0112 10:00:31.001377   12345 controllermanager.go:294] leaderelection lost',
      },
    },
    {
      line: 'Jan 12 10:00:31.001377 node-1 systemd[1]: snap.microk8s.daemon-kubelite.service: Scheduled restart job, restart counter is at 5.',
      expect: { ts: '2024-01-12T10:00:31.001Z', source: 'journald:systemd' },
    },
  ],
};
