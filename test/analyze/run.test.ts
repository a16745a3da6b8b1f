import { describe, expect, it } from 'vitest';
import { analyzeCase } from '../../src/analyze/run.js';
import { caseData, deployment, pod } from './_case.js';

describe('analyzeCase: what the findings’ detectors add to the report', () => {
  const result = analyzeCase(
    caseData({
      facts: [
        deployment({
          namespace: 'kube-system',
          name: 'calico-kube-controllers',
          env: { ENABLED_CONTROLLERS: 'node' },
          images: ['docker.io/calico/kube-controllers:v3.13.2'],
        }),
        pod({
          namespace: 'ci',
          name: 'awx-operator-controller-manager-6d9f7c5b8-x2k9p',
          restarts: 712,
          waitingReason: 'ImagePullBackOff',
          images: ['gcr.io/kubebuilder/kube-rbac-proxy:v0.15.0'],
        }),
      ],
    }),
    { permutations: 0 },
  );

  it('proposes each found finding’s actions, in finding order, with their priority', () => {
    expect(result.actions.map((a) => [a.finding, a.priority])).toEqual([
      ['crashloop', 'High'],
      ['ipam-gc-disabled', 'Critical'],
      ['deprecated-registry', 'Medium'],
    ]);
    expect(result.actions[2]!.subjects).toEqual(['gcr.io/kubebuilder/kube-rbac-proxy:v0.15.0']);
    expect(result.actions[2]!.action).not.toContain('gcr.io');
  });

  it('collects the environment facts and the affected pods from the detectors', () => {
    expect(result.environment).toEqual([
      { label: 'Calico kube-controllers', value: 'v3.13.2' },
      { label: 'ENABLED_CONTROLLERS', value: 'node' },
    ]);
    expect(result.affected).toEqual([
      {
        namespace: 'ci',
        workload: 'awx-operator-controller-manager',
        pod: 'awx-operator-controller-manager-6d9f7c5b8-x2k9p',
        restarts: 712,
        node: 'k8s01',
        state: 'ImagePullBackOff',
        finding: 'crashloop',
      },
    ]);
  });
});
