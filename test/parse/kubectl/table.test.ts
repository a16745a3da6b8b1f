import { describe, expect, it } from 'vitest';
import type { CountFact, LeaseFact, PodFact } from '../../../src/types/index.js';
import { parseFixture } from '../_parse-file.js';

describe('kubectl get tables', () => {
  it('reads pods -o wide: RESTARTS with age, node, waiting reasons, and their crash-loop and pull events', () => {
    const { type, result, events } = parseFixture('kubectl/get-pods-wide.txt');
    expect(type).toBe('kubectl-table');
    const pods = result.facts as PodFact[];
    expect(
      pods.map((pod) => [
        pod.namespace,
        pod.name,
        pod.restarts,
        pod.node,
        pod.phase,
        pod.waitingReason,
        pod.line,
      ]),
    ).toEqual([
      ['ci', 'awx-operator-controller-manager-6d9f7c5b8-x2k9p', 712, 'k8s01', null, 'ImagePullBackOff', 2],
      ['kube-system', 'calico-kube-controllers-77bd7c5b-x8xkq', 712, 'k8s01', null, 'CrashLoopBackOff', 3],
      ['kube-system', 'coredns-864597b5fd-9nq2d', 4, 'k8s01', 'Running', null, 4],
      ['kube-system', 'hostpath-provisioner-7b9cb5b8d-4kx7d', 0, 'k8s02', 'Running', null, 5],
    ]);
    expect(events.map((event) => [event.kind, event.subject, event.line, event.ts, event.tsSource])).toEqual([
      ['image_pull_failure', 'ci/awx-operator-controller-manager-6d9f7c5b8-x2k9p', 2, null, 'none'],
      ['crashloop', 'kube-system/calico-kube-controllers-77bd7c5b-x8xkq', 3, null, 'none'],
    ]);
  });

  it('reads only the pod table of `get all`, kind prefixes stripped', () => {
    const { result } = parseFixture('kubectl/get-all.txt');
    expect((result.facts as PodFact[]).map((pod) => [pod.name, pod.restarts])).toEqual([
      ['calico-kube-controllers-77bd7c5b-x8xkq', 712],
      ['calico-node-7x2kq', 3],
    ]);
  });

  it('classifies `get events` rows by message', () => {
    const { events } = parseFixture('kubectl/get-events.txt');
    expect(events.map((event) => [event.kind, event.subject, event.line])).toEqual([
      ['crashloop', 'kube-system/calico-kube-controllers-77bd7c5b-x8xkq', 2],
      ['image_pull_failure', 'ci/awx-operator-controller-manager-5d8f', 4],
    ]);
  });

  it('reads lease holders', () => {
    const leases = parseFixture('kubectl/get-leases.txt').result.facts as LeaseFact[];
    expect(leases.map((lease) => [lease.namespace, lease.name, lease.holder])).toEqual([
      ['kube-system', 'kube-controller-manager', 'k8s03_0f3c9d2e-1a2b-4c5d-8e9f-0a1b2c3d4e5f'],
      ['kube-system', 'csi-nfs', null],
    ]);
  });

  it('counts IPAMHandles from --no-headers output and from a wc -l file', () => {
    expect(
      (parseFixture('kubectl/ipamhandles-no-headers.txt').result.facts as CountFact[]).map((f) => f.count),
    ).toEqual([3]);
    const counted = parseFixture('kubectl/ipamhandles-count.txt');
    expect(counted.type).toBe('count');
    expect(counted.result.facts).toEqual([
      {
        kind: 'count',
        file: 'kubectl/ipamhandles-count.txt',
        line: 1,
        sha256: '',
        resource: 'ipamhandles.crd.projectcalico.org',
        count: 6071,
      },
    ]);
  });
});
