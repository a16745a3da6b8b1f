import { describe, expect, it } from 'vitest';
import { parseBytes, parseFixture } from './_parse-file.js';

describe('storage measurements', () => {
  it('reads dd oflag=dsync as the time of one synchronous write', () => {
    const { type, result } = parseFixture('measure/dd-dsync.txt');
    expect(type).toBe('storage-bench');
    expect(result.facts).toEqual([
      {
        kind: 'storage-bench',
        file: 'measure/dd-dsync.txt',
        line: 4,
        sha256: '',
        tool: 'dd',
        syncWriteMs: 21.735,
        syncP99Ms: null,
        bytesPerSecond: 23600,
        writes: 1000,
        blockBytes: 512,
        synced: true,
      },
    ]);
  });

  it('keeps dd without its command line as unknown sync, and old coreutils without the IEC size', () => {
    const text = '1000+0 records in\n1000+0 records out\n512000 bytes (512 kB) copied, 0.68442 s, 748 kB/s\n';
    const { type, result } = parseBytes('dd.txt', Buffer.from(text));
    expect(type).toBe('storage-bench');
    expect(result.facts).toMatchObject([{ tool: 'dd', synced: null, syncWriteMs: 0.684, writes: 1000 }]);
  });

  it('reads fio text: fdatasync average and 99th percentile in ms', () => {
    const { type, result } = parseFixture('measure/fio-etcd.txt');
    expect(type).toBe('storage-bench');
    expect(result.facts).toMatchObject([
      {
        tool: 'fio',
        line: 21,
        syncWriteMs: 2.789,
        syncP99Ms: 17.957,
        bytesPerSecond: 792 * 1024,
        blockBytes: 2300,
        synced: true,
      },
    ]);
  });

  it('reads fio JSON (lat_ns)', () => {
    const report = {
      'fio version': 'fio-3.28',
      jobs: [
        {
          jobname: 'mytest',
          'job options': { rw: 'write', ioengine: 'sync', fdatasync: '1', bs: '2300', size: '22m' },
          write: { bw_bytes: 811008 },
          sync: {
            total_ios: 10029,
            lat_ns: { min: 1203000, max: 45678000, mean: 2789120.5, percentile: { '99.000000': 17956864 } },
          },
        },
      ],
    };
    const { type, result } = parseBytes('fio.json', Buffer.from(JSON.stringify(report, null, 2)));
    expect(type).toBe('storage-bench');
    expect(result.facts).toMatchObject([
      { tool: 'fio', syncWriteMs: 2.789, syncP99Ms: 17.957, writes: 10029, blockBytes: 2300, synced: true },
    ]);
  });
});

describe('certificates', () => {
  it('reads a PEM bundle of cert and key: validity only, the key is never read', () => {
    const { type, result } = parseFixture('measure/kubelet-client-current.pem');
    expect(type).toBe('pem');
    expect(result.facts).toEqual([
      {
        kind: 'certificate',
        file: 'measure/kubelet-client-current.pem',
        line: 1,
        sha256: '',
        subject: 'CN=system:node:node-1, O=system:nodes',
        issuer: 'CN=10.152.183.1',
        notBefore: '2023-01-10T08:00:00.000Z',
        notAfter: '2024-01-10T08:00:00.000Z',
        where: 'pem block 1',
      },
    ]);
    expect(JSON.stringify(result)).not.toContain('PRIVATE');
  });

  it('reads a kubeconfig: the CA, the client certificate, and names an empty one', () => {
    const { type, result } = parseFixture('measure/kubeconfig-client.config');
    expect(type).toBe('kubeconfig');
    expect(
      result.facts.map((f) =>
        f.kind === 'certificate' ? [f.where, f.subject, f.notAfter, f.empty ?? false] : null,
      ),
    ).toEqual([
      [
        'kubeconfig cluster microk8s-cluster (certificate-authority-data)',
        'CN=10.152.183.1',
        '2031-01-10T08:00:00.000Z',
        false,
      ],
      [
        'kubeconfig user admin (client-certificate-data)',
        'CN=admin, O=system:masters',
        '2034-01-01T00:00:00.000Z',
        false,
      ],
      ['kubeconfig user kubelet (client-certificate-data)', '', '', true],
    ]);
    expect(JSON.stringify(result)).not.toContain('client-key');
  });

  it('names a certificate file that a full disk left empty of certificates', () => {
    const { type, result } = parseBytes('server.crt', Buffer.from('-----BEGIN CERTIFICATE-----\n'));
    expect(type).toBe('pem');
    expect(result.facts).toMatchObject([{ kind: 'certificate', empty: true }]);
  });
});

describe('datastore sizes in listings', () => {
  it('turns database, WAL and summed raft segments of ls -l into file-size facts', () => {
    const text = [
      'total 1153436',
      '-rw-r--r-- 1 root root   8388608 Jan 12 09:58 0000000006217453-0000000006218055',
      '-rw-r--r-- 1 root root   8388608 Jan 12 09:59 0000000006218056-0000000006218600',
      '-rw------- 1 root root 912261120 Jan 12 10:00 kine.db',
      '-rw------- 1 root root 214748364 Jan 12 10:00 kine.db-wal',
      '-rw-r--r-- 1 root root      1100 Jan 12 10:00 cluster.yaml',
      '-rw-r--r-- 1 root root   4194304 Jan 12 10:00 open-3',
    ].join('\n');
    const { type, result } = parseBytes('dqlite/list.out', Buffer.from(`${text}\n`));
    expect(type).toBe('ls-listing');
    expect(
      result.facts.map((f) => (f.kind === 'file-size' ? [f.line, f.role, f.path, f.bytes, f.files] : null)),
    ).toEqual([
      [2, 'raft-segments', '<raft segments>', 8388608 * 2 + 4194304, 3],
      [4, 'database', 'kine.db', 912261120, 1],
      [5, 'wal', 'kine.db-wal', 214748364, 1],
    ]);
  });
});

describe('OOM kills in pod dumps', () => {
  it('keeps the terminated container and its memory limit', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'awx-operator-controller-manager-5d8f', namespace: 'awx' },
      spec: {
        nodeName: 'node-1',
        containers: [
          { name: 'kube-rbac-proxy', image: 'gcr.io/kubebuilder/kube-rbac-proxy:v0.15.0' },
          {
            name: 'awx-manager',
            image: 'quay.io/ansible/awx-operator:2.19.1',
            resources: { limits: { memory: '960Mi' } },
          },
        ],
      },
      status: {
        phase: 'Running',
        containerStatuses: [
          { name: 'kube-rbac-proxy', restartCount: 0, state: { running: {} } },
          {
            name: 'awx-manager',
            restartCount: 14,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: {
              terminated: {
                exitCode: 137,
                reason: 'OOMKilled',
                startedAt: '2024-01-12T09:58:01Z',
                finishedAt: '2024-01-12T10:00:31Z',
              },
            },
          },
        ],
      },
    };
    const { result } = parseBytes('pods.json', Buffer.from(JSON.stringify(pod, null, 4)));
    expect(result.facts).toMatchObject([
      {
        kind: 'pod',
        lastTermination: {
          reason: 'OOMKilled',
          exitCode: 137,
          finishedAt: '2024-01-12T10:00:31Z',
          container: 'awx-manager',
          memoryLimit: '960Mi',
        },
      },
    ]);
  });
});
