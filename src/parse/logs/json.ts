import { fromEpochNumber, parseIsoPartial, type PartialTime } from '../time.js';
import { severityOf } from './_level.js';
import type { LogFormat } from './types.js';

/**
 * One JSON object per line from Go loggers: controller-runtime/zap (`ts` float seconds or RFC3339),
 * Kubernetes component-base JSON (`ts` float milliseconds, no level), logr/zapr, slog's JSONHandler
 * (`time`, upper-case `level`), logrus' JSONFormatter (`time`, `level`, `msg`), the etcd client.
 * Docs: ../shared/docs/bundles-and-signatures.md §3.3–3.6.
 */
function timeOf(value: unknown): PartialTime | null {
  if (typeof value === 'number') return fromEpochNumber(value);
  if (typeof value === 'string') {
    // A stamp's `-` at 4 rules out an epoch number without the regex, which cost a third of the stamp.
    if (value.charCodeAt(4) !== 45 && /^\d+(\.\d+)?$/.test(value)) return fromEpochNumber(Number(value));
    return parseIsoPartial(value);
  }
  return null;
}

export const jsonLog: LogFormat = {
  id: 'json-log',
  description: 'JSON log lines: zap/controller-runtime, component-base, logr, slog, logrus, etcd client',
  role: 'message',
  parse(line) {
    if (line.charCodeAt(0) !== 123) return null;
    let object: unknown;
    try {
      object = JSON.parse(line);
    } catch {
      return null;
    }
    if (!object || typeof object !== 'object' || Array.isArray(object)) return null;
    const record = object as Record<string, unknown>;
    const message = record.msg ?? record.message;
    if (typeof message !== 'string') return null;
    const fields: Record<string, string> = {};
    // for…in over a parsed object visits its own keys in Object.entries' order, without the pairs.
    for (const key in record) {
      const value = record[key];
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        fields[key] = String(value);
      }
    }
    const error = record.error ?? record.err;
    const logger = typeof record.logger === 'string' ? record.logger : null;
    return {
      time: timeOf(timeValue(record)),
      origin: 'line',
      body: typeof error === 'string' && error ? `${message}: ${error}` : message,
      level: severityOf(typeof record.level === 'string' ? record.level : undefined),
      source: logger ? `json:${logger}` : 'json',
      fields,
    };
  },
  samples: [
    {
      line: '{"ts":1705053601123.456,"caller":"leaderelection/leaderelection.go:297","msg":"failed to renew lease kube-system/kube-scheduler: context deadline exceeded","v":0}',
      expect: {
        ts: '2024-01-12T10:00:01.123Z',
        body: 'failed to renew lease kube-system/kube-scheduler: context deadline exceeded',
      },
    },
    {
      line: '{"level":"error","ts":"2024-01-12T10:00:40Z","logger":"setup","msg":"problem running manager","error":"leader election lost","stacktrace":"main.main\\n\\t/workspace/main.go:131"}',
      expect: {
        level: 'error',
        ts: '2024-01-12T10:00:40.000Z',
        body: 'problem running manager: leader election lost',
        source: 'json:setup',
      },
    },
    {
      line: '{"level":"info","ts":1705053601.1234567,"logger":"controller-runtime.manager","msg":"starting manager"}',
      expect: { level: 'info', ts: '2024-01-12T10:00:01.123Z' },
    },
    {
      line: '{"time":"2024-01-12T10:00:01.123456789Z","level":"WARN","msg":"lease renew slow","lease":"kube-system/foo","elapsed":"4.2s"}',
      expect: { level: 'warning', ts: '2024-01-12T10:00:01.123Z', fields: { lease: 'kube-system/foo' } },
    },
  ],
};

/** The keys a line's time is read from: the first of them that is set. */
export const JSON_TIME_KEYS = ['ts', 'time', 'timestamp'];

function timeValue(record: Record<string, unknown>): unknown {
  for (const key of JSON_TIME_KEYS) if (record[key] != null) return record[key];
  return undefined;
}

/** `"ts":` for `ts`: made once, not per line. */
const TIME_KEY_TEXTS: Record<string, string> = Object.fromEntries(
  JSON_TIME_KEYS.map((key) => [key, `"${key}":`]),
);

const isClockChar = (code: number) =>
  (code >= 48 && code <= 58) ||
  code === 46 ||
  code === 45 ||
  code === 43 ||
  code === 84 ||
  code === 90 ||
  code === 101 ||
  code === 69;

/**
 * Where the time of the JSON log line starting at `at` of `line` is written: the first of the time
 * keys the line holds, and its value — a quoted stamp or a number, made only of digits and
 * `.:-+TZeE` — or null. Found by text, not parsed: the caller checks that `parse` read this value.
 */
export function jsonClockAt(
  line: string,
  at: number,
): { key: string; start: number; end: number; quoted: boolean } | null {
  for (const key of JSON_TIME_KEYS) {
    const name = TIME_KEY_TEXTS[key] as string;
    const keyAt = line.indexOf(name, at);
    if (keyAt < 0) continue;
    let start = keyAt + name.length;
    const quoted = line.charCodeAt(start) === 34;
    if (quoted) start++;
    let end = start;
    while (isClockChar(line.charCodeAt(end))) end++;
    if (end === start || (quoted && line.charCodeAt(end) !== 34)) return null;
    return { key, start, end, quoted };
  }
  return null;
}

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * What `parse` makes of a time value written `text` (quoted or not, as `jsonClockAt` found it): the
 * time and the field's value; null when the text is not a JSON number.
 */
export function jsonClockValue(
  text: string,
  quoted: boolean,
): { time: PartialTime | null; field: string } | null {
  if (quoted) return { time: timeOf(text), field: text };
  if (!JSON_NUMBER.test(text)) return null;
  const value = Number(text);
  return { time: timeOf(value), field: String(value) };
}
