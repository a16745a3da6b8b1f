/**
 * Re-hashes a bundle and compares it with the custody manifest recorded at ingest: files whose
 * content changed, files that are gone, files that were added. Reads only; parses nothing.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { ManifestEntry, ProgressCallback } from '../types/index.js';
import { DEFAULT_BUNDLE_LIMITS, type BundleLimits } from './safety.js';
import { commonTopFolder, linkDigest, openBundle } from './source.js';

export interface VerifyChange {
  path: string;
  recorded: { sha256: string; size: number };
  now: { sha256: string; size: number };
}

export interface VerifyResult {
  bundle: string;
  /**
   * The bundle as the case recorded it, when that is another path: a moved or copied bundle is
   * matched by the paths inside it and their sha256 (pipeline/verify.ts).
   */
  recordedAs?: string;
  /** Files hashed now. */
  checked: number;
  unchanged: number;
  changed: VerifyChange[];
  /** In the manifest, not in the bundle any more. */
  missing: string[];
  /** In the bundle, not in the manifest. */
  added: string[];
}

async function hashStream(stream: AsyncIterable<Buffer>): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** What a bundle holds now: sha256 and size per bundle-relative path, as ingest names the files. */
export type BundleHashes = Map<string, { sha256: string; size: number }>;

/** Re-hashes every member of a bundle (read-only), keyed by its path inside the bundle. */
export async function hashBundle(
  bundle: string,
  onProgress?: ProgressCallback,
  limits: Partial<BundleLimits> = {},
): Promise<BundleHashes> {
  // The limits ingest was given: with others, files it skipped would show as added (or the reverse).
  const walk = await openBundle(resolve(bundle), { ...DEFAULT_BUNDLE_LIMITS, ...limits });
  const now: BundleHashes = new Map();
  for await (const member of walk.members) {
    const progress = walk.progress();
    onProgress?.(progress.done, progress.total, member.path);
    if (member.kind === 'file') {
      try {
        now.set(member.path, await hashStream(member.stream));
      } catch {
        now.set(member.path, { sha256: '', size: member.size });
      }
    } else if (member.kind === 'link') {
      now.set(member.path, { sha256: linkDigest(member.target), size: 0 });
    } else if (member.path !== '') {
      now.set(member.path, { sha256: '', size: member.size ?? 0 });
    }
  }
  const prefix = walk.container === 'folder' ? null : commonTopFolder([...now.keys()]);
  if (!prefix) return now;
  return new Map([...now].map(([path, value]) => [path.slice(prefix.length), value]));
}

/** Files of the bundle now whose path and sha256 both match the recorded manifest. */
export function sameFiles(now: BundleHashes, recorded: ManifestEntry[]): number {
  return recorded.filter((entry) => entry.sha256 !== '' && now.get(entry.path)?.sha256 === entry.sha256)
    .length;
}

/** Compares a bundle's hashes now with the manifest recorded when it was ingested. */
export function compareHashes(bundle: string, now: BundleHashes, recorded: ManifestEntry[]): VerifyResult {
  const byPath = new Map<string, ManifestEntry>(recorded.map((entry) => [entry.path, entry]));
  const result: VerifyResult = {
    bundle: resolve(bundle),
    checked: now.size,
    unchanged: 0,
    changed: [],
    missing: [],
    added: [],
  };
  for (const [path, current] of now) {
    const entry = byPath.get(path);
    if (!entry) result.added.push(path);
    else if (entry.sha256 !== current.sha256 || entry.size !== current.size) {
      result.changed.push({ path, recorded: { sha256: entry.sha256, size: entry.size }, now: current });
    } else result.unchanged++;
  }
  for (const entry of recorded) if (!now.has(entry.path)) result.missing.push(entry.path);
  result.added.sort();
  result.missing.sort();
  return result;
}

/** Compares the bundle as it is now with the manifest recorded when it was ingested. */
export async function compareWithManifest(
  bundle: string,
  recorded: ManifestEntry[],
  onProgress?: ProgressCallback,
): Promise<VerifyResult> {
  return compareHashes(bundle, await hashBundle(bundle, onProgress), recorded);
}
