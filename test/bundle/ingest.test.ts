import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildEvidenceModel } from '../../src/model/index.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { loadCase } from '../../src/store/case-db.js';
import type { ManifestEntry } from '../../src/types/index.js';
import { FIXTURES, fingerprint, makeBundle, tarOf } from './_bundle.js';

const cleanup: string[] = [];
afterEach(() => {
  for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function withoutBundle(manifest: ManifestEntry[]) {
  return manifest.map(({ bundle: _bundle, ...rest }) => rest);
}

describe('ingest of a folder', () => {
  it('records every file with size, mtime, sha256 and type, and reads events and facts', async () => {
    const { root, dir } = makeBundle('evidence', { from: 'bundle/basic' });
    cleanup.push(root);
    const data = await ingest([dir]);
    expect(data.manifest.map((entry) => [entry.path, entry.type])).toEqual([
      ['README.txt', 'text'],
      ['backend-ls.txt', 'ls-listing'],
      ['journal/snap.microk8s.daemon-kubelite.log', 'journald-short'],
      ['kubectl/get-pods-wide.txt', 'kubectl-table'],
      ['kubectl/leases.yaml', 'kubectl-yaml'],
      ['kubectl/pods.json', 'kubectl-json'],
      ['logs/csi-provisioner.log', 'kubectl-timestamps'],
      ['logs/manager.json.log', 'json-log'],
    ]);
    for (const entry of data.manifest) {
      expect(entry.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(entry.mtimeMs).toBe(Date.parse('2026-04-01T00:10:00Z'));
      expect(entry.bundle).toBe(dir);
    }
    const journal = data.events.filter((event) => event.file === 'journal/snap.microk8s.daemon-kubelite.log');
    // journald short has no year: it comes from the latest full time in the bundle (2026).
    expect(journal.map((event) => [event.line, event.kind, event.subject, event.ts, event.tsSource])).toEqual(
      [
        [
          2,
          'lease_lock_retrieve_error',
          'kube-system/kube-controller-manager',
          '2026-03-31T22:04:35.314Z',
          'year-zone-assumed',
        ],
        [
          3,
          'lease_renew_failure',
          'kube-system/kube-controller-manager',
          '2026-03-31T22:04:37.273Z',
          'year-zone-assumed',
        ],
        [
          4,
          'leader_lost',
          'kube-system/kube-controller-manager',
          '2026-03-31T22:04:37.276Z',
          'year-zone-assumed',
        ],
        [
          6,
          'crashloop',
          'snap.microk8s.daemon-kubelite.service',
          '2026-03-31T22:04:43.000Z',
          'year-zone-assumed',
        ],
        [
          8,
          'leader_acquired',
          'kube-system/kube-controller-manager',
          '2026-03-31T22:05:20.000Z',
          'year-zone-assumed',
        ],
      ],
    );
    expect(data.facts.map((fact) => fact.kind).sort()).toEqual([
      'file-size',
      'lease',
      'lease',
      'pod',
      'pod',
      'pod',
      'pod',
      'pod',
      'pod',
    ]);
    const sha = data.manifest.find((entry) => entry.path === 'kubectl/leases.yaml')?.sha256;
    expect(data.facts.find((fact) => fact.kind === 'lease')?.sha256).toBe(sha);
    expect(data.events.filter((event) => event.kind === 'snapshot')).toHaveLength(2);
  });

  it('reports bad lines per file and keeps the rest', async () => {
    const { root, dir } = makeBundle('evidence', { from: 'bundle/basic' });
    cleanup.push(root);
    const data = await ingest([dir]);
    expect(data.problems).toEqual([
      {
        bundle: dir,
        file: 'logs/manager.json.log',
        problem: '1 of 5 lines are cut-off JSON objects (first: line 3); read as text',
      },
    ]);
    const manager = data.events.filter((event) => event.file === 'logs/manager.json.log');
    expect(manager.map((event) => [event.line, event.kind])).toEqual([
      [2, 'lease_lock_retrieve_error'],
      [5, 'leader_lost'],
      [3, 'lease_renew_failure'],
    ]);
  });

  it('never stores a token', async () => {
    const { root, dir } = makeBundle('evidence', { from: 'bundle/basic' });
    cleanup.push(root);
    const casePath = join(root, 'case.db');
    const data = await ingest([dir], { casePath });
    const line = data.events.find((event) => event.file === 'logs/csi-provisioner.log' && event.line === 5);
    expect(line?.message).toContain('Bearer [redacted]');
    const bytes = (await import('node:fs')).readFileSync(casePath);
    expect(bytes.includes('abcdefghijklmnopqrstuvwxyz0123456789')).toBe(false);
    expect(JSON.stringify(data)).not.toContain('eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ');
  });

  it('leaves the evidence byte-for-byte and mtime unchanged, and no scratch files behind', async () => {
    const { root, dir } = makeBundle('evidence', { from: 'bundle/basic' });
    cleanup.push(root);
    const before = fingerprint(dir);
    await ingest([dir], { casePath: join(root, 'case.db') });
    expect(fingerprint(dir)).toEqual(before);
  });

  it('refuses a case database inside the evidence', async () => {
    const { root, dir } = makeBundle('evidence', { from: 'bundle/basic' });
    cleanup.push(root);
    await expect(ingest([dir], { casePath: join(dir, 'case.db') })).rejects.toThrow(
      /is inside the evidence /,
    );
    expect(existsSync(join(dir, 'case.db'))).toBe(false);
  });
});

describe('folder and archive', () => {
  it('a folder, its .tar.gz and its .tar give the same manifest, events and facts', async () => {
    const { root, dir } = makeBundle('evidence', { from: 'bundle/basic' });
    cleanup.push(root);
    const fromFolder = await ingest([dir]);
    const fromTarGz = await ingest([tarOf(dir, join(root, 'evidence.tar.gz'))]);
    const fromTar = await ingest([tarOf(dir, join(root, 'evidence.tar'), false)]);
    expect(withoutBundle(fromTarGz.manifest)).toEqual(withoutBundle(fromFolder.manifest));
    expect(withoutBundle(fromTar.manifest)).toEqual(withoutBundle(fromFolder.manifest));
    const strip = (events: typeof fromFolder.events) => events.map(({ bundle: _b, ...rest }) => rest);
    expect(strip(fromTarGz.events)).toEqual(strip(fromFolder.events));
    expect(fromTarGz.facts).toEqual(fromFolder.facts);
  });
});

describe('a case across runs', () => {
  it('ingesting twice duplicates nothing; a second bundle adds to the case', async () => {
    const first = makeBundle('evidence', { from: 'bundle/basic' });
    const second = makeBundle('more', {
      files: { 'extra.log': 'flag provided but not defined: -lease-duration\n' },
    });
    cleanup.push(first.root, second.root);
    const casePath = join(first.root, 'case.db');
    const once = await ingest([first.dir], { casePath });
    const twice = await ingest([first.dir], { casePath });
    expect(twice).toEqual(once);
    const both = await ingest([second.dir], { casePath });
    expect(both.manifest).toHaveLength(once.manifest.length + 1);
    expect(both.events).toHaveLength(once.events.length + 1);
    expect(both.events.find((event) => event.kind === 'unknown_flag')).toMatchObject({
      file: 'extra.log',
      bundle: second.dir,
      attrs: { flag: '-lease-duration' },
    });
    expect(loadCase(casePath)).toEqual(both);
  });

  it('keeps what the case had for a file that cannot be read now', async () => {
    const { root, dir } = makeBundle('evidence', {
      files: { 'a.log': 'flag provided but not defined: -x\n' },
    });
    cleanup.push(root);
    const casePath = join(root, 'case.db');
    const once = await ingest([dir], { casePath });
    rmSync(join(dir, 'a.log'));
    const { createServer } = await import('node:net');
    const server = createServer().listen(join(dir, 'a.log'));
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const again = await ingest([dir], { casePath });
      expect(again.events).toEqual(once.events);
      expect(again.manifest).toEqual(once.manifest);
      expect(again.problems.map((problem) => problem.problem)).toEqual([
        'not a regular file (device, socket or pipe); not read',
      ]);
    } finally {
      server.close();
    }
  });
});

describe('snapshot copies in a bundle', () => {
  const REAL = join(FIXTURES, 'dqlite-real/kine-small');
  const NAME = 'snapshot-1-160-3278102';

  for (const container of ['folder', 'tar.gz'] as const) {
    it(`decodes them (${container}) and times them by the listing`, async () => {
      const listing = `-rw-rw---- 1 root microk8s 635512 2026-03-31 22:00:45.912000000 +0000 ${NAME}\n`;
      const { root, dir } = makeBundle('evidence', { files: { 'backend-ls.txt': listing } });
      cleanup.push(root);
      const { mkdirSync } = await import('node:fs');
      mkdirSync(join(dir, 'backend'));
      copyFileSync(join(REAL, NAME), join(dir, 'backend', NAME));
      copyFileSync(join(REAL, `${NAME}.meta`), join(dir, 'backend', `${NAME}.meta`));
      const input = container === 'folder' ? dir : tarOf(dir, join(root, 'evidence.tar.gz'));
      const data = await ingest([input]);
      expect(data.snapshotReports).toHaveLength(1);
      expect(data.snapshotReports[0]?.file).toBe(`backend/${NAME}`);
      expect(data.snapshotReports[0]?.meta.wallClock).toBe(
        new Date(Date.parse('2026-03-31T22:00:45.912Z')).toISOString(),
      );
      const fromFile = data.events.find((event) => event.file === `backend/${NAME}`);
      expect(fromFile).toMatchObject({
        kind: 'snapshot',
        ts: '2026-03-31T22:00:45.912Z',
        attrs: {
          bytes: 635512,
          name: NAME,
          term: 1,
          index: 160,
          wallClockAnchor: 'mtime listed in backend-ls.txt:1',
        },
      });
      expect(data.manifest.find((entry) => entry.path === `backend/${NAME}`)?.type).toBe('dqlite-snapshot');
    });
  }

  it('a snapshot that does not decode is a problem of that file only', async () => {
    const { root, dir } = makeBundle('evidence', {
      files: {
        [`backend/${NAME}`]: Buffer.from('not an lz4 frame nor sqlite'),
        'a.log': 'flag provided but not defined: -x\n',
      },
    });
    cleanup.push(root);
    const data = await ingest([dir]);
    expect(data.problems).toHaveLength(1);
    expect(data.problems[0]?.file).toBe(`backend/${NAME}`);
    expect(data.problems[0]?.problem).toMatch(/^snapshot not decoded: /);
    expect(data.events.map((event) => event.kind)).toEqual(['unknown_flag']);
  });
});

describe('snapshot copies timed by dqlite/libraft trace lines', () => {
  const REAL = join(FIXTURES, 'dqlite-real/kine-small');
  const NAME = 'snapshot-1-160-3278102';
  const JOURNAL = 'k8s02/journal/snap.microk8s.daemon-k8s-dqlite.log';
  const traceLine = (host: string, time: string, index: number) =>
    `Mar 31 22:00:40 ${host} microk8s.daemon-k8s-dqlite[2222]: LIBDQLITE[  2222] 2026-03-31T${time} 002230 DEBUG   takeSnapshot         src/raft/replication.c:1814 take snapshot at ${index}`;

  async function bundleWith(files: Record<string, string>, copyAs = `k8s02/backend/${NAME}`) {
    const { root, dir } = makeBundle('evidence', { files });
    cleanup.push(root);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, copyAs, '..'), { recursive: true });
    copyFileSync(join(REAL, NAME), join(dir, copyAs));
    copyFileSync(join(REAL, `${NAME}.meta`), join(dir, `${copyAs}.meta`));
    return ingest([dir]);
  }

  it('places an unlisted copy by the trace line that took a snapshot at its raft index', async () => {
    const journal = [
      'Mar 31 22:00:39 k8s02 microk8s.daemon-k8s-dqlite[2222]: time="2026-03-31T22:00:39Z" level=info msg="Configure dqlite raft snapshot parameters" threshold=512 trailing=4096',
      traceLine('k8s01', '21:59:01.500000000', 160),
      traceLine('k8s02', '22:00:40.123456789', 160),
      'Mar 31 22:00:40 k8s02 microk8s.daemon-k8s-dqlite[2222]: LIBDQLITE[  2222] 2026-03-31T22:00:40.123500000 002230 DEBUG   takeSnapshotAsync    src/raft/replication.c:1760 take snapshot async at 160',
    ].join('\n');
    const data = await bundleWith({ [JOURNAL]: `${journal}\n` });
    const anchor = `trace line in ${JOURNAL}:3 (take snapshot at 160)`;
    expect(data.snapshotReports[0]?.meta).toMatchObject({
      wallClock: '2026-03-31T22:00:40.123Z',
      wallClockAnchor: anchor,
      wallClockBasis: 'trace',
    });
    const snapshots = data.events.filter((event) => event.kind === 'snapshot');
    expect(snapshots.map((event) => [event.file, event.line, event.ts, event.subject])).toEqual([
      [JOURNAL, 2, '2026-03-31T21:59:01.500Z', 'k8s01'],
      [`k8s02/backend/${NAME}`, 1, '2026-03-31T22:00:40.123Z', null],
      [JOURNAL, 3, '2026-03-31T22:00:40.123Z', 'k8s02'],
    ]);
    expect(snapshots[1]?.attrs).toMatchObject({
      index: 160,
      name: NAME,
      wallClockAnchor: anchor,
      placement: 'trace',
    });
    expect(snapshots[2]?.attrs).toEqual({ index: 160, source: 'trace' });
    // The analysis counts the copy and its trace line as one snapshot; k8s01's is another.
    const series = buildEvidenceModel(data).snapshots;
    expect(series.writes.map((s) => [s.ts, s.evidence.file, s.evidence.line, s.placement])).toEqual([
      ['2026-03-31T21:59:01.500Z', JOURNAL, 2, 'trace'],
      ['2026-03-31T22:00:40.123Z', JOURNAL, 3, 'trace'],
    ]);
    expect(series.undated).toBe(0);
    expect(series.copyMtime).toEqual([]);
  });

  it('prefers a listing of the same file to a trace line', async () => {
    const data = await bundleWith({
      [JOURNAL]: `${traceLine('k8s02', '22:00:40.123456789', 160)}\n`,
      'k8s02/backend-ls.txt': `-rw-rw---- 1 root microk8s 635512 2026-03-31 22:00:45.912000000 +0000 ${NAME}\n`,
    });
    expect(data.snapshotReports[0]?.meta.wallClock).toBe('2026-03-31T22:00:45.912Z');
    const copy = data.events.find((event) => event.file === `k8s02/backend/${NAME}`);
    expect(copy?.attrs?.wallClockAnchor).toBe('mtime listed in k8s02/backend-ls.txt:1');
  });

  it('leaves a copy unplaced when nodes other than its own traced that index', async () => {
    const data = await bundleWith(
      {
        [JOURNAL]: [
          traceLine('k8s01', '21:59:01.500000000', 160),
          traceLine('k8s03', '22:00:40.123456789', 160),
        ].join('\n'),
      },
      `backend/${NAME}`,
    );
    // Only the copy's own mtime is left (the analysis leaves such copies off the clock).
    expect(data.snapshotReports[0]?.meta.wallClockAnchor).toMatch(/^file mtime/);
  });
});

describe('year inference', () => {
  it('places journald short lines across New Year by the collection stamp in the name', async () => {
    const journal = [
      'Dec 31 23:59:58 k8s02 microk8s.daemon-kubelite[2290]: I1231 23:59:58.100000    2290 leaderelection.go:283] failed to renew lease kube-system/kube-scheduler: timed out waiting for the condition',
      'Jan 01 00:00:02 k8s02 microk8s.daemon-kubelite[2290]: E0101 00:00:02.200000    2290 server.go:266] "Leaderelection lost"',
    ].join('\n');
    const { root, dir } = makeBundle('inspection-report', {
      files: { 'snap.microk8s.daemon-kubelite/journal.log': `${journal}\n` },
    });
    cleanup.push(root);
    const data = await ingest([tarOf(dir, join(root, 'inspection-report-20260102_080000.tar.gz'))]);
    expect(data.events.map((event) => [event.ts, event.tsSource])).toEqual([
      ['2025-12-31T23:59:58.100Z', 'year-zone-assumed'],
      ['2026-01-01T00:00:02.200Z', 'year-zone-assumed'],
    ]);
    const pinned = await ingest([tarOf(dir, join(root, 'inspection-report-20260102_080000.tar.gz'))], {
      year: 2024,
    });
    expect(pinned.events.map((event) => event.ts)).toEqual([
      '2024-01-01T00:00:02.200Z',
      '2024-12-31T23:59:58.100Z',
    ]);
  });
});

describe('microk8s inspect tarball', () => {
  it('is recognised; journal years come from the tarball name; --tz shifts host-local lines', async () => {
    const journal = [
      'Mar 31 22:04:37 k8s02 microk8s.daemon-kubelite[2290]: I0331 22:04:37.273341    2290 leaderelection.go:283] failed to renew lease kube-system/kube-scheduler: timed out waiting for the condition',
      'Mar 31 22:04:37 k8s02 microk8s.daemon-kubelite[2290]: E0331 22:04:37.276000    2290 server.go:266] "Leaderelection lost"',
    ].join('\n');
    const { root, dir } = makeBundle('inspection-report', {
      files: {
        'snap.microk8s.daemon-kubelite/journal.log': `${journal}\n`,
        'snap.microk8s.daemon-kubelite/systemctl.log':
          '● snap.microk8s.daemon-kubelite.service - Service for snap application microk8s.daemon-kubelite\n',
        'args/kubelet': '--kubeconfig=${SNAP_DATA}/credentials/kubelet.config\n',
        'sys/uptime': ' 10:15:00 up 2 days,  3:00,  1 user,  load average: 9.12, 8.40, 7.91\n',
        'dqlite/list.out': `-rw-rw---- 1 root microk8s 215M Apr  1 07:58 snapshot-4-183402625-1709071603\n`,
      },
    });
    cleanup.push(root);
    const { copyFileSync: copy, mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'k8s'));
    copy(join(FIXTURES, 'kubectl/cluster-info-dump'), join(dir, 'k8s/cluster-info-dump'));
    const tarball = tarOf(dir, join(root, 'inspection-report-20260401_101500.tar.gz'));
    const casePath = join(root, 'case.db');
    const data = await ingest([tarball], { casePath, tz: '+10:00' });
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(casePath, { readonly: true });
    expect(db.prepare('SELECT kind, container FROM bundles').get()).toEqual({
      kind: 'microk8s-inspect',
      container: 'tar.gz',
    });
    db.close();
    expect(data.manifest.map((entry) => entry.path)).toContain('snap.microk8s.daemon-kubelite/journal.log');
    const journalEvents = data.events.filter(
      (event) => event.file === 'snap.microk8s.daemon-kubelite/journal.log',
    );
    expect(journalEvents.map((event) => [event.kind, event.subject, event.ts, event.tsSource])).toEqual([
      ['lease_renew_failure', 'kube-system/kube-scheduler', '2026-03-31T12:04:37.273Z', 'year-assumed'],
      ['leader_lost', 'kube-system/kube-scheduler', '2026-03-31T12:04:37.276Z', 'year-assumed'],
    ]);
    expect(data.events.find((event) => event.file === 'dqlite/list.out')).toMatchObject({
      kind: 'snapshot',
      ts: '2026-03-31T21:58:00.000Z',
    });
    expect(
      data.events.filter((event) => event.file === 'k8s/cluster-info-dump').map((event) => event.kind),
    ).toEqual(['lease_lock_retrieve_error', 'leader_lost']);
  });
});

describe('progress', () => {
  it('reports bytes read within a large file, never going back, ending at the total', async () => {
    const line = `${'x'.repeat(99)}\n`;
    const { root, dir } = makeBundle('evidence', {
      files: { 'big.log': line.repeat(50_000), 'small.log': line },
    });
    cleanup.push(root);
    const calls: [number, number | null][] = [];
    await ingest([dir], { onProgress: (done, total) => calls.push([done, total]) });
    expect(calls.length).toBeGreaterThanOrEqual(5);
    expect(
      calls.every(([done], index) => index === 0 || done >= (calls[index - 1] as [number, number])[0]),
    ).toBe(true);
    expect(calls.at(-1)).toEqual([5_000_100, 5_000_100]);
  });
});
