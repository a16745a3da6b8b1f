import { describe, expect, it } from 'vitest';
import { classifyLine, EVENT_RULES } from '../../../src/parse/classify/index.js';
import type { EventKind } from '../../../src/types/index.js';

/** The attrs detectors read, on the rules' own sample lines (real shapes per version). */
function attrsOf(kind: EventKind): Record<string, unknown>[] {
  const rule = EVENT_RULES.find((r) => r.kind === kind);
  return (rule?.samples ?? []).map((sample) => classifyLine(sample.line)?.event.attrs ?? {});
}

describe('attrs of the failure-class rules', () => {
  it('datastore_slow says which signal and how long', () => {
    expect(attrsOf('datastore_slow').map((a) => [a.signal, a.tookMs ?? null])).toEqual([
      ['trace', 5004],
      ['trace', 2098.765],
      ['trace', 5004],
      ['slow-sql', 1900],
      ['slow-sql', 1200],
      ['slow-sql', 6100],
      ['request-timeout', null],
      ['range-error', null],
      ['range-error', null],
      ['locked', null],
      ['no-leader', null],
      ['no-leader', null],
      ['apply', 1200],
      ['apply', 1203.941],
      ['apply', 1200],
      ['heartbeat', 1100],
      ['heartbeat', null],
      ['fdatasync', 1800],
      ['fdatasync', 1510],
      ['read-index', null],
      ['read-index', null],
      ['read-index', null],
      ['trace', 612.4],
      ['request-timeout', null],
    ]);
  });

  it('image_pull_failure names the cause and the sandbox image', () => {
    expect(attrsOf('image_pull_failure')).toEqual([
      { image: 'gcr.io/kubebuilder/kube-rbac-proxy:v0.15.0', cause: 'not-found' },
      { image: 'gcr.io/kubebuilder/kube-rbac-proxy:v0.15.0' },
      { image: 'docker.io/library/web:1.2', cause: 'not-found' },
      { image: 'registry.k8s.io/pause:3.7', cause: 'unreachable', sandbox: true },
      { image: 'k8s.gcr.io/pause:3.1', cause: 'auth' },
    ]);
  });

  it('cert_invalid tells expired from not yet valid, with the times', () => {
    expect(attrsOf('cert_invalid').map((a) => [a.state, a.currentTime ?? null, a.bound ?? null])).toEqual([
      ['expired', '2024-01-12T10:00:31Z', '2024-01-10T08:00:00Z'],
      ['not-yet-valid', '2024-01-12T10:00:31+10:00', '2024-02-01T00:00:00Z'],
      ['expired', '2024-01-12T10:00:31Z', '2024-01-10T08:00:00Z'],
      ['expired-or-not-yet-valid', null, null],
      ['rotation-failed', null, null],
      ['rotation-failed', null, null],
      ['expired', null, null],
      ['expired', '2024-01-12T10:00:31Z', '2024-01-10T08:00:00Z'],
    ]);
  });

  it('oom_kill keeps process, pid and scope', () => {
    expect(attrsOf('oom_kill')).toEqual([
      { process: 'java', pid: 12345, scope: 'system', anonRssKb: 4012345 },
      { process: 'manager', pid: 23456, scope: 'cgroup', anonRssKb: 262144 },
      { process: 'java', pid: 1234, scope: 'system' },
      { process: 'java', pid: 12345, scope: 'system' },
      { process: 'manager', pid: 23456, scope: 'cgroup', anonRssKb: 262144 },
      { scope: 'cgroup' },
    ]);
  });

  it('dns_failure, node_pressure and shutdown say what kind', () => {
    expect(attrsOf('dns_failure').map((a) => [a.cause, a.name ?? a.zone])).toEqual([
      ['loop', '.'],
      ['timeout', 'example.com.'],
      ['timeout', 'kubernetes.default.svc'],
      ['servfail', 'hooks.example.com'],
    ]);
    expect(attrsOf('node_pressure').map((a) => a.signal)).toEqual([
      'DiskPressure',
      'MemoryPressure',
      'NotReady',
      'NotReady',
      'eviction',
      'eviction',
      'eviction',
      'eviction',
      'eviction',
      'DiskPressure',
    ]);
    expect(attrsOf('shutdown').map((a) => a.stage)).toEqual([
      'stopping',
      'stopped',
      'stopped',
      'stopped',
      'signal',
      'signal',
      'signal',
      'signal',
      'signal',
    ]);
  });
});
