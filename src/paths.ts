import { randomBytes } from 'node:crypto';
import {
  lstatSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
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
  refuseHardLinkToEvidence(output, target, option, inputs);
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
 * A file with a second name is the same bytes under both: writing `pir.md` that is a hard link to
 * `ev/app.log` overwrites the log, whatever folder the name is in. Only an existing output with more
 * than one link is checked, against every file of the inputs (walked without following links).
 */
function refuseHardLinkToEvidence(output: string, target: string, option: string, inputs: string[]): void {
  let info: Stats;
  try {
    info = statSync(target);
  } catch {
    return; // not there yet: nothing to share bytes with
  }
  if (!info.isFile() || info.nlink < 2) return;
  const same = (other: Stats) => other.ino === info.ino && other.dev === info.dev;
  for (const input of inputs) {
    let root: Stats;
    try {
      root = statSync(input);
    } catch {
      continue;
    }
    const found = root.isDirectory() ? findFile(input, same) : same(root) ? input : null;
    if (found !== null)
      throw new UsageError(
        `${option} ${output} is a hard link to ${found} in the evidence ${input}; write it elsewhere`,
      );
  }
}

/** The first file under `folder` (links not followed) for which `match` holds, or null. */
function findFile(folder: string, match: (info: Stats) => boolean): string | null {
  const pending = [folder];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue; // unreadable: ingest reports it
    }
    for (const name of names) {
      const path = join(dir, name);
      let info: Stats;
      try {
        info = lstatSync(path);
      } catch {
        continue;
      }
      if (info.isDirectory()) pending.push(path);
      else if (info.isFile() && match(info)) return path;
    }
  }
  return null;
}

/**
 * Writes an output file by replacing it (a new file renamed over the real target) rather than
 * writing into it, so that an existing file's other names — a hard link from anywhere, evidence
 * included — keep their bytes. A link in the path is still followed to where it points.
 */
export function replaceFile(path: string, data: string | Uint8Array): void {
  const target = realTarget(path);
  const scratch = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    // 'wx': a name that already exists is never written through.
    writeFileSync(scratch, data, { flag: 'wx' });
    renameSync(scratch, target);
  } catch (error) {
    rmSync(scratch, { force: true });
    throw error;
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
