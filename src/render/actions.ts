import type { Finding } from '../types/index.js';
import { inlineCode } from './format.js';

export interface ActionItem {
  action: string;
  /** The finding that calls for it. */
  finding: string;
  priority: string;
}

/**
 * Proposed actions per finding (the reference PIR's preventive measures). Owners, dates and tracking
 * ids are the author's call: the template leaves them as TODO(author).
 */
const ACTIONS: Record<string, { action: (f: Finding) => string; priority: string }> = {
  'ipam-gc-disabled': {
    action: () =>
      'Enable Calico IPAM garbage collection: upgrade calico-kube-controllers to v3.20+ with the node controller enabled, then release leaked handles once (`calicoctl ipam check --show-problem-ips`, then `calicoctl ipam release`).',
    priority: 'Critical',
  },
  'ipam-handle-buildup': {
    action: () => 'Alert on the IPAM handle count (warn > 1,000, critical > 3,000).',
    priority: 'High',
  },
  'snapshot-storm': {
    action: () => 'Alert on dqlite snapshot rate (> 1 per 5 min) and size (> 50 MB) in the backend folder.',
    priority: 'High',
  },
  'datastore-bloat': {
    action: (f) =>
      `Compact the datastore online (microk8s dbctl / maintenance playbook), never by vacuuming snapshot copies offline; watch ${f.data.dominantPrefix ? inlineCode(String(f.data.dominantPrefix)) : 'the dominant prefix'} row counts.`,
    priority: 'High',
  },
  'lease-failures': {
    action: () => 'Alert on `failed to renew lease` in controller logs.',
    priority: 'High',
  },
  crashloop: {
    action: () => 'Alert on containers restarting continually (CrashLoopBackOff, restart count growth).',
    priority: 'High',
  },
  'watch-stream': {
    action: () =>
      'Write a runbook for "new objects are ignored": create a test Deployment and check a ReplicaSet appears within 30 s; restart kubelite only after datastore pressure subsides.',
    priority: 'High',
  },
  'unknown-flag': {
    action: () => 'Check a binary supports a flag (`<binary> --help`) before patching it onto a Deployment.',
    priority: 'Medium',
  },
  'deprecated-registry': {
    action: (f) =>
      `Move ${((f.data.images as string[] | undefined) ?? []).map(inlineCode).join(', ') || 'the images'} to a maintained registry (registry.k8s.io).`,
    priority: 'Medium',
  },
  'disk-pressure': {
    action: () =>
      'Find what fills the node’s disk (snapshot folder, images, logs) and alert before DiskPressure.',
    priority: 'Medium',
  },
};

export function actionItems(findings: Finding[]): ActionItem[] {
  return findings.flatMap((f) => {
    const entry = f.status === 'found' ? ACTIONS[f.id] : undefined;
    return entry ? [{ action: entry.action(f), finding: f.id, priority: entry.priority }] : [];
  });
}
