import type { DeploymentFact } from '../../../types/index.js';
import { factRef } from '../../../model/index.js';
import type { DatastoreBloatData } from '../datastore-bloat/index.js';
import { ipamPrefixTest } from '../ipam-handle-buildup/index.js';
import { sameEntity } from '../../links.js';
import { ran, type Detector } from '../../detector.js';

/** Leaked-IP garbage collection arrived in Calico kube-controllers v3.20.0, inside the node controller. */
export const LEAK_GC_SINCE: [number, number] = [3, 20];

export function calicoVersion(images: string[]): [number, number, number] | null {
  for (const image of images) {
    const match = /kube-controllers:v(\d+)\.(\d+)\.(\d+)/.exec(image);
    if (match) return [Number(match[1]), Number(match[2]), Number(match[3])];
  }
  return null;
}

export interface IpamGcDisabledData {
  enabledControllers: string | null;
  version: string | null;
  leakGcAvailable: boolean;
}

export const ipamGcDisabled: Detector<IpamGcDisabledData> = {
  id: 'ipam-gc-disabled',
  title: 'Calico IPAM garbage collection disabled',
  role: 'cause',
  reads: 'the calico-kube-controllers Deployment: ENABLED_CONTROLLERS and the image version',
  thresholds: [
    {
      name: 'leaked-IP GC',
      value: `kube-controllers ≥ v${LEAK_GC_SINCE.join('.')} with the node controller enabled`,
    },
  ],
  detect({ data }) {
    const deployment = data.facts.find(
      (f): f is DeploymentFact => f.kind === 'deployment' && f.name === 'calico-kube-controllers',
    );
    if (!deployment) return null;
    const raw = deployment.env.ENABLED_CONTROLLERS;
    // Unset means the image default (node,policy,namespace,serviceaccount,workloadendpoint in KDD mode).
    const enabled =
      raw === undefined
        ? null
        : raw
            .split(',')
            .map((c) => c.trim())
            .filter(Boolean);
    const version = calicoVersion(deployment.images);
    const versionText = version ? `v${version.join('.')}` : 'an unknown version';
    const hasLeakGc =
      version !== null &&
      (version[0] > LEAK_GC_SINCE[0] || (version[0] === LEAK_GC_SINCE[0] && version[1] >= LEAK_GC_SINCE[1]));
    const nodeEnabled = enabled === null || enabled.includes('node');
    // With the node controller on, v3.20+ collects leaked IPs by default; older versions only clean up
    // after deleted nodes. Without a version we cannot tell, so we claim nothing.
    let reason: string;
    if (!nodeEnabled)
      reason = `ENABLED_CONTROLLERS=${raw} leaves out the node controller, which does all IPAM cleanup`;
    else if (version === null || hasLeakGc) return null;
    else
      reason =
        `ENABLED_CONTROLLERS=${raw ?? '(image default)'} and kube-controllers ${versionText} predates leaked-IP ` +
        'garbage collection (added in v3.20.0); only IPs of deleted nodes are ever released';
    return {
      claim:
        `calico-kube-controllers (${versionText}) runs without IPAM garbage collection: ${reason}. ` +
        'IPAM handles of deleted pods are never released, so they accumulate for as long as the cluster lives.',
      evidence: [
        factRef(
          deployment,
          `ENABLED_CONTROLLERS=${raw ?? '(unset)'}; images ${deployment.images.join(', ')}`,
        ),
      ],
      confidence: 'high',
      window: null,
      entities: [{ kind: 'component', id: 'calico-ipam' }],
      data: {
        enabledControllers: raw ?? null,
        version: version ? versionText : null,
        leakGcAvailable: hasLeakGc,
      },
    };
  },
  question: () => 'How did calico-kube-controllers come to run without IPAM garbage collection?',
  unexplained: () =>
    'The evidence shows the configuration, not its history: who deployed it, when, and why it was never revisited. TODO(author).',
  collectNext: [
    'History of the Calico manifest (GitOps repository, `snap list` / MicroK8s version that installed Calico)',
    'Whether any alert watched IPAM handle counts or snapshot size',
  ],
  links: [
    {
      explains: 'ipam-handle-buildup',
      tests: (cause, effect, { data }) => ran(sameEntity(cause, effect, ['component'], data)),
    },
    {
      explains: 'datastore-bloat',
      tests: (_cause, effect) => [ipamPrefixTest(effect.data as DatastoreBloatData)],
    },
  ],
  actions: () => [
    {
      action:
        'Enable Calico IPAM garbage collection: upgrade calico-kube-controllers to v3.20+ with the node controller enabled, then release leaked handles once (`calicoctl ipam check --show-problem-ips`, then `calicoctl ipam release`).',
      priority: 'Critical',
    },
  ],
  environment: (f) => [
    ...(f.data.version ? [{ label: 'Calico kube-controllers', value: f.data.version }] : []),
    ...(f.data.enabledControllers
      ? [{ label: 'ENABLED_CONTROLLERS', value: f.data.enabledControllers }]
      : []),
  ],
};
