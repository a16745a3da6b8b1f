/**
 * A file holding one number, as `kubectl get ipamhandles --no-headers | wc -l > ipamhandles-count.txt`
 * writes it. The resource is read from the file name; only names that say what was counted count.
 */
import type { FileResult } from '../file.js';

const RESOURCES: [RegExp, string][] = [[/ipamhandle/i, 'ipamhandles.crd.projectcalico.org']];

export function parseCount(text: string, file: string): Partial<FileResult> {
  const value = Number.parseInt(text.trim(), 10);
  const resource = RESOURCES.find(([pattern]) => pattern.test(file))?.[1];
  if (!resource || !Number.isFinite(value)) return {};
  return { facts: [{ kind: 'count', file, line: 1, sha256: '', resource, count: value }] };
}
