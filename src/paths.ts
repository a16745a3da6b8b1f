import { lstatSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { UsageError } from './errors.js';

/**
 * True when `inner` is `outer` or lies below it (both resolved). Tested on path segments, so a folder
 * whose name starts with `..` (such as `..data`) counts as below `outer`, not as a step up.
 */
export function isInside(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** Links followed before giving up, as the kernel's ELOOP limit. */
const MAX_LINK_HOPS = 40;

/**
 * Where writing to `path` would really land: every link on the way resolved, including a dangling
 * link at the end (writing through it creates its target) and a path whose last parts do not exist
 * yet (resolved from the nearest folder that does).
 */
export function realTarget(path: string): string {
  let current = resolve(path);
  const rest: string[] = [];
  for (let hops = 0; ;) {
    let info;
    try {
      info = lstatSync(current);
    } catch {
      const parent = dirname(current);
      if (parent === current) return join(current, ...rest);
      rest.unshift(basename(current));
      current = parent;
      continue;
    }
    if (info.isSymbolicLink() && ++hops <= MAX_LINK_HOPS) {
      try {
        current = realpathSync(current);
      } catch {
        // Dangling: follow it by hand to where it points.
        current = resolve(dirname(current), readlinkSync(current));
        continue;
      }
    } else {
      current = realpathSync(current);
    }
    return join(current, ...rest);
  }
}

/**
 * Evidence is never written: refuses an output path (`option` names it in the message) that really
 * lands inside any input folder, or on an input file itself, once links on both sides are resolved.
 */
export function refuseOutputInEvidence(output: string, option: string, inputs: string[]): void {
  const target = realTarget(output);
  for (const input of inputs) {
    let real: string;
    let folder: boolean;
    try {
      real = realpathSync(input);
      folder = statSync(real).isDirectory();
    } catch {
      continue; // a missing input is reported by the command that reads it
    }
    if (folder ? isInside(target, real) : target === real)
      throw new UsageError(
        `${option} ${output} is inside the evidence ${input}${real === resolve(input) ? '' : ` (${real})`}; write it elsewhere`,
      );
  }
}

/**
 * The evidence a lone file given on the command line (a snapshot copy) belongs to: the highest folder
 * above it that holds neither the working folder, the home folder nor the temp folder (those hold
 * more than evidence). A snapshot says nothing of where its bundle starts — `<bundle>/<node>/backend/`
 * or any other layout — so everything up to the nearest of those places counts: for
 * `ev/node1/data/snapshot-…` given from the case folder, that is `ev`. Both the folder as named and
 * the one the file really sits in (when the file is a link) count.
 */
export function evidenceAround(file: string): string[] {
  const shared = [process.cwd(), homedir(), tmpdir()].map(realTarget);
  const holdsShared = (folder: string) => shared.some((place) => isInside(place, folder));
  const topOf = (start: string) => {
    let folder = start;
    for (let parent = dirname(folder); parent !== folder && !holdsShared(parent); parent = dirname(folder))
      folder = parent;
    return folder;
  };
  const named = topOf(realTarget(dirname(resolve(file))));
  let real: string;
  try {
    real = topOf(dirname(realpathSync(file)));
  } catch {
    return [named]; // a missing file is reported by the command that reads it
  }
  return real === named ? [named] : [named, real];
}
