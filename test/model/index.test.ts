import { describe, expect, it } from 'vitest';
import { buildEvidenceModel, podOfPath } from '../../src/model/index.js';
import { caseData, event, klogRenew } from '../analyze/_case.js';

describe('content counted once', () => {
  const renew = event('lease_renew_failure', '2026-03-31T22:04:43.996Z', klogRenew('kube-system/csi-nfs'), {
    subject: 'kube-system/csi-nfs',
    file: 'logs/kube-system/csi-nfs-controller-6c8d7b9f4-r5t6u/csi-provisioner.log',
  });
  const entry = (bundle: string, path: string, sha256: string) => ({
    bundle,
    path,
    size: 10,
    mtimeMs: 0,
    sha256,
    type: 'klog',
  });

  it('keeps the first bundle’s copy of the same bytes and sets the other aside', () => {
    const data = caseData({
      manifest: [entry('/b/folder', renew.file, 'aa'), entry('/b/folder.tar.gz', renew.file, 'aa')],
      events: [
        { ...renew, bundle: '/b/folder' },
        { ...renew, bundle: '/b/folder.tar.gz' },
      ],
    });
    const model = buildEvidenceModel(data, { bundles: ['/b/folder', '/b/folder.tar.gz'] });
    expect(model.events).toHaveLength(1);
    expect(model.events.at(0).bundle).toBe('/b/folder');
    expect(model.setAside).toEqual([
      { ...entry('/b/folder.tar.gz', renew.file, 'aa'), sameAs: { bundle: '/b/folder', path: renew.file } },
    ]);
    expect(model.leaseFailures.failures).toHaveLength(1);
  });

  it('counts one file copied under two names once, and keeps different files with the same path apart', () => {
    const copy = {
      ...renew,
      file: 'k8s02/var-log-pods/kube-system_csi-nfs-controller-6c8d7b9f4-r5t6u_0f6c8a3e-5b7d/csi-provisioner/0.log',
    };
    const twoNames = buildEvidenceModel(
      caseData({
        manifest: [entry('/b', renew.file, 'aa'), entry('/b', copy.file, 'aa')],
        events: [renew, copy],
      }),
    );
    // Path order decides which name counts.
    expect(twoNames.events.map((e) => e.file)).toEqual([copy.file]);
    const twoNodes = buildEvidenceModel(
      caseData({
        manifest: [entry('/node1', renew.file, 'aa'), entry('/node2', renew.file, 'bb')],
        events: [
          { ...renew, bundle: '/node1' },
          { ...renew, bundle: '/node2', ts: '2026-03-31T23:04:43.996Z' },
        ],
      }),
    );
    expect(twoNodes.events).toHaveLength(2);
    expect(twoNodes.setAside).toEqual([]);
  });
});

describe('time quality', () => {
  it('is exact for full times, names what was assumed, and orders undated lines among dated ones', () => {
    const model = buildEvidenceModel(
      caseData({
        events: [
          event('crashloop', '2026-03-31T22:00:00.000Z', 'a', { tsSource: 'cri' }),
          event('crashloop', '2026-03-31T22:00:01.000Z', 'b', { tsSource: 'year-zone-assumed' }),
          event('crashloop', '2026-03-31T22:00:02.000Z', 'c', { tsSource: 'zone-assumed' }),
          event('crashloop', null, 'd'),
          event('crashloop', null, 'e', { file: 'undated.log' }),
        ],
      }),
    );
    expect(model.events.map((e) => [e.message, e.quality])).toEqual([
      ['a', 'exact'],
      ['b', 'year-assumed'],
      ['c', 'zone-assumed'],
      ['d', 'order-only'],
      ['e', 'none'],
    ]);
    expect(model.timeAssumptions.map((a) => [a.quality, a.events])).toEqual([
      ['year-assumed', 1],
      ['zone-assumed', 2],
      ['order-only', 2],
    ]);
  });
});

describe('lease failures', () => {
  it('counts kubelet heartbeat leases apart from leader election', () => {
    const model = buildEvidenceModel(
      caseData({
        events: [
          event('lease_renew_failure', '2026-03-31T22:04:43.996Z', klogRenew('kube-node-lease/k8s01'), {
            subject: 'kube-node-lease/k8s01',
          }),
          event('lease_renew_failure', '2026-03-31T22:05:43.996Z', klogRenew('kube-system/csi-nfs'), {
            subject: 'kube-system/csi-nfs',
          }),
        ],
      }),
    );
    expect(model.leaseFailures.failures.map((f) => f.subject)).toEqual(['kube-system/csi-nfs']);
    expect(model.leaseFailures.heartbeatFailures).toBe(1);
  });
});

describe('entities', () => {
  it('reads the pod from every common log layout', () => {
    expect(podOfPath('logs/ci/awx-operator-controller-manager-6d9f7c5b8-x2k9p/manager.log')).toBe(
      'ci/awx-operator-controller-manager-6d9f7c5b8-x2k9p',
    );
    expect(
      podOfPath(
        'k8s02/var-log-pods/kube-system_hostpath-provisioner-7b9cb5b8d-4kx7d_3f1d2c4b-8e7a-4f60-9b1c-5d2e7a9c0b11/hostpath-provisioner/0.log',
      ),
    ).toBe('kube-system/hostpath-provisioner-7b9cb5b8d-4kx7d');
    expect(
      podOfPath('var/log/containers/coredns-7db6d8ff4d-xk2lp_kube-system_coredns-0123456789abcdef0123.log'),
    ).toBe('kube-system/coredns-7db6d8ff4d-xk2lp');
    expect(podOfPath('k8s02/journal/snap.microk8s.daemon-kubelite.log')).toBeNull();
  });

  it('names the lease, the node folder and the unit an event is about', () => {
    const model = buildEvidenceModel(
      caseData({
        facts: [
          { kind: 'node', name: 'k8s03', conditions: [], file: 'kubectl/nodes.json', line: 1, sha256: 'n' },
        ],
        events: [
          event(
            'lease_renew_failure',
            '2026-03-31T22:04:43.996Z',
            klogRenew('kube-system/kube-controller-manager'),
            {
              subject: 'kube-system/kube-controller-manager',
              file: 'k8s03/journal/snap.microk8s.daemon-kubelite.log',
            },
          ),
        ],
      }),
    );
    expect(model.events.at(0).entities).toEqual([
      { kind: 'lease', id: 'kube-system/kube-controller-manager' },
      { kind: 'node', id: 'k8s03' },
      { kind: 'component', id: 'kubelite' },
    ]);
  });

  it('gives events of one file and subject one list, and a lease line and a pod line of one name their own', () => {
    const renew = (subject: string) =>
      event('lease_renew_failure', '2026-03-31T22:04:43.996Z', klogRenew(subject), { subject });
    const model = buildEvidenceModel(
      caseData({
        events: [
          renew('kube-system/a'),
          renew('kube-system/b'),
          renew('kube-system/a'),
          event('crashloop', '2026-03-31T22:04:44.000Z', 'Back-off restarting failed container', {
            subject: 'kube-system/a',
          }),
        ],
      }),
    );
    const [a, b, again, pod] = [0, 1, 2, 3].map((i) => model.events.at(i).entities);
    expect(again).toBe(a);
    expect(b).not.toBe(a);
    expect(b).toEqual([{ kind: 'lease', id: 'kube-system/b' }]);
    expect(pod).toEqual([{ kind: 'pod', id: 'kube-system/a' }]);
    expect(Object.isFrozen(a)).toBe(true);
  });
});
