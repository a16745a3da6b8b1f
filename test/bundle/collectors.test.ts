import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ingest } from '../../src/pipeline/ingest.js';
import { makeBundle, tarOf } from './_bundle.js';

const cleanup: string[] = [];
afterEach(() => {
  for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function bundleKind(casePath: string): string {
  const db = new Database(casePath, { readonly: true });
  try {
    return (db.prepare('SELECT kind FROM bundles').get() as { kind: string }).kind;
  } finally {
    db.close();
  }
}

describe('collector bundles', () => {
  it('a troubleshoot support bundle: typed-client JSON arrays without kinds, logs without year', async () => {
    const { root, dir } = makeBundle('support-bundle-2026-04-01T10_15_00', {
      from: 'bundle/troubleshoot/support-bundle-2026-04-01T10_15_00',
    });
    cleanup.push(root);
    const casePath = join(root, 'case.db');
    const data = await ingest([tarOf(dir, join(root, 'support-bundle-2026-04-01T10_15_00.tar.gz'))], {
      casePath,
    });
    expect(bundleKind(casePath)).toBe('troubleshoot');
    expect(data.problems).toEqual([]);
    expect(data.facts.map((fact) => [fact.kind, fact.file])).toEqual([
      ['lease', 'cluster-resources/leases/kube-system.json'],
      ['pod', 'cluster-resources/pods/kube-system.json'],
    ]);
    expect(data.facts[1]).toMatchObject({ restarts: 655, waitingReason: 'CrashLoopBackOff' });
    expect(data.events.map((event) => [event.kind, event.subject, event.ts, event.tsSource])).toEqual([
      ['lease_renew_failure', 'kube-system/csi-nfs', '2026-03-31T23:54:43.996Z', 'year-zone-assumed'],
      ['leader_lost', null, '2026-03-31T23:54:43.997Z', 'year-zone-assumed'],
      ['crashloop', 'kube-system/csi-nfs-controller-6c8d7b9f4-r5t6u', '2026-03-31T23:57:00.000Z', 'kubectl'],
    ]);
  });

  it('an OpenShift must-gather: YAML Lists, object files, logs with timestamps', async () => {
    const { root, dir } = makeBundle('mg', { from: 'bundle/must-gather' });
    cleanup.push(root);
    const casePath = join(root, 'case.db');
    const data = await ingest([dir], { casePath });
    expect(bundleKind(casePath)).toBe('must-gather');
    expect(data.problems).toEqual([]);
    expect(data.facts.map((fact) => fact.kind).sort()).toEqual(['lease', 'node']);
    expect(data.events.map((event) => [event.kind, event.subject, event.ts, event.tsSource])).toEqual([
      [
        'lease_lock_retrieve_error',
        'kube-system/kube-controller-manager',
        '2026-03-31T23:58:29.100Z',
        'kubectl',
      ],
      ['lease_renew_failure', 'kube-system/kube-controller-manager', '2026-03-31T23:58:31.000Z', 'kubectl'],
      ['leader_lost', 'kube-system/kube-controller-manager', '2026-03-31T23:58:31.000Z', 'kubectl'],
    ]);
  });
});
