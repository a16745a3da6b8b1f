import { namespacedName, podFromKubeletRef } from './_subjects.js';
import type { EventRule, RuleMatch } from './types.js';

/**
 * A node under resource pressure or not ready, and the kubelet evicting pods because of it
 * (kubelet `pkg/kubelet/eviction`, `nodestatus/setters.go`; bundles-and-signatures.md §6.9).
 * `attrs.signal`: `DiskPressure`, `MemoryPressure`, `PIDPressure`, `NotReady` or `eviction`;
 * `attrs.resource` the resource reclaimed (`ephemeral-storage`, `memory`, `nodefs.available`, …).
 * - node events `Node node-1 status is now: NodeHasDiskPressure` / `NodeHasInsufficientMemory` /
 *   `NodeHasInsufficientPID` / `NodeNotReady`; the pod event `Node is not ready`;
 * - kubelet `"Node became not ready" node=… condition=…` (1.20+) / `Node became not ready: {…}`;
 * - the eviction manager: `"Eviction manager: attempting to reclaim" resourceName="…"`, `must evict
 *   pod(s) to reclaim`, `pods ranked for eviction`, `pod is evicted successfully`, `unable to evict any
 *   pods` (1.20+ structured; lowercase printf `eviction manager: attempting to reclaim memory` before);
 * - Evicted pod events `The node was low on resource: ephemeral-storage. …` and admission rejections
 *   `The node had condition: [DiskPressure]. `; `Attempting to reclaim <resource>` (EvictionThresholdMet).
 * Healthy transitions (`NodeHasNoDiskPressure`, `NodeHasSufficientMemory`, `NodeReady`) are not events.
 */
const STATUS =
  /\bNode (\S+) status is now: Node(HasDiskPressure|HasInsufficientMemory|HasInsufficientPID|NotReady)\b/;
const STATUS_SIGNAL: Record<string, string> = {
  HasDiskPressure: 'DiskPressure',
  HasInsufficientMemory: 'MemoryPressure',
  HasInsufficientPID: 'PIDPressure',
  NotReady: 'NotReady',
};
const EVICTION =
  /\b[Ee]viction manager: (?:attempting to reclaim|must evict pod\(s\) to reclaim|pods ranked for eviction|pod \S* ?is evicted successfully|unable to evict any pods)/;
const LOW_ON = /\bThe node was low on resource: ([\w-]+(?:\.[\w-]+)*)/;
const HAD_CONDITION = /\bThe node had condition: \[(\w+)\]/;
const RECLAIM = /^Attempting to reclaim ([\w.-]+)/;

function nodeName(fields: Record<string, string>): string | null {
  if (fields.node) return fields.node;
  if (fields.kind === 'Node' && fields.object) return fields.object;
  return null;
}

export const nodePressure: EventRule = {
  kind: 'node_pressure',
  description: 'node DiskPressure/MemoryPressure/PIDPressure/NotReady and kubelet evictions',
  severity: 'warning',
  needles: [
    'status is now: Node',
    'Node became not ready',
    'viction manager:',
    'low on resource',
    'node had condition',
    'Node is not ready',
    'Attempting to reclaim',
  ],
  match({ text, fields }): RuleMatch | null {
    const status = STATUS.exec(text);
    if (status)
      return {
        subject: status[1] as string,
        attrs: { signal: STATUS_SIGNAL[status[2] as string] as string },
      };
    if (/\bNode became not ready\b/.test(text)) {
      const node = nodeName(fields) ?? /\bnode="?([\w.-]+)/.exec(text)?.[1] ?? null;
      return { subject: node, attrs: { signal: 'NotReady' } };
    }
    if (
      /^Node is not ready$/.test(text.trim()) ||
      (fields.reason === 'NodeNotReady' && /Node is not ready/.test(text))
    ) {
      return { subject: namespacedName(fields.object), attrs: { signal: 'NotReady' } };
    }
    if (EVICTION.test(text)) {
      const resource = fields.resourceName ?? /reclaim ([\w.-]+)\s*$/.exec(text)?.[1];
      const pod =
        namespacedName(fields.pod) ??
        podFromKubeletRef(text.replace(/\bpod (\S+) is evicted/, 'pod=$1 is evicted'));
      return {
        subject: pod ?? fields.node ?? null,
        attrs: { signal: 'eviction', ...(resource ? { resource } : {}) },
      };
    }
    const low = LOW_ON.exec(text);
    if (low) {
      const pod = fields.kind === 'Pod' ? namespacedName(fields.object) : null;
      return { subject: pod, attrs: { signal: 'eviction', resource: low[1] as string } };
    }
    const condition = HAD_CONDITION.exec(text);
    if (condition) {
      const pod = fields.kind === 'Pod' ? namespacedName(fields.object) : null;
      return { subject: pod, attrs: { signal: condition[1] as string } };
    }
    const reclaim = RECLAIM.exec(text.trim());
    if (reclaim)
      return { subject: nodeName(fields), attrs: { signal: 'eviction', resource: reclaim[1] as string } };
    return null;
  },
  samples: [
    {
      line: 'I0112 10:00:31.000000    4321 event.go:294] "Event occurred" object="node-1" fieldPath="" kind="Node" apiVersion="" type="Normal" reason="NodeHasDiskPressure" message="Node node-1 status is now: NodeHasDiskPressure"',
      subject: 'node-1',
    },
    {
      line: 'I0112 10:00:31.000000    4321 event.go:294] "Event occurred" object="node-1" fieldPath="" kind="Node" apiVersion="" type="Normal" reason="NodeHasInsufficientMemory" message="Node node-1 status is now: NodeHasInsufficientMemory"',
      subject: 'node-1',
    },
    {
      line: 'I0112 10:00:31.000000    4321 event.go:294] "Event occurred" object="node-1" fieldPath="" kind="Node" apiVersion="" type="Normal" reason="NodeNotReady" message="Node node-1 status is now: NodeNotReady"',
      subject: 'node-1',
    },
    {
      line: 'I0112 10:00:31.000000    4321 setters.go:552] "Node became not ready" node="node-1" condition={Type:Ready Status:False LastHeartbeatTime:2024-01-12 10:00:31.000000000 +0000 UTC m=+12.3 LastTransitionTime:2024-01-12 10:00:31.000000000 +0000 UTC m=+12.3 Reason:KubeletNotReady Message:PLEG is not healthy: pleg was last seen active 3m0.5s ago; threshold is 3m0s}',
      subject: 'node-1',
    },
    {
      line: 'W0112 10:00:31.000000    4321 eviction_manager.go:366] "Eviction manager: attempting to reclaim" resourceName="ephemeral-storage"',
      subject: null,
    },
    {
      line: 'I0112 10:00:31.000000    4321 eviction_manager.go:616] "Eviction manager: pod is evicted successfully" pod="default/web-7d9c"',
      subject: 'default/web-7d9c',
    },
    {
      line: 'W0112 10:00:31.000000    4321 eviction_manager.go:344] eviction manager: attempting to reclaim memory',
      subject: null,
    },
    {
      line: 'I0112 10:00:31.000000    4321 eviction_manager.go:578] eviction manager: pod web-7d9c_default(0b6e) is evicted successfully',
      subject: 'default/web-7d9c',
    },
    {
      line: 'I0112 10:00:31.000000    4321 event.go:294] "Event occurred" object="default/web-7d9c" fieldPath="" kind="Pod" apiVersion="v1" type="Warning" reason="Evicted" message="The node was low on resource: ephemeral-storage. Threshold quantity: 1Gi, available: 524288Ki. Container app was using 2Gi, request is 0, has larger consumption of ephemeral-storage. "',
      subject: 'default/web-7d9c',
    },
    {
      line: 'I0112 10:00:31.000000    4321 event.go:294] "Event occurred" object="default/web-7d9c" fieldPath="" kind="Pod" apiVersion="v1" type="Warning" reason="Evicted" message="The node had condition: [DiskPressure]. "',
      subject: 'default/web-7d9c',
    },
  ],
  negatives: [
    'I0112 10:00:31.000000    4321 event.go:294] "Event occurred" object="node-1" kind="Node" type="Normal" reason="NodeHasNoDiskPressure" message="Node node-1 status is now: NodeHasNoDiskPressure"',
    'I0112 10:00:31.000000    4321 event.go:294] "Event occurred" object="node-1" kind="Node" type="Normal" reason="NodeHasSufficientMemory" message="Node node-1 status is now: NodeHasSufficientMemory"',
    'I0112 10:00:31.000000    4321 event.go:294] "Event occurred" object="node-1" kind="Node" type="Normal" reason="NodeReady" message="Node node-1 status is now: NodeReady"',
    '      --eviction-hard mapStringString   A set of eviction thresholds (e.g. memory.available<1Gi) that if met would trigger a pod eviction. (default imagefs.available<15%,memory.available<100Mi,nodefs.available<10%)',
  ],
};
