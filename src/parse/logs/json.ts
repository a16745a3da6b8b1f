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
    if (/^\d+(\.\d+)?$/.test(value)) return fromEpochNumber(Number(value));
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
      time: timeOf(record.ts ?? record.time ?? record.timestamp),
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
