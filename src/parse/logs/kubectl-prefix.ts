import type { LogFormat } from './types.js';

/**
 * `kubectl logs --prefix` (several pods or containers at once): `[pod/<pod>/<container>] <line>`, the
 * line possibly itself `--timestamps`-prefixed. Gives no time of its own.
 */
const LINE = /^\[pod\/([^/\]\s]+)\/([^\]\s]+)\] (.*)$/s;

export const kubectlPrefix: LogFormat = {
  id: 'kubectl-prefix',
  description: 'kubectl logs --prefix ([pod/<pod>/<container>] prefix)',
  role: 'wrapper',
  parse(line) {
    const match = LINE.exec(line);
    if (!match) return null;
    return {
      time: null,
      origin: 'kubectl',
      body: match[3] as string,
      source: `kubectl-logs:${match[1]}/${match[2]}`,
      fields: { podName: match[1] as string, container: match[2] as string },
    };
  },
  samples: [
    {
      line: '[pod/csi-nfs-controller-6c8d7b9f4-r5t6u/csi-provisioner] 2026-03-31T22:04:43.996994772Z I0331 22:04:43.996761       1 leaderelection.go:297] failed to renew lease kube-system/csi-nfs: context deadline exceeded',
      expect: {
        source: 'kubectl-logs:csi-nfs-controller-6c8d7b9f4-r5t6u/csi-provisioner',
        fields: { container: 'csi-provisioner' },
      },
    },
  ],
};
