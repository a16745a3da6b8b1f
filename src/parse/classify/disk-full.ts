import type { EventRule, RuleMatch } from './types.js';

/**
 * A write failed because the file system was full: the kernel's ENOSPC text `no space left on device`
 * (containerd, kubelet, journald `… No space left on device`, etcd, dqlite) and SQLite's SQLITE_FULL
 * `database or disk is full`. The path, when the line names one (`write /var/lib/…: no space left on
 * device`, `open /var/snap/…`), is kept in `attrs.path`.
 */
const FULL = /\bno space left on device\b|\bdatabase or disk is full\b/i;
const PATH =
  /\b(?:write|open|mkdir|create|rename|sync|copy|fsync)(?:at)? (\/[^\s:"\\]+)(?:: | )[^:]*?no space left on device/i;

export const diskFull: EventRule = {
  kind: 'disk_full',
  description: 'no space left on device / database or disk is full',
  severity: 'error',
  needles: ['o space left on device', 'database or disk is full'],
  match({ text }): RuleMatch | null {
    if (!FULL.test(text)) return null;
    const path = PATH.exec(text);
    return { subject: null, attrs: path ? { path: path[1] as string } : {} };
  },
  samples: [
    {
      line: 'time="2024-01-12T10:00:31.123456789Z" level=error msg="PullImage \\"docker.io/library/web:1.2\\" failed" error="failed to pull and unpack image \\"docker.io/library/web:1.2\\": failed to extract layer sha256:6f2f: write /var/snap/microk8s/common/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/412/fs/usr/lib/libc.so.6: no space left on device: unknown"',
      subject: null,
    },
    {
      line: 'Jan 12 10:00:31 node-1 microk8s.daemon-k8s-dqlite[2222]: time="2024-01-12T10:00:31Z" level=error msg="error in txn: exec (try: 0): database or disk is full"',
      subject: null,
    },
    {
      line: '{"level":"warn","ts":"2024-01-12T10:00:31.000Z","caller":"wal/wal.go:764","msg":"failed to fsync the WAL","error":"write /var/lib/etcd/member/wal/0000000000000001-0000000000010001.wal: no space left on device"}',
      subject: null,
    },
    {
      line: 'Jan 12 10:00:31 node-1 systemd-journald[321]: Failed to write entry (21 items, 705 bytes), ignoring: No space left on device',
      subject: null,
    },
  ],
  negatives: [
    'Filesystem      Size  Used Avail Use% Mounted on',
    'I0112 10:00:31.000000   12345 image_gc_manager.go:305] "Disk usage on image filesystem is over the high threshold, trying to free bytes down to the low threshold" usage=86 highThreshold=85 amountToFree=1234567 lowThreshold=80',
  ],
};
