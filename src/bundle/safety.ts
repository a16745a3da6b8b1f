/**
 * What a bundle may contain. Archive member names and link targets are checked before anything is
 * read: no absolute paths, no `..`, no link that resolves outside the bundle. Sizes are capped per
 * member and in total, and a compressed archive may not expand beyond a ratio (decompression bombs).
 */
import { posix } from 'node:path';

export interface BundleLimits {
  /** Largest single file read (bytes). */
  maxEntryBytes: number;
  /** Largest total of file bytes in one bundle (bytes, after decompression). */
  maxTotalBytes: number;
  /** Most files in one bundle. */
  maxEntries: number;
  /** Largest uncompressed/compressed ratio of a compressed archive, checked once past `ratioFloorBytes`. */
  maxRatio: number;
  ratioFloorBytes: number;
}

export const DEFAULT_BUNDLE_LIMITS: BundleLimits = {
  maxEntryBytes: 16 * 1024 ** 3,
  maxTotalBytes: 64 * 1024 ** 3,
  maxEntries: 500_000,
  maxRatio: 200,
  ratioFloorBytes: 256 * 1024 ** 2,
};

/** A bundle-relative path: '/'-separated, no leading './', or an error saying why it is unsafe. */
export function safeMemberPath(name: string): { path: string } | { problem: string } {
  const unified = name.replace(/\\/g, '/');
  if (unified.startsWith('/') || /^[A-Za-z]:\//.test(unified))
    return { problem: 'absolute path in archive; skipped' };
  const segments = unified.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) return { problem: "path with '..' in archive; skipped" };
  if (segments.length === 0) return { problem: 'empty path in archive; skipped' };
  return { path: segments.join('/') };
}

/** True when a link at `memberPath` pointing to `target` stays inside the bundle. */
export function linkStaysInside(memberPath: string, target: string): boolean {
  if (target.startsWith('/') || /^[A-Za-z]:[\\/]/.test(target)) return false;
  const resolved = posix.normalize(posix.join(posix.dirname(memberPath), target.replace(/\\/g, '/')));
  return resolved !== '..' && !resolved.startsWith('../') && !resolved.startsWith('/');
}
