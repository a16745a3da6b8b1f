import { resolve } from 'node:path';
import type { CaseData, EvidenceEvent, ManifestEntry, SetAsideFile } from '../types/index.js';

/**
 * Counts every content once: the same bundle given as a folder and as its .tar.gz, two collectors
 * that both copied a log, or one file under two names would otherwise double every count. The copy
 * kept is the first in the order the bundles were given, then path order; the others are listed as set aside.
 */
export function countContentOnce(
  data: CaseData,
  bundles: string[] = [],
): { data: CaseData; setAside: SetAsideFile[] } {
  // A case records each bundle by its absolute path; the user gave it as typed.
  const bundleOrder = new Map<string, number>();
  bundles.forEach((bundle, i) => bundleOrder.set(bundle, i).set(resolve(bundle), i));
  for (const entry of data.manifest)
    if (!bundleOrder.has(entry.bundle)) bundleOrder.set(entry.bundle, bundleOrder.size);
  const ordered = [...data.manifest].sort(
    (a, b) => bundleOrder.get(a.bundle)! - bundleOrder.get(b.bundle)! || a.path.localeCompare(b.path),
  );
  const kept = new Map<string, ManifestEntry>();
  // The store already set aside copies with the same name from earlier bundles; these add the rest.
  const setAside: SetAsideFile[] = [...(data.setAside ?? [])];
  const dropped = new Set<string>();
  for (const entry of ordered) {
    // Empty files share one hash and carry nothing to count twice.
    if (entry.size === 0 || entry.error) continue;
    const first = kept.get(entry.sha256);
    if (!first) {
      kept.set(entry.sha256, entry);
      continue;
    }
    setAside.push({ ...entry, sameAs: { bundle: first.bundle, path: first.path } });
    dropped.add(`${entry.bundle}\u0000${entry.path}`);
  }
  if (dropped.size === 0) return { data, setAside };

  // Rows read back from a case know their bundle; the same path in two bundles with the same bytes is
  // one file either way, so rows are also kept once per (path, content).
  const shaOf = new Map(data.manifest.map((m) => [`${m.bundle}\u0000${m.path}`, m.sha256]));
  const keptPathOf = new Map([...kept.values()].map((m) => [m.sha256, m.path]));
  const shaByPath = new Map<string, string>();
  for (const m of ordered) if (!shaByPath.has(m.path)) shaByPath.set(m.path, m.sha256);
  const isKept = (file: string, bundle: string | undefined, sha256?: string): boolean => {
    if (bundle !== undefined) return !dropped.has(`${bundle}\u0000${file}`);
    const sha = sha256 ?? shaByPath.get(file);
    return sha === undefined || keptPathOf.get(sha) === file;
  };
  const firstTime = <T>(key: (row: T) => string): ((row: T) => boolean) => {
    const seen = new Set<string>();
    return (row) => {
      const k = key(row);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    };
  };
  const once = <T>(rows: T[], key: (row: T) => string): T[] => rows.filter(firstTime(key));
  const firstEvent = firstTime<EvidenceEvent>(
    (e) =>
      `${e.bundle === undefined ? '' : shaOf.get(`${e.bundle}\u0000${e.file}`)}|${e.file}|${e.line}|${e.kind}`,
  );
  const events = data.events.where((e) => isKept(e.file, e.bundle) && firstEvent(e));
  const facts = once(
    data.facts.filter((f) => isKept(f.file, undefined, f.sha256)),
    (f) => JSON.stringify(f),
  );
  return {
    data: {
      ...data,
      setAside,
      manifest: data.manifest.filter((m) => !dropped.has(`${m.bundle}\u0000${m.path}`)),
      events,
      facts,
      snapshotReports: once(
        data.snapshotReports.filter((r) => isKept(r.file, undefined, r.sha256)),
        (r) => r.sha256,
      ),
      annotations: once(data.annotations ?? [], (a) => `${a.file}|${a.line}|${a.ts}|${a.text}`),
    },
    setAside,
  };
}
