import { describe, expect, it } from 'vitest';
import type { DeploymentFact, LeaseFact, NodeFact, PodFact } from '../../../src/types/index.js';
import { parseFixture } from '../_parse-file.js';

describe('objects from kubectl JSON and YAML', () => {
  it('reads pods with restarts, last termination and waiting reason, and never a Secret', () => {
    const { type, result } = parseFixture('kubectl/pods.json');
    expect(type).toBe('kubectl-json');
    const pods = result.facts as PodFact[];
    expect(pods.map((pod) => pod.kind)).toEqual(['pod', 'pod']);
    expect(pods[0]).toMatchObject({
      namespace: 'kube-system',
      name: 'csi-nfs-controller-6c8d7b9f4-r5t6u',
      node: 'k8s02',
      phase: 'Running',
      restarts: 655,
      waitingReason: 'CrashLoopBackOff',
      lastTermination: { reason: 'Error', exitCode: 255, finishedAt: '2026-03-31T22:04:44Z' },
      images: ['registry.k8s.io/sig-storage/csi-provisioner:v3.5.0'],
      line: 4,
    });
    expect(pods[1]).toMatchObject({
      name: 'coredns-864597b5fd-9nq2d',
      restarts: 0,
      lastTermination: null,
      line: 46,
    });
    expect(JSON.stringify(result)).not.toContain('c3VwZXJzZWNyZXQ=');
  });

  it('redacts tokens in container args', () => {
    const pod = parseFixture('kubectl/pods.json').result.facts[0] as PodFact;
    expect(pod.args).toContain('--leader-election-lease-duration=60s');
    expect(pod.args.join(' ')).not.toContain('eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ');
    expect(pod.args.at(-1)).toBe('--kube-api-token=[redacted token]');
  });

  it('reads Leases from a YAML List with the line each starts on', () => {
    const { type, result } = parseFixture('kubectl/leases.yaml');
    expect(type).toBe('kubectl-yaml');
    expect(result.facts as LeaseFact[]).toEqual([
      {
        kind: 'lease',
        file: 'kubectl/leases.yaml',
        line: 3,
        sha256: '',
        namespace: 'kube-system',
        name: 'kube-controller-manager',
        holder: 'k8s03_0f3c9d2e-1a2b-4c5d-8e9f-0a1b2c3d4e5f',
        renewTime: '2026-03-31T23:59:02.000111Z',
        acquireTime: '2026-03-31T22:01:12.345678Z',
        leaseDurationSeconds: 60,
        transitions: 713,
      },
      {
        kind: 'lease',
        file: 'kubectl/leases.yaml',
        line: 14,
        sha256: '',
        namespace: 'kube-system',
        name: 'csi-nfs',
        holder: 'csi-nfs-controller-6c8d7b9f4-r5t6u',
        renewTime: '2026-03-31T23:58:40.100000Z',
        acquireTime: null,
        leaseDurationSeconds: 15,
        transitions: 655,
      },
    ]);
  });

  it('reads Deployments from multi-document YAML: generations, ENABLED_CONTROLLERS, no secret values', () => {
    const deployments = parseFixture('kubectl/deployments.yaml').result.facts as DeploymentFact[];
    expect(deployments).toHaveLength(2);
    expect(deployments[0]).toMatchObject({
      name: 'calico-kube-controllers',
      generation: 3,
      observedGeneration: 3,
      env: { ENABLED_CONTROLLERS: 'node', DATASTORE_TYPE: 'kubernetes', KUBE_API_TOKEN: '[redacted]' },
      images: ['docker.io/calico/kube-controllers:v3.13.2'],
    });
    expect(deployments[0]?.env).not.toHaveProperty('DB_PASSWORD');
    expect(JSON.stringify(deployments)).not.toContain('s3cr3t-t0ken-value');
    expect(deployments[1]).toMatchObject({ namespace: 'ci', generation: 9, observedGeneration: 7, line: 30 });
  });

  it('reads Node conditions', () => {
    const [node] = parseFixture('kubectl/nodes.json').result.facts as NodeFact[];
    expect(node?.name).toBe('k8s02');
    expect(node?.conditions[0]).toEqual({
      type: 'DiskPressure',
      status: 'True',
      lastTransitionTime: '2026-03-31T21:30:00Z',
      message: 'kubelet has disk pressure',
    });
  });

  it('counts IPAMHandles in a List', () => {
    const { result } = parseFixture('kubectl/ipamhandles.json');
    expect(result.facts).toEqual([
      {
        kind: 'count',
        file: 'kubectl/ipamhandles.json',
        line: 4,
        sha256: '',
        resource: 'ipamhandles.crd.projectcalico.org',
        count: 3,
      },
    ]);
  });
});

describe('Event objects', () => {
  it('classifies core/v1 events, timed at their last occurrence, with the count', () => {
    const { events } = parseFixture('kubectl/events-core.json');
    expect(events).toEqual([
      {
        file: 'kubectl/events-core.json',
        line: 4,
        ts: '2026-03-31T23:57:00.000Z',
        tsSource: 'kubectl',
        kind: 'crashloop',
        subject: 'kube-system/csi-nfs-controller-6c8d7b9f4-r5t6u',
        source: 'kubectl:event/kubelet',
        severity: 'warning',
        message:
          'BackOff: Back-off restarting failed container csi-provisioner in pod csi-nfs-controller-6c8d7b9f4-r5t6u_kube-system(0b1c2d3e)',
        attrs: { reason: 'BackOff', count: 702, firstSeen: '2026-02-05T06:10:00Z' },
      },
      {
        file: 'kubectl/events-core.json',
        line: 18,
        ts: '2026-03-31T22:00:17.000Z',
        tsSource: 'kubectl',
        kind: 'leader_acquired',
        subject: 'kube-system/kube-scheduler',
        source: 'kubectl:event/default-scheduler',
        severity: 'info',
        message: 'LeaderElection: k8s01_653179cd-1f2e-4a7b-9c0d-123456789abc became leader',
        attrs: { reason: 'LeaderElection', count: 1, firstSeen: '2026-03-31T22:00:17Z' },
      },
    ]);
  });

  it('classifies events.k8s.io/v1 events by note, timed at series.lastObservedTime', () => {
    const { events } = parseFixture('kubectl/events-v1.yaml');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      kind: 'image_pull_failure',
      subject: 'ci/awx-operator-controller-manager-5d8f',
      ts: '2026-04-01T02:45:11.123Z',
      source: 'kubectl:event/kubelet',
      attrs: { count: 41, image: 'gcr.io/kubebuilder/kube-rbac-proxy:v0.15.0' },
    });
  });
});
