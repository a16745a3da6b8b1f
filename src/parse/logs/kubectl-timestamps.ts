import { parseIsoPartial } from '../time.js';
import type { LogFormat } from './types.js';

/**
 * `kubectl logs --timestamps` (and must-gather's current.log/previous.log): each line starts with the
 * CRI time re-formatted as fixed 9-digit RFC3339 and one space.
 */
const LINE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}(?:Z|[+-]\d\d:\d\d)) (.*)$/s;

export const kubectlTimestamps: LogFormat = {
  id: 'kubectl-timestamps',
  description: 'kubectl logs --timestamps (fixed 9-digit RFC3339 prefix)',
  role: 'wrapper',
  parse(line) {
    const match = LINE.exec(line);
    if (!match) return null;
    const time = parseIsoPartial(match[1] as string);
    if (!time) return null;
    return { time, origin: 'kubectl', body: match[2] as string, source: 'kubectl-logs' };
  },
  samples: [
    {
      line: '2024-01-12T10:00:31.001404212Z F0112 10:00:31.001377       1 controllermanager.go:294] leaderelection lost',
      expect: {
        ts: '2024-01-12T10:00:31.001Z',
        body: 'F0112 10:00:31.001377       1 controllermanager.go:294] leaderelection lost',
      },
    },
  ],
};
