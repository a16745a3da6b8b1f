/**
 * What a bundle may contain. Archive member names and link targets are checked before anything is
 * read: no absolute paths, no `..`, no link that resolves outside the bundle. Sizes are capped per
 * member and in total, and a compressed archive may not expand beyond a ratio (decompression bombs).
 */
import { posix } from 'node:path';
import { DEFAULT_LIMIT_VALUES, raiseWith, type Limits } from '../limits.js';

/** The limits the bundle walkers apply (src/limits.ts says what each caps and its option). */
export type BundleLimits = Pick<
  Limits,
  'maxEntryBytes' | 'maxTotalBytes' | 'maxEntries' | 'maxRatio' | 'ratioFloorBytes' | 'maxPathBytes'
>;

export const DEFAULT_BUNDLE_LIMITS: BundleLimits = {
  maxEntryBytes: DEFAULT_LIMIT_VALUES.maxEntryBytes,
  maxTotalBytes: DEFAULT_LIMIT_VALUES.maxTotalBytes,
  maxEntries: DEFAULT_LIMIT_VALUES.maxEntries,
  maxRatio: DEFAULT_LIMIT_VALUES.maxRatio,
  ratioFloorBytes: DEFAULT_LIMIT_VALUES.ratioFloorBytes,
  maxPathBytes: DEFAULT_LIMIT_VALUES.maxPathBytes,
};

/**
 * The refusal of gzip data that expands past the ratio (archives and compressed files alike);
 * `after` says what else was not read.
 */
export function ratioRefusal(limits: Pick<BundleLimits, 'maxRatio'>, expanded: number, after = ''): string {
  return `expands more than ${limits.maxRatio}:1 (decompression bomb?); stopped after ${expanded} bytes${after} (${raiseWith('maxRatio')})`;
}

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

/** How much of an over-long name a message shows. */
const SHOWN_NAME_CHARS = 160;

/** A name cut for messages, with its full length. */
export function shortName(name: string): string {
  return name.length <= SHOWN_NAME_CHARS ? name : `${name.slice(0, SHOWN_NAME_CHARS)}…`;
}

/**
 * A member name as text, from the bytes stored in the archive: UTF-8 when it is valid UTF-8, and
 * otherwise with each byte that is not shown as `%XX` (not `\xNN`: a backslash is a Windows path
 * separator in archive names) — so two names that differ in their bytes never decode to the same
 * text (both would be U+FFFD), and citations stay exact. A real name that happens to read the same
 * is kept apart by MemberNames.
 */
export function nameFromBytes(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  if (!text.includes('\ufffd') || Buffer.from(text, 'utf8').equals(bytes)) return text;
  let out = '';
  let at = 0;
  while (at < bytes.length) {
    const length = utf8SequenceLength(bytes, at);
    out +=
      length > 0
        ? bytes.toString('utf8', at, at + length)
        : `%${bytes[at]!.toString(16).toUpperCase().padStart(2, '0')}`;
    at += Math.max(length, 1);
  }
  return out;
}

/** Length of the valid UTF-8 sequence starting at `at`, or 0 when the byte there does not start one. */
function utf8SequenceLength(bytes: Buffer, at: number): number {
  const first = bytes[at]!;
  const length =
    first < 0x80
      ? 1
      : first >= 0xc2 && first < 0xe0
        ? 2
        : first >= 0xe0 && first < 0xf0
          ? 3
          : first >= 0xf0 && first < 0xf5
            ? 4
            : 0;
  if (length === 0 || at + length > bytes.length) return 0;
  for (let i = 1; i < length; i++) if ((bytes[at + i]! & 0xc0) !== 0x80) return 0;
  return Buffer.from(bytes.toString('utf8', at, at + length), 'utf8').equals(bytes.subarray(at, at + length))
    ? length
    : 0;
}

/**
 * Keeps members apart whose names are the same once normalised (`x//a.log` and `x/a.log`, or the
 * same name twice in an archive; a folder's `%FF.log` and a name whose byte ff is shown as `%FF`):
 * the manifest, the events and every citation are keyed by the name, so two members under one name
 * would mix one file's hash with the other's lines. The first keeps the name; later ones are read as
 * `<name>#2`, `#3`, … with a problem saying so.
 */
export class MemberNames {
  private readonly seen = new Map<string, number>();

  constructor(private readonly container: 'archive' | 'folder' = 'archive') {}

  claim(path: string): { path: string; problem?: string } {
    const count = (this.seen.get(path) ?? 0) + 1;
    this.seen.set(path, count);
    if (count === 1) return { path };
    let renamed = `${path}#${count}`;
    while (this.seen.has(renamed)) renamed = `${renamed}#`;
    this.seen.set(renamed, 1);
    return {
      path: renamed,
      problem:
        this.container === 'archive'
          ? `member ${count} named ${path} in the archive (after normalising the name); read apart as ${renamed}, since extracting would keep only the last`
          : `file ${count} named ${path} in the folder once bytes that are not UTF-8 are shown as %XX; read apart as ${renamed}`,
    };
  }
}
