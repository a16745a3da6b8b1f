import { digitAt, parseIsoPartial } from '../time.js';
import { severityOf } from './_level.js';
import type { LogFormat } from './types.js';

/**
 * etcd's capnslog text (etcd ≤3.3, and 3.4 with the default `--logger=capnslog`), coreos/pkg
 * PrettyFormatter: `2024-01-12 10:00:31.123456 W | etcdserver: msg`. Date with year, microseconds,
 * the host's local time without a zone (catalog T4). Level letters C(ritical) E W N(otice) I D T.
 * The package before the colon becomes the `package` field.
 */
const LINE = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}) ([CEWNIDT]) \| (?:([\w./-]+): )?(.*)$/s;
const LEVELS: Record<string, string> = {
  C: 'critical',
  E: 'error',
  W: 'warning',
  N: 'notice',
  I: 'info',
  D: 'debug',
  T: 'trace',
};

export const etcdCapnslog: LogFormat = {
  id: 'etcd-capnslog',
  description: 'etcd capnslog text (YYYY-MM-DD HH:MM:SS.uuuuuu L | package: msg)',
  role: 'message',
  parse(line) {
    // The line starts with its year: most lines are refused here, without the regex.
    if (digitAt(line, 0) < 0) return null;
    const match = LINE.exec(line);
    if (!match) return null;
    const time = parseIsoPartial(match[1] as string);
    if (!time) return null;
    const fields: Record<string, string> = {};
    if (match[3]) fields.package = match[3];
    return {
      time,
      origin: 'line',
      body: match[4] as string,
      level: severityOf(LEVELS[match[2] as string]),
      source: 'etcd',
      fields,
    };
  },
  samples: [
    {
      line: '2024-01-12 10:00:31.456789 W | wal: sync duration of 1.51s, expected less than 1s',
      expect: {
        level: 'warning',
        ts: '2024-01-12T10:00:31.456Z',
        body: 'sync duration of 1.51s, expected less than 1s',
        fields: { package: 'wal' },
      },
    },
    {
      line: '2024-01-12 10:00:31.123456 W | etcdserver: read-only range request "key:\\"/registry/leases/kube-system/kube-scheduler\\" " with result "range_response_count:1 size:482" took too long (1.203941s) to execute',
      expect: { level: 'warning', source: 'etcd', fields: { package: 'etcdserver' } },
    },
    {
      line: "2024-01-12 10:00:31.000001 C | etcdmain: error verifying flags, flag provided but not defined: -foo. See 'etcd --help'.",
      expect: {
        level: 'error',
        body: "error verifying flags, flag provided but not defined: -foo. See 'etcd --help'.",
      },
    },
    {
      line: '2024-01-12 10:00:35.000000 N | pkg/osutil: received terminated signal, shutting down...',
      expect: { level: 'info', fields: { package: 'pkg/osutil' } },
    },
  ],
};
