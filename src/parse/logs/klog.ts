import { digitPair, isValidPartial } from '../time.js';
import { severityOf } from './_level.js';
import { isSpace, leadingQuoted, parseKeyValues } from './_kv.js';
import type { LogFormat } from './types.js';

/**
 * klog text header `Lmmdd hh:mm:ss.uuuuuu PID file:line] msg` (kubernetes/klog `FormatHeader`): no
 * year, no zone (the process's local time). Structured lines (InfoS/ErrorS) quote the message and add
 * `key="value"` pairs, which become fields. Docs: ../shared/docs/bundles-and-signatures.md §3.1–3.2.
 */
const isDigit = (code: number) => code >= 48 && code <= 57;

/**
 * The header as the regex `^([IWEF])(\d\d)(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{6})\s+(\d+) ([^\s:\]]+:\d+)\] ?(.*)$`
 * (flag s) reads it, read by hand (every klog event line comes through here; the regex's ten
 * captures were most of the cost): the same fields, or null where the regex does not match. Each part of the
 * regex is deterministic (no part can give back characters the next part could use), so reading
 * left to right decides as the regex does. test/parse/logs/klog.test.ts compares both.
 */
export function klogHeader(line: string): {
  severity: string;
  time: KlogTime;
  caller: string;
  message: string;
} | null {
  if (!isKlogSeverity(line.charCodeAt(0))) return null;
  const time = headerClock(line);
  if (!time) return null;
  let at = 21;
  const length = line.length;
  if (at >= length || !isSpace(line.charCodeAt(at))) return null;
  while (at < length && isSpace(line.charCodeAt(at))) at++;
  const pid = at;
  while (isDigit(line.charCodeAt(at))) at++;
  if (at === pid || line.charCodeAt(at) !== 32) return null;
  const caller = ++at;
  for (; at < length; at++) {
    const code = line.charCodeAt(at);
    if (code === 58 || code === 93 || isSpace(code)) break;
  }
  if (at === caller || line.charCodeAt(at) !== 58) return null;
  const lineNumber = ++at;
  while (isDigit(line.charCodeAt(at))) at++;
  if (at === lineNumber || line.charCodeAt(at) !== 93) return null;
  const callerEnd = at++;
  if (line.charCodeAt(at) === 32) at++;
  return {
    severity: line[0] as string,
    time,
    caller: line.slice(caller, callerEnd),
    message: line.slice(at),
  };
}

/** `I`, `W`, `E` or `F`. */
export function isKlogSeverity(code: number): boolean {
  return code === 73 || code === 87 || code === 69 || code === 70;
}

type KlogTime = { month: number; day: number; hour: number; minute: number; second: number; ms: number };

/**
 * `mmdd hh:mm:ss.uuuuuu` at 1–20 of the header starting at `start`, as the header regex wants it:
 * its fields, each character read once (a klog event line's clock is read at least once, and reading
 * characters is most of its cost), or null when a digit or separator is missing. Not checked for
 * validity (a 13th month reads).
 */
function headerClock(line: string, start = 0): KlogTime | null {
  const month = digitPair(line, start + 1);
  const day = digitPair(line, start + 3);
  const hour = digitPair(line, start + 6);
  const minute = digitPair(line, start + 9);
  const second = digitPair(line, start + 12);
  // The six microsecond digits, two at a time.
  const micros = digitPair(line, start + 15);
  const micros2 = digitPair(line, start + 17);
  const micros3 = digitPair(line, start + 19);
  if (
    (month | day | hour | minute | second) < 0 ||
    line.charCodeAt(start + 5) !== 32 ||
    line.charCodeAt(start + 8) !== 58 ||
    line.charCodeAt(start + 11) !== 58 ||
    line.charCodeAt(start + 14) !== 46 ||
    (micros | micros2 | micros3) < 0
  )
    return null;
  return { month, day, hour, minute, second, ms: (micros * 10_000 + micros2 * 100 + micros3) / 1000 };
}

/**
 * The time of a klog header starting at `start` of `line` whose severity letter and text from its
 * character 21 on are known to read: what `klog.parse` would give as `time`, or null where it would
 * not read the header for its clock (a digit missing, a 13th month).
 */
export function klogClock(line: string, start = 0): KlogTime | null {
  const time = headerClock(line, start);
  return time && isValidPartial(time) ? time : null;
}

export const klog: LogFormat = {
  id: 'klog',
  description: 'klog text header, printf and structured (InfoS/ErrorS) messages',
  role: 'message',
  parse(line) {
    const header = klogHeader(line);
    if (!header) return null;
    const time = header.time;
    if (!isValidPartial(time)) return null;
    const message = header.message;
    const quoted = leadingQuoted(message);
    const fields = quoted ? parseKeyValues(quoted.rest) : {};
    fields.caller = header.caller;
    return {
      time,
      origin: 'line',
      body: quoted ? `${quoted.value}${quoted.rest}` : message,
      level: severityOf(header.severity),
      source: 'klog',
      fields,
    };
  },
  samples: [
    {
      line: 'E0112 10:00:31.000912   12345 leaderelection.go:332] error retrieving resource lock kube-system/kube-scheduler: Get "https://127.0.0.1:16443/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler?timeout=15s": context deadline exceeded',
      expect: { level: 'error', ts: '2024-01-12T10:00:31.000Z', fields: { caller: 'leaderelection.go:332' } },
    },
    {
      line: 'E0112 10:00:45.100000   12345 leaderelection.go:497] "Failed to update lease" err="Timeout: request did not complete within requested timeout - context deadline exceeded" lock="kube-system/kube-controller-manager"',
      expect: {
        level: 'error',
        fields: {
          lock: 'kube-system/kube-controller-manager',
          err: 'Timeout: request did not complete within requested timeout - context deadline exceeded',
        },
      },
    },
    {
      line: 'F0112 10:00:31.001377       1 controllermanager.go:294] leaderelection lost',
      expect: { level: 'error', body: 'leaderelection lost', ts: '2024-01-12T10:00:31.001Z' },
    },
    {
      line: 'I0112 10:00:01.500000   12345 leaderelection.go:272] "Successfully acquired lease" lock="kube-system/kube-scheduler"',
      expect: { level: 'info', body: 'Successfully acquired lease lock="kube-system/kube-scheduler"' },
    },
  ],
};
