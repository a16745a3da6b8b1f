/**
 * Custody check, end to end: the manifest recorded at ingest (src/store) against the bundle as it is
 * now (src/bundle re-hashes it). A bundle is found in the case by its path; a bundle that was moved
 * or copied since is found by what is in it: the recorded bundle with the most files of the same
 * path inside the bundle and the same sha256.
 */
import { resolve } from 'node:path';
import { compareHashes, hashBundle, sameFiles, type VerifyResult } from '../bundle/verify.js';
import { UsageError } from '../errors.js';
import { loadManifests } from '../store/case-db.js';
import type { Limits } from '../limits.js';
import type { ProgressCallback } from '../types/index.js';

export async function verify(
  bundle: string,
  casePath: string,
  onProgress?: ProgressCallback,
  limits: Partial<Limits> = {},
): Promise<VerifyResult> {
  const manifests = loadManifests(resolve(casePath));
  const now = await hashBundle(bundle, onProgress, limits);
  const byPath = manifests.get(resolve(bundle));
  if (byPath) return compareHashes(bundle, now, byPath);
  let best: { bundle: string; same: number } | null = null;
  for (const [recorded, entries] of manifests) {
    const same = sameFiles(now, entries);
    if (same > 0 && (!best || same > best.same)) best = { bundle: recorded, same };
  }
  if (!best)
    throw new UsageError(
      `${bundle}: not in case ${casePath}: no bundle there has that path or any of its files (ingest it first)`,
    );
  return { ...compareHashes(bundle, now, manifests.get(best.bundle)!), recordedAs: best.bundle };
}
