import { parseIsoPartial } from '../time.js';
import type { LogFormat } from './types.js';

/** Docker's json-file log driver lines, still accepted by the kubelet's log reader. */
export const dockerJson: LogFormat = {
  id: 'docker-json',
  description: 'Docker json-file log lines ({"log":…,"stream":…,"time":…})',
  role: 'wrapper',
  parse(line) {
    if (!line.startsWith('{"log":')) return null;
    let record: { log?: unknown; stream?: unknown; time?: unknown };
    try {
      record = JSON.parse(line) as typeof record;
    } catch {
      return null;
    }
    if (typeof record.log !== 'string' || typeof record.time !== 'string') return null;
    return {
      time: parseIsoPartial(record.time),
      origin: 'cri',
      body: record.log.replace(/\n$/, ''),
      source: 'docker-json',
      fields: { stream: String(record.stream ?? '') },
    };
  },
  samples: [
    {
      line: '{"log":"E0112 10:00:31.000912       1 leaderelection.go:330] error retrieving resource lock kube-system/csi-nfs: context deadline exceeded\\n","stream":"stderr","time":"2024-01-12T10:00:31.00091Z"}',
      expect: { ts: '2024-01-12T10:00:31.000Z', fields: { stream: 'stderr' } },
    },
  ],
};
