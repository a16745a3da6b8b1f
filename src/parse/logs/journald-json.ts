import { fromEpochMs } from '../time.js';
import type { LogFormat } from './types.js';

/**
 * `journalctl -o json`: one object per line, every value a string; `__REALTIME_TIMESTAMP` in µs since
 * the epoch; a MESSAGE that is not printable UTF-8 is an array of byte values; a field present twice
 * is an array of values. Docs: bundles-and-signatures.md §3.7 and systemd JOURNAL_EXPORT_FORMATS.md.
 */
function messageText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    if (value.every((item) => typeof item === 'number'))
      return Buffer.from(value as number[]).toString('utf8');
    const strings = value.filter((item): item is string => typeof item === 'string');
    return strings.length ? strings.join('\n') : null;
  }
  return null;
}

export const journaldJson: LogFormat = {
  id: 'journald-json',
  description: 'journalctl -o json export (µs __REALTIME_TIMESTAMP, MESSAGE possibly a byte array)',
  role: 'wrapper',
  parse(line) {
    if (!line.startsWith('{') || !line.includes('"__REALTIME_TIMESTAMP"')) return null;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return null;
    }
    const message = messageText(record.MESSAGE);
    const realtime = Number(record.__REALTIME_TIMESTAMP);
    if (message === null || !Number.isFinite(realtime)) return null;
    const identifier =
      typeof record.SYSLOG_IDENTIFIER === 'string'
        ? record.SYSLOG_IDENTIFIER
        : typeof record._COMM === 'string'
          ? record._COMM
          : 'journald';
    const fields: Record<string, string> = { identifier };
    if (typeof record._SYSTEMD_UNIT === 'string') fields.unit = record._SYSTEMD_UNIT;
    if (typeof record._HOSTNAME === 'string') fields.host = record._HOSTNAME;
    return {
      time: fromEpochMs(realtime / 1000),
      origin: 'journald',
      body: message,
      source: `journald:${identifier}`,
      fields,
    };
  },
  samples: [
    {
      line: '{"__CURSOR":"s=9a;i=4e1","__REALTIME_TIMESTAMP":"1705053631001377","__MONOTONIC_TIMESTAMP":"86400123456","_BOOT_ID":"6c7c","_TRANSPORT":"stdout","PRIORITY":"6","SYSLOG_IDENTIFIER":"microk8s.daemon-kubelite","_PID":"12345","_SYSTEMD_UNIT":"snap.microk8s.daemon-kubelite.service","_HOSTNAME":"node-1","MESSAGE":"F0112 10:00:31.001377   12345 controllermanager.go:294] leaderelection lost"}',
      expect: {
        ts: '2024-01-12T10:00:31.001Z',
        source: 'journald:microk8s.daemon-kubelite',
        body: 'F0112 10:00:31.001377   12345 controllermanager.go:294] leaderelection lost',
      },
    },
    {
      line: '{"__REALTIME_TIMESTAMP":"1705053631001377","SYSLOG_IDENTIFIER":"csi","MESSAGE":[27,91,51,49,109,108,101,97,100,101,114,101,108,101,99,116,105,111,110,32,108,111,115,116,27,91,48,109]}',
      expect: { body: '\u001b[31mleaderelection lost\u001b[0m', source: 'journald:csi' },
    },
  ],
};
