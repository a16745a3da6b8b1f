import type { ManifestEntry } from '../../../types/index.js';
import { plural, presentAtStart, ran, type Detector } from '../../detector.js';
import { cited, DATASTORE } from '../_events.js';
import { entitiesOf } from '../../links.js';

/** Files a service reads at start that a full disk leaves empty: certificates, keys, kubeconfigs. */
const CONFIG_FILE = /\.(?:crt|pem|key|kubeconfig|conf|config|ya?ml)$|(?:^|\/)(?:kubeconfig|client\.config)$/;

export interface DiskFullData {
  events: number;
  paths: string[];
  emptyFiles: string[];
}

export const diskFull: Detector<DiskFullData> = {
  id: 'disk-full',
  title: 'Disk full',
  role: 'cause',
  reads:
    '`no space left on device` and SQLite `database or disk is full` lines; empty certificate/kubeconfig files in the bundle (what a write on a full disk leaves)',
  thresholds: [{ name: 'occurrence', value: 'any line; empty config files are named only beside it' }],
  detect({ model, data, sha256 }) {
    const events = model.events.ofKind('disk_full');
    if (events.length === 0) return null;
    const paths = [
      ...new Set(events.flatMap((e) => (typeof e.attrs?.path === 'string' ? [e.attrs.path] : []))),
    ];
    const empty = data.manifest.filter((m: ManifestEntry) => m.size === 0 && CONFIG_FILE.test(m.path));
    const datastore = events.some((e) => /database or disk is full|dqlite|etcd|kine/i.test(e.message));
    return {
      claim:
        `A file system was full: writes failed with "no space left on device" ${plural(events.length, 'time')}` +
        (paths.length ? ` (e.g. ${paths.slice(0, 2).join(', ')})` : '') +
        (datastore ? '; the datastore could not write.' : '.') +
        (empty.length
          ? ` ${plural(empty.length, 'file')} a service reads at start ${empty.length === 1 ? 'is' : 'are'} empty, as a write on a full disk leaves ${empty.length === 1 ? 'it' : 'them'}: ${empty.map((m) => m.path).join(', ')}.`
          : ''),
      ...cited(events, sha256),
      evidence: [
        ...cited(events, sha256).evidence,
        ...empty.map((m) => ({ file: m.path, sha256: m.sha256, excerpt: '(empty file)' })),
      ],
      confidence: 'high',
      entities: [...entitiesOf(events, ['node', 'component']), ...(datastore ? [DATASTORE] : [])],
      data: { events: events.length, paths, emptyFiles: empty.map((m) => m.path) },
    };
  },
  question: () => 'How did the disk fill up?',
  unexplained: () => 'The errors show the disk was full, not what filled it.',
  collectNext: [
    '`df -h` and `du -xsh /var/snap/microk8s/* /var/lib/containerd /var/log/*` on the node',
    'Image and snapshot counts (`crictl images`, the datastore folder listing)',
  ],
  links: [
    {
      explains: 'apiserver-unavailable',
      tests: (cause, effect) => ran(presentAtStart(cause, effect)),
      text: (cause) => `A disk already full when it began: ${cause.claim}`,
    },
    {
      explains: 'datastore-latency',
      tests: (cause, effect) => ran(presentAtStart(cause, effect)),
      text: (cause) => `A full disk under the datastore: ${cause.claim}`,
    },
  ],
  actions: (finding) => [
    {
      action: 'Free space and alert on file-system use before it fills (e.g. at 85 %).',
      priority: 'High',
    },
    ...(finding.data.emptyFiles.length
      ? [
          {
            action: 'Restore the emptied files from a backup or regenerate them (certificates, kubeconfigs).',
            priority: 'High' as const,
            subjects: finding.data.emptyFiles,
          },
        ]
      : []),
  ],
};
