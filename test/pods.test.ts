import { describe, expect, it } from 'vitest';
import { uniquePods, workloadName } from '../src/pods.js';
import type { PodFact } from '../src/types/index.js';

describe('workloadName', () => {
  it.each([
    ['csi-nfs-controller-6c7b9d8f54-tkz7w', 'csi-nfs-controller'],
    ['hostpath-provisioner-7b9cb5b8d-4kx7d', 'hostpath-provisioner'],
    ['calico-node-2xkzl', 'calico-node'],
    ['calico-node-7xk2p', 'calico-node'],
    ['csi-nfs-node-0', 'csi-nfs-node'],
    // Hand-made names outside the safe alphabet still lose a ReplicaSet hash (with a digit) and suffix.
    ['openebs-localpv-provisioner-5f6b7c8d9-m3n4p', 'openebs-localpv-provisioner'],
    // "monitor" has vowels, so it is not a generated suffix; "backend-server" has no digit in the "hash".
    ['kube-apiserver-monitor', 'kube-apiserver-monitor'],
    ['web-backend-admin', 'web-backend-admin'],
  ])('%s → %s', (name, workload) => {
    expect(workloadName({ namespace: 'kube-system', name })).toBe(workload);
  });

  it('prefers a Deployment from the dumps that prefixes the pod name, the longest one', () => {
    const deployments = [
      { namespace: 'kube-system', name: 'csi-nfs' },
      { namespace: 'kube-system', name: 'csi-nfs-controller' },
      { namespace: 'other', name: 'csi-nfs-controller-x' },
    ];
    expect(
      workloadName({ namespace: 'kube-system', name: 'csi-nfs-controller-6c8d7b9f4-r5t6u' }, deployments),
    ).toBe('csi-nfs-controller');
  });
});

describe('uniquePods', () => {
  const pod = (file: string, images: string[]): PodFact => ({
    kind: 'pod',
    file,
    line: 1,
    sha256: '',
    namespace: 'ci',
    name: 'awx-operator-controller-manager-6d9f7c5b8-x2k9p',
    node: null,
    phase: null,
    restarts: 712,
    lastTermination: null,
    waitingReason: null,
    images,
    args: [],
  });

  it('keeps one pod seen in a table and a JSON list, the richer one, whatever the order', () => {
    const table = pod('kubectl/pods-wide.txt', []);
    const list = pod('kubectl/pods.json', ['quay.io/ansible/awx-operator:2.19.1']);
    expect(uniquePods([table, list])).toEqual([list]);
    expect(uniquePods([list, table])).toEqual([list]);
  });
});
