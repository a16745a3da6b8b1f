import { isValidPartial } from '../time.js';
import { severityOf } from './_level.js';
import { leadingQuoted, parseKeyValues } from './_kv.js';
import type { LogFormat } from './types.js';

/**
 * klog text header `Lmmdd hh:mm:ss.uuuuuu PID file:line] msg` (kubernetes/klog `FormatHeader`): no
 * year, no zone (the process's local time). Structured lines (InfoS/ErrorS) quote the message and add
 * `key="value"` pairs, which become fields. Docs: ../shared/docs/bundles-and-signatures.md §3.1–3.2.
 */
const HEADER = /^([IWEF])(\d\d)(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{6})\s+(\d+) ([^\s:\]]+:\d+)\] ?(.*)$/s;

export const klog: LogFormat = {
  id: 'klog',
  description: 'klog text header, printf and structured (InfoS/ErrorS) messages',
  role: 'message',
  parse(line) {
    const match = HEADER.exec(line);
    if (!match) return null;
    const time = {
      month: Number(match[2]),
      day: Number(match[3]),
      hour: Number(match[4]),
      minute: Number(match[5]),
      second: Number(match[6]),
      ms: Number(match[7]) / 1000,
    };
    if (!isValidPartial(time)) return null;
    const message = match[10] as string;
    const quoted = leadingQuoted(message);
    const fields = quoted ? parseKeyValues(quoted.rest) : {};
    fields.caller = match[9] as string;
    return {
      time,
      origin: 'line',
      body: quoted ? `${quoted.value}${quoted.rest}` : message,
      level: severityOf(match[1]),
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
