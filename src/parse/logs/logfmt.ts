import { parseIsoPartial } from '../time.js';
import { severityOf } from './_level.js';
import { parseKeyValues } from './_kv.js';
import type { LogFormat } from './types.js';

/**
 * `key=value` lines that start with `time=` and carry `level=` and `msg=`: logrus' TextFormatter
 * when not on a TTY (k8s-dqlite, kine: `time="2024-01-12T10:00:02Z" level=error msg="…"`) and Go
 * slog's TextHandler (`time=2024-01-12T10:00:01.123Z level=ERROR msg="…"`).
 */
export const logfmt: LogFormat = {
  id: 'logfmt',
  description: 'logrus text and slog TextHandler (time=… level=… msg=…)',
  role: 'message',
  parse(line) {
    if (line.charCodeAt(0) !== 116 || !line.startsWith('time=')) return null;
    const fields = parseKeyValues(line);
    if (fields.msg === undefined || fields.level === undefined) return null;
    const error = fields.error ?? fields.err;
    return {
      time: fields.time ? parseIsoPartial(fields.time) : null,
      origin: 'line',
      body: error ? `${fields.msg}: ${error}` : fields.msg,
      level: severityOf(fields.level),
      source: 'logfmt',
      fields,
    };
  },
  samples: [
    {
      line: 'time="2024-01-12T10:00:02Z" level=error msg="error while range on /registry/serviceaccounts/ /registry/serviceaccounts/: context canceled"',
      expect: {
        level: 'error',
        ts: '2024-01-12T10:00:02.000Z',
        body: 'error while range on /registry/serviceaccounts/ /registry/serviceaccounts/: context canceled',
      },
    },
    {
      line: 'time=2024-01-12T10:00:01.123Z level=ERROR msg="renew failed" err="context deadline exceeded"',
      expect: {
        level: 'error',
        body: 'renew failed: context deadline exceeded',
        ts: '2024-01-12T10:00:01.123Z',
      },
    },
    {
      line: 'time="2024-07-12T10:00:05+10:00" level=warning msg="Slow SQL: SELECT 1" duration=5.2s name=list started="2024-07-12T10:00:00+10:00"',
      expect: { level: 'warning', ts: '2024-07-12T00:00:05.000Z', fields: { duration: '5.2s' } },
    },
  ],
};
