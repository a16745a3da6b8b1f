import { describe, expect, it } from 'vitest';
import { parseBytes } from '../_parse-file.js';

describe('CRI log files', () => {
  it('reads each line on its own, partial (P) fragments included, timed by the CRI stamp in its zone', () => {
    const text = [
      '2026-04-01T09:12:20.1+10:00 stderr F E0331 23:12:20.100000       1 leaderelection.go:330] error retrieving resource lock openebs/openebs-io-local: context deadline exceeded',
      '2026-04-01T09:12:21+10:00 stdout P {"level":"info","ts":"2026-03-31T23:12:21Z","msg":"a very long message whose tail says',
      '2026-04-01T09:12:21.2+10:00 stdout F  failed to renew lease openebs/openebs-io-local: context deadline exceeded"}',
    ].join('\n');
    const { type, events } = parseBytes('0.log', Buffer.from(`${text}\n`));
    expect(type).toBe('cri');
    expect(events.map((event) => [event.line, event.kind, event.subject, event.ts, event.tsSource])).toEqual([
      [1, 'lease_lock_retrieve_error', 'openebs/openebs-io-local', '2026-03-31T23:12:20.100Z', 'cri'],
      [3, 'lease_renew_failure', 'openebs/openebs-io-local', '2026-03-31T23:12:21.200Z', 'cri'],
    ]);
  });
});
