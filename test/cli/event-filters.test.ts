import { describe, expect, it } from 'vitest';
import { eventFilter, newestEventMs } from '../../src/cli/commands/_event-filters.js';
import type { EvidenceEvent } from '../../src/types/index.js';

const event = (kind: EvidenceEvent['kind'], ts: string | null, subject: string | null, message: string) =>
  ({
    file: 'x.log',
    line: 1,
    ts,
    tsSource: 'line',
    kind,
    subject,
    source: 'klog',
    severity: 'error',
    message,
  }) as EvidenceEvent;

const events = [
  event(
    'lease_renew_failure',
    '2026-04-01T09:00:00.000Z',
    'kube-system/csi-nfs',
    'failed to renew lease kube-system/csi-nfs',
  ),
  event(
    'lease_renew_failure',
    '2026-04-01T11:00:00.000Z',
    'openebs/openebs.io-local',
    'failed to renew lease openebs/openebs.io-local',
  ),
  event(
    'crashloop',
    '2026-04-01T12:00:00.000Z',
    'ci/awx-operator-controller-manager-6d9f7c5b8-x2k9p',
    'Back-off restarting failed container',
  ),
  event(
    'crashloop',
    null,
    'snap.microk8s.daemon-kubelite.service',
    'Scheduled restart job, restart counter is at 5',
  ),
];

function kept(args: Parameters<typeof eventFilter>[0]): number[] {
  const filter = eventFilter(args);
  const newest = filter.needsNewest ? newestEventMs(events) : undefined;
  return events.flatMap((e, i) => (filter.keep(e, newest) ? [i] : []));
}

describe('events filters', () => {
  it('--kind takes several kinds', () => {
    expect(kept({ kind: ['crashloop'] })).toEqual([2, 3]);
    expect(kept({ kind: ['crashloop', 'lease_renew_failure'] })).toEqual([0, 1, 2, 3]);
    expect(() => kept({ kind: ['crashlop'] })).toThrow(/^--kind crashlop: not an event kind; the kinds: /);
  });

  it('--since/--until take RFC 3339 times or a duration before the newest event; undated events drop out', () => {
    expect(kept({ since: '2026-04-01T10:00:00Z' })).toEqual([1, 2]);
    expect(kept({ since: '2026-04-01T19:00:00+10:00', until: '2026-04-01T21:30:00+10:00' })).toEqual([0, 1]);
    expect(kept({ since: '2026-04-01T09:00:00.001Z', until: '2026-04-01T12:00:00Z' })).toEqual([1]);
    expect(kept({ since: '2h' })).toEqual([1, 2]);
    expect(kept({ until: '90m' })).toEqual([0]);
    expect(() => kept({ since: 'yesterday' })).toThrow(/^--since yesterday: not an RFC 3339 time/);
    expect(() => kept({ since: '2026-04-01T10:00:00' })).toThrow(/with its zone/);
  });

  it('--namespace, --subject (with *) and --grep', () => {
    expect(kept({ namespace: ['kube-system', 'ci'] })).toEqual([0, 2]);
    expect(kept({ subject: ['ci/awx-operator-*'] })).toEqual([2]);
    expect(kept({ subject: ['kube-system/csi-nfs'] })).toEqual([0]);
    expect(kept({ grep: 'restart(ing)? ' })).toEqual([2, 3]);
    expect(kept({ grep: '^Back-off' })).toEqual([2]);
    expect(kept({ grep: '(?i)SCHEDULED' })).toEqual([3]);
    expect(() => kept({ grep: '(' })).toThrow(/^--grep \(: not a regular expression/);
  });
});
