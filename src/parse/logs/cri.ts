import { parseIsoPartial } from '../time.js';
import type { LogFormat } from './types.js';

/**
 * CRI container log files (`/var/log/pods/<ns>_<pod>_<uid>/<container>/<n>.log`):
 * `<RFC3339Nano> <stdout|stderr> <F|P>[:extras] <content>`; fraction with trailing zeros trimmed.
 * `P` lines are fragments of a longer line; each is classified on its own.
 */
const LINE =
  /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d)) (stdout|stderr) ([FP])(?::\S*)? ?(.*)$/s;

export const cri: LogFormat = {
  id: 'cri',
  description: 'CRI container log lines (containerd/kubelet /var/log/pods)',
  role: 'wrapper',
  parse(line) {
    const match = LINE.exec(line);
    if (!match) return null;
    const time = parseIsoPartial(match[1] as string);
    if (!time) return null;
    return {
      time,
      origin: 'cri',
      body: match[4] as string,
      source: 'cri',
      fields: { stream: match[2] as string, tag: match[3] as string },
    };
  },
  samples: [
    {
      line: '2024-01-12T10:00:31.001404212Z stderr F F0112 10:00:31.001377       1 controllermanager.go:294] leaderelection lost',
      expect: {
        ts: '2024-01-12T10:00:31.001Z',
        body: 'F0112 10:00:31.001377       1 controllermanager.go:294] leaderelection lost',
        fields: { stream: 'stderr', tag: 'F' },
      },
    },
    {
      line: '2024-01-12T10:00:01.2Z stdout P {"level":"info","ts":"2024-01-12T10:00:01Z","msg":"a very long',
      expect: { ts: '2024-01-12T10:00:01.200Z', fields: { stream: 'stdout', tag: 'P' } },
    },
  ],
};
