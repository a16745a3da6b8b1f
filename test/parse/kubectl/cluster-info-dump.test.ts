import { describe, expect, it } from 'vitest';
import type { NodeFact, PodFact } from '../../../src/types/index.js';
import { parseFixture } from '../_parse-file.js';

describe('kubectl cluster-info dump', () => {
  it('reads the concatenated Lists and classifies the container logs between the markers', () => {
    const { type, result, events } = parseFixture('kubectl/cluster-info-dump', { year: 2026 });
    expect(type).toBe('cluster-info-dump');
    expect(result.problems).toEqual([]);
    const [node, pod] = result.facts as [NodeFact, PodFact];
    expect(node.name).toBe('k8s01');
    expect(node.line).toBe(8);
    expect(pod).toMatchObject({ name: 'hostpath-provisioner-7b9cb5b8d-4kx7d', restarts: 455, line: 41 });
    expect(events.map((event) => [event.kind, event.line, event.subject, event.ts, event.tsSource])).toEqual([
      [
        'lease_lock_retrieve_error',
        70,
        'kube-system/microk8s.io-hostpath',
        '2026-03-31T22:00:49.684Z',
        'zone-assumed',
      ],
      [
        'leader_lost',
        71,
        'kube-system/hostpath-provisioner-7b9cb5b8d-4kx7d',
        '2026-03-31T22:00:52.671Z',
        'zone-assumed',
      ],
    ]);
    expect(events[1]?.source).toBe(
      'cluster-info-dump:kube-system/hostpath-provisioner-7b9cb5b8d-4kx7d/hostpath-provisioner|klog',
    );
  });
});
