/**
 * `kubectl get … -o yaml` output and must-gather object files: one or more YAML documents, each an
 * object or a List. Items keep the line they start on (from the YAML CST ranges).
 */
import type { Node } from 'yaml';
import { yaml } from '../../lazy-packages.js';
import { LineIndex } from './_lines.js';
import { flattenList, readObjects, type ObjectResult } from './objects.js';

/** Alias expansions allowed per document: kubectl never writes aliases; a few hand-written ones are fine. */
const MAX_ALIAS_COUNT = 100;

export function parseKubectlYaml(text: string, file: string): ObjectResult & { problems: string[] } {
  const lines = new LineIndex(text);
  const items: { value: unknown; line: number | null; kind: string | null }[] = [];
  const problems: string[] = [];
  const { isMap, isSeq, parseAllDocuments } = yaml();
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) {
      const error = document.errors[0];
      problems.push(`invalid YAML: ${error?.message.split('\n')[0] ?? 'parse error'}`);
      continue;
    }
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      // The yaml package refuses an alias bomb (aliases expanding to billions of nodes) by throwing.
      if (!/alias/i.test((error as Error).message)) throw error;
      problems.push(
        `YAML aliases expand past the limit of ${MAX_ALIAS_COUNT} (an alias bomb?); document not read`,
      );
      continue;
    }
    if (value === null || value === undefined) continue;
    const { items: flat, list, itemKind } = flattenList(value);
    const contents = document.contents as Node | null;
    let itemNodes: (Node | null)[] = [];
    if (isMap(contents)) {
      const itemsNode = contents.get('items', true);
      if (isSeq(itemsNode)) itemNodes = itemsNode.items as (Node | null)[];
    }
    const aligned = list && itemNodes.length === flat.length;
    flat.forEach((item, index) => {
      const node = aligned ? itemNodes[index] : contents;
      const offset = node?.range?.[0];
      items.push({ value: item, line: offset === undefined ? null : lines.lineOf(offset), kind: itemKind });
    });
  }
  return { ...readObjects(items, file), problems };
}
