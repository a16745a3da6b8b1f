import { digitAt, parseIsoPartial } from '../time.js';
import { severityOf } from './_level.js';
import { parseKeyValues } from './_kv.js';
import type { LogFormat } from './types.js';

/**
 * Go's standard `log` package and `log/slog` without a handler (its default text goes through `log`):
 * `2024/01/12 10:00:31 INFO New leader leader=node-2`. kube-vip ≥0.9 logs this way (catalog T8).
 * Local time, no zone; the level word is present only for slog. Trailing `key=value` pairs become
 * fields.
 */
const LINE = /^(\d{4})\/(\d\d)\/(\d\d) (\d\d:\d\d:\d\d(?:\.\d{1,6})?) (?:(DEBUG|INFO|WARN|ERROR) )?(.*)$/s;

export const goLog: LogFormat = {
  id: 'go-log',
  description: 'Go log / slog default output (YYYY/MM/DD HH:MM:SS [LEVEL] msg key=value)',
  role: 'message',
  parse(line) {
    // The line starts with its year: most lines are refused here, without the regex.
    if (digitAt(line, 0) < 0) return null;
    const match = LINE.exec(line);
    if (!match) return null;
    const time = parseIsoPartial(`${match[1]}-${match[2]}-${match[3]}T${match[4]}`);
    if (!time) return null;
    const message = match[6] as string;
    return {
      time,
      origin: 'line',
      body: message,
      level: severityOf(match[5]),
      source: 'go-log',
      fields: parseKeyValues(message),
    };
  },
  samples: [
    {
      line: '2024/01/12 10:00:31 INFO New leader leader=node-2',
      expect: {
        level: 'info',
        ts: '2024-01-12T10:00:31.000Z',
        body: 'New leader leader=node-2',
        fields: { leader: 'node-2' },
      },
    },
    {
      line: '2024/01/12 10:00:31 ERROR lost leadership, restarting kube-vip',
      expect: { level: 'error', body: 'lost leadership, restarting kube-vip' },
    },
    {
      line: '2024/01/12 10:00:31.123456 http: TLS handshake error from 10.0.0.7:51234: EOF',
      expect: { ts: '2024-01-12T10:00:31.123Z', body: 'http: TLS handshake error from 10.0.0.7:51234: EOF' },
    },
  ],
};
