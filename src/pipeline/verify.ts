/**
 * Custody check, end to end: the manifest recorded at ingest (src/store) against the bundle as it is
 * now (src/bundle re-hashes it).
 */
import { resolve } from 'node:path';
import { compareWithManifest, type VerifyResult } from '../bundle/verify.js';
import { UsageError } from '../errors.js';
import { loadManifest } from '../store/case-db.js';
import type { ProgressCallback } from '../types/index.js';

export async function verify(
  bundle: string,
  casePath: string,
  onProgress?: ProgressCallback,
): Promise<VerifyResult> {
  const recorded = loadManifest(resolve(casePath), resolve(bundle));
  if (!recorded) throw new UsageError(`${bundle}: not in case ${casePath} (ingest it first)`);
  return compareWithManifest(bundle, recorded, onProgress);
}
