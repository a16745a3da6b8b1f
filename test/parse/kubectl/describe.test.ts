import { describe, expect, it } from 'vitest';
import { parseFixture } from '../_parse-file.js';

describe('kubectl describe pod', () => {
  it('reads the pod, its last termination and the back-off event with its repeat count', () => {
    const { type, result, events } = parseFixture('kubectl/describe-pod.txt');
    expect(type).toBe('kubectl-describe');
    expect(result.facts).toEqual([
      {
        kind: 'pod',
        file: 'kubectl/describe-pod.txt',
        line: 1,
        sha256: '',
        namespace: 'kube-system',
        name: 'calico-kube-controllers-77bd7c5b-x8xkq',
        node: 'k8s01',
        phase: 'Running',
        restarts: 712,
        lastTermination: { reason: 'Error', exitCode: 2, finishedAt: '2026-03-31T22:57:33Z' },
        waitingReason: 'CrashLoopBackOff',
        images: ['docker.io/calico/kube-controllers:v3.13.2'],
        args: [],
      },
    ]);
    expect(events).toEqual([
      {
        file: 'kubectl/describe-pod.txt',
        line: 33,
        ts: null,
        tsSource: 'none',
        kind: 'crashloop',
        subject: 'kube-system/calico-kube-controllers-77bd7c5b-x8xkq',
        source: 'kubectl:describe/kubelet',
        severity: 'warning',
        message:
          'Warning  BackOff  3m2s (x702 over 55d)   kubelet  Back-off restarting failed container calico-kube-controllers in pod calico-kube-controllers-77bd7c5b-x8xkq_kube-system(2b8e4f1a)',
        attrs: { reason: 'BackOff', age: '3m2s (x702 over 55d)', count: 702, over: '55d' },
      },
    ]);
  });
});

describe('kubectl describe node', () => {
  it('reads the Conditions table into a node fact, not a pod', () => {
    const { type, result, events } = parseFixture('kubectl/describe-node.txt');
    expect(type).toBe('kubectl-describe');
    // The node's Events table: the eviction threshold and the pressure transition, tied to the node.
    expect(events.map((e) => [e.line, e.kind, e.subject, e.attrs?.signal])).toEqual([
      [25, 'node_pressure', 'k8s02', 'eviction'],
      [26, 'node_pressure', 'k8s02', 'DiskPressure'],
    ]);
    expect(result.facts).toEqual([
      {
        kind: 'node',
        file: 'kubectl/describe-node.txt',
        line: 1,
        sha256: '',
        name: 'k8s02',
        conditions: [
          {
            type: 'MemoryPressure',
            status: 'False',
            lastTransitionTime: '2022-08-13T03:30:00Z',
            message: 'kubelet has sufficient memory available',
          },
          {
            type: 'DiskPressure',
            status: 'True',
            lastTransitionTime: '2026-03-31T21:30:00Z',
            message: 'kubelet has disk pressure',
          },
          {
            type: 'Ready',
            status: 'True',
            lastTransitionTime: '2022-08-13T03:30:00Z',
            message: 'kubelet is posting ready status',
          },
        ],
      },
    ]);
  });
});
