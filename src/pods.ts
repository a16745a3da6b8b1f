import type { PodFact } from './types/index.js';

/**
 * Pod naming and de-duplication, shared by the detectors and the charts so the PIR's text and its
 * pictures name the same workloads with the same restart counts.
 */

/**
 * Kubernetes names pods `<deployment>-<replicaset hash>-<suffix>`, `<daemonset|job>-<suffix>` or
 * `<statefulset>-<ordinal>`. Hash and suffix come from apimachinery's rand.SafeEncodeString (no vowels,
 * no 0/1/3), but copied or hand-made evidence does not always keep to it, so a ReplicaSet pair is
 * recognised by shape (a 6–10 character hash holding a digit, then 5 characters); the lone suffix,
 * which could be a real word, only in the safe alphabet.
 */
const safeAlphabet = '[bcdfghjklmnpqrstvwxz2456789]';
const podSuffixes = [
  /-(?=[a-z0-9]*\d)[a-z0-9]{6,10}-[a-z0-9]{5}$/,
  new RegExp(`-${safeAlphabet}{5}$`),
  /-\d+$/,
];

/**
 * The workload a pod belongs to (without its namespace): the Deployment in the same namespace whose
 * name prefixes the pod's (longest first) when the dumps hold one, else the pod name without its
 * generated suffixes.
 */
export function workloadName(
  pod: Pick<PodFact, 'namespace' | 'name'>,
  deployments: { namespace: string; name: string }[] = [],
): string {
  const owner = deployments
    .filter((d) => d.namespace === pod.namespace && pod.name.startsWith(`${d.name}-`))
    .sort((a, b) => b.name.length - a.name.length)[0];
  if (owner) return owner.name;
  for (const suffix of podSuffixes) {
    if (suffix.test(pod.name)) return pod.name.replace(suffix, '');
  }
  return pod.name;
}

/** A pod seen in several dumps (a JSON list and a `get -o wide` table) once, from the richest dump. */
export function uniquePods(pods: PodFact[]): PodFact[] {
  const richness = (p: PodFact) => (p.file.endsWith('.txt') ? 0 : 1) + p.images.length;
  const best = new Map<string, PodFact>();
  for (const p of pods) {
    const key = `${p.namespace}/${p.name}`;
    const known = best.get(key);
    if (!known || richness(p) > richness(known)) best.set(key, p);
  }
  return [...best.values()];
}
