/**
 * Groups kine keys the way etcd tooling does: `/registry/<resource>/`, or
 * `/registry/<group>/<resource>/` when the segment after `/registry/` is an API group (has a dot).
 * kine's own bookkeeping rows are their own buckets: `compact_rev_key`, and the `gap-<rev>` fillers of
 * old kine together under `gap-*` (one bucket per revision would drown the table).
 *
 * Samples (they double as tests):
 *   /registry/pods/default/web-0                                   → /registry/pods/
 *   /registry/crd.projectcalico.org/ipamhandles/k8s-pod-network.a  → /registry/crd.projectcalico.org/ipamhandles/
 *   compact_rev_key                                                → compact_rev_key
 *   gap-1234                                                       → gap-*
 */
export const KINE_PREFIX_SAMPLES: [string, string][] = [
  ['/registry/pods/default/web-0', '/registry/pods/'],
  [
    '/registry/crd.projectcalico.org/ipamhandles/k8s-pod-network.abc',
    '/registry/crd.projectcalico.org/ipamhandles/',
  ],
  [
    '/registry/apiextensions.k8s.io/customresourcedefinitions/x.y',
    '/registry/apiextensions.k8s.io/customresourcedefinitions/',
  ],
  ['/registry/namespaces/default', '/registry/namespaces/'],
  ['/registry/health', '/registry/health'],
  ['compact_rev_key', 'compact_rev_key'],
  ['gap-1234', 'gap-*'],
];

/** The buckets kinePrefix puts bookkeeping rows in (and nothing else). */
export const KINE_BOOKKEEPING_BUCKETS = ['compact_rev_key', 'gap-*'];

/** Rows that are kine bookkeeping, not Kubernetes objects: never counted as live keys. */
export function isKineBookkeeping(name: string): boolean {
  return name === 'compact_rev_key' || name.startsWith('gap-');
}

export function kinePrefix(name: string): string {
  if (name.startsWith('gap-')) return 'gap-*';
  if (!name.startsWith('/registry/')) return name;
  const parts = name.slice('/registry/'.length).split('/');
  const first = parts[0] ?? '';
  const depth = first.includes('.') ? 2 : 1;
  // A key with no segment after the prefix (e.g. `/registry/health`) is its own bucket.
  if (parts.length <= depth) return name;
  return `/registry/${parts.slice(0, depth).join('/')}/`;
}
