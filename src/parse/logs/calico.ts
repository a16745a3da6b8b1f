import { digitAt, parseIsoPartial } from '../time.js';
import { severityOf } from './_level.js';
import { parseKeyValues } from './_kv.js';
import type { LogFormat } from './types.js';

/**
 * Calico's logutils formatter: `YYYY-MM-DD HH:MM:SS.mmm [LEVEL][pid] file.go line: message key=value`
 * in the container's local time (no zone). Docs: bundles-and-signatures.md §3.6.
 */
const LINE = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) \[([A-Z]+)\]\[(\d+)\] (\S+) (\d+): (.*)$/s;

export const calico: LogFormat = {
  id: 'calico',
  description: 'Calico components (calico-node, calico-kube-controllers)',
  role: 'message',
  parse(line) {
    // The line starts with its year: most lines are refused here, without the regex.
    if (digitAt(line, 0) < 0) return null;
    const match = LINE.exec(line);
    if (!match) return null;
    const fields = parseKeyValues(match[6] as string);
    fields.caller = `${match[4]}:${match[5]}`;
    return {
      time: parseIsoPartial(match[1] as string),
      origin: 'line',
      body: match[6] as string,
      level: severityOf(match[2]),
      source: 'calico',
      fields,
    };
  },
  samples: [
    {
      line: '2024-01-12 10:00:01.123 [INFO][1] ipam.go 1032: Garbage collecting leaked IP address handle="k8s-pod-network.3f9c" ip="10.1.7.12" node="node-1" pod="default/web-0"',
      expect: {
        level: 'info',
        ts: '2024-01-12T10:00:01.123Z',
        fields: { pod: 'default/web-0', caller: 'ipam.go:1032' },
      },
    },
  ],
};
