/**
 * The same evidence given twice — a folder and then its tar.gz, one tarball uploaded again, two
 * copies of one log — must count once. A file of a later bundle whose name and sha256 equal a file
 * of an earlier bundle is set aside: it stays in the custody manifest, and its rows are not read.
 *
 * The name is part of the key because different nodes can write byte-identical files that are
 * separate evidence (dqlite snapshots at one raft index, named by each node's own clock), and
 * within one bundle nothing is set aside: a bundle is what one collector saw, copies and all.
 */
import type { ManifestEntry, SetAsideFile } from '../types/index.js';

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/**
 * The files to set aside, given the manifest and the bundles in the order they were ingested
 * (the first bundle that brought a file keeps it). Empty files, links and unreadable files carry
 * no evidence of their own and are never set aside.
 */
export function findSetAside(manifest: ManifestEntry[], bundleOrder: string[]): SetAsideFile[] {
  const rank = new Map(bundleOrder.map((bundle, index) => [bundle, index]));
  const ordered = [...manifest].sort(
    (a, b) =>
      (rank.get(a.bundle) ?? rank.size) - (rank.get(b.bundle) ?? rank.size) ||
      (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
  );
  const first = new Map<string, ManifestEntry>();
  const setAside: SetAsideFile[] = [];
  for (const entry of ordered) {
    if (entry.sha256 === '' || entry.size === 0 || entry.type === 'link') continue;
    const key = `${entry.sha256}\u0000${baseName(entry.path)}`;
    const earlier = first.get(key);
    if (!earlier) first.set(key, entry);
    else if (earlier.bundle !== entry.bundle)
      setAside.push({ ...entry, sameAs: { bundle: earlier.bundle, path: earlier.path } });
  }
  return setAside;
}

/** `bundle` + `file` as one key, for filtering rows of set-aside files. */
export function fileKey(bundle: string, file: string): string {
  return `${bundle}\u0000${file}`;
}

/**
 * One sentence per pair of bundles, e.g. `sample.tar.gz: 27 files set aside, copies of files of
 * samples/bundle (same name and sha256); they are not counted again.` — for stderr and the page.
 */
export function describeSetAside(
  setAside: SetAsideFile[],
  /** How a bundle is named (the command line names it as it was given). */
  name: (bundle: string) => string = (bundle) => bundle,
): string[] {
  const groups = new Map<string, { bundle: string; from: string; files: number }>();
  for (const file of setAside) {
    const key = fileKey(file.bundle, file.sameAs.bundle);
    const group = groups.get(key) ?? { bundle: file.bundle, from: file.sameAs.bundle, files: 0 };
    group.files++;
    groups.set(key, group);
  }
  return [...groups.values()].map(
    (group) =>
      `${name(group.bundle)}: ${group.files} file${group.files === 1 ? '' : 's'} set aside, copies of files of ${name(group.from)} (same name and sha256); not counted again`,
  );
}
