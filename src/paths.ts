import { isAbsolute, relative, sep } from 'node:path';

/**
 * True when `inner` is `outer` or lies below it (both resolved). Tested on path segments, so a folder
 * whose name starts with `..` (such as `..data`) counts as below `outer`, not as a step up.
 */
export function isInside(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}
