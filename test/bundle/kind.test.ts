import { describe, expect, it } from 'vitest';
import { collectionStampFromName, recogniseBundle } from '../../src/bundle/kind.js';

describe('recogniseBundle', () => {
  const cases: [string, string[]][] = [
    [
      'microk8s-inspect',
      ['snap.microk8s.daemon-kubelite/journal.log', 'k8s/cluster-info-dump', 'dqlite/list.out'],
    ],
    ['microk8s-inspect', ['microk8s.daemon-kubelite/journal.log', 'microk8s.daemon-kubelite/snapctl.log']],
    ['microk8s-inspect', ['k8s/cluster-info-dump', 'args/kubelet', 'sys/uptime']],
    [
      'must-gather',
      [
        'must-gather.local.5421342344627712289/quay-io-openshift-release-dev-ocp-v4-0-art-dev-sha256-abc/version',
        'must-gather.local.5421342344627712289/quay-io-openshift-release-dev-ocp-v4-0-art-dev-sha256-abc/namespaces/ci/core/pods.yaml',
      ],
    ],
    [
      'must-gather',
      ['cluster-scoped-resources/core/nodes/k8s01.yaml', 'namespaces/kube-system/core/events.yaml'],
    ],
    ['troubleshoot', ['version.yaml', 'analysis.json', 'cluster-resources/pods/kube-system.json']],
    ['sosreport', ['sos_commands/microk8s/microk8s_status', 'sos_reports/manifest.json', 'etc/hostname']],
    ['rancher-logs-collector', ['systeminfo/hostname', 'journald/k3s', 'k3s/kubectl/nodes']],
    ['cluster-info-dump', ['nodes.json', 'kube-system/pods.json', 'kube-system/coredns-1/logs.txt']],
    ['plain', ['kubectl/pods.json', 'logs/a.log']],
  ];
  for (const [kind, paths] of cases)
    it(`${kind}: ${paths[0]}`, () => expect(recogniseBundle(paths)).toBe(kind));
});

describe('collectionStampFromName', () => {
  it('reads microk8s inspect, troubleshoot and Rancher collector names', () => {
    const stamp = { year: 2024, month: 6, day: 11, hour: 14, minute: 34, second: 55 };
    expect(collectionStampFromName('inspection-report-20240611_143455.tar.gz')).toEqual(stamp);
    expect(collectionStampFromName('support-bundle-2024-06-11T14_34_55.tar.gz')).toEqual(stamp);
    expect(collectionStampFromName('node-1-2024-06-11_14_34_55.tar.gz')).toEqual(stamp);
    expect(collectionStampFromName('evidence.tar.gz')).toBeNull();
    expect(collectionStampFromName('inspection-report-20241311_143455.tar.gz')).toBeNull();
  });
});
