import { fromEpochNumber, parseIsoPartial } from '../time.js';
import { severityOf } from './_level.js';
import type { LogFormat } from './types.js';

/**
 * controller-runtime development mode (zap console encoder): tab-separated
 * `time<TAB>LEVEL<TAB>logger<TAB>msg<TAB>{json fields}`; time ISO 8601 or float epoch seconds.
 */
const LINE = /^(\S+)\t(DEBUG|INFO|WARN|ERROR|DPANIC|PANIC|FATAL)\t(.*)$/s;

export const zapConsole: LogFormat = {
  id: 'zap-console',
  description: 'controller-runtime/zap development (console) encoder',
  role: 'message',
  parse(line) {
    const match = LINE.exec(line);
    if (!match) return null;
    const stamp = match[1] as string;
    const time = /^\d+(\.\d+)?$/.test(stamp) ? fromEpochNumber(Number(stamp)) : parseIsoPartial(stamp);
    if (!time) return null;
    return {
      time,
      origin: 'line',
      body: (match[3] as string).replace(/\t/g, ' '),
      level: severityOf(match[2]),
      source: 'zap-console',
    };
  },
  samples: [
    {
      line: '2024-01-12T10:00:40Z\tERROR\tsetup\tproblem running manager\t{"error": "leader election lost"}',
      expect: {
        level: 'error',
        ts: '2024-01-12T10:00:40.000Z',
        body: 'setup problem running manager {"error": "leader election lost"}',
      },
    },
  ],
};
