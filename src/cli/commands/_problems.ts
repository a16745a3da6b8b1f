import { basename, resolve } from 'node:path';
import { ARCHIVE_PROBLEM_FILE } from '../../bundle/ingest.js';

/**
 * How a per-file problem is named on stderr, the same in ingest, events, correlate and analyze:
 * `<bundle as given>/<file in it>`, the bundle alone for a lone file or a whole archive, and a
 * bundle read back from a case (not given on this command line) by the path the case recorded.
 */
export function problemNamer(given: string[]): (problem: { bundle?: string; file: string }) => string {
  const bundleName = bundleNamer(given);
  return (problem) => {
    if (problem.bundle === undefined) return problem.file;
    const bundle = bundleName(problem.bundle);
    if (problem.file === ARCHIVE_PROBLEM_FILE || problem.file === basename(bundle)) return bundle;
    return `${bundle}/${problem.file}`;
  };
}

/** A bundle (the case keeps its resolved path) by the name it was given on the command line. */
export function bundleNamer(given: string[]): (bundle: string) => string {
  const named = new Map(given.map((bundle) => [resolve(bundle), bundle]));
  return (bundle) => named.get(bundle) ?? bundle;
}
