/**
 * `kubectl get … -o json` output: one object, a List, or several pretty-printed documents one after
 * another (`kubectl cluster-info dump`). Each List item keeps the line it starts on, found by a
 * string-aware pass over the text, so facts and events cite `file:line`.
 */
import { LineIndex } from './_lines.js';
import { flattenList, readObjects, type ObjectResult } from './objects.js';

export interface JsonDocument {
  /**
   * The document, parsed; for a List (or a top-level array) of objects, without its items: they are
   * parsed one at a time from `items`, so a dump of 263,000 pods is never one object graph.
   */
  value: unknown;
  /** Offset of the document's first character, and just past its last. */
  start: number;
  end: number;
  /** Where each object of the List's `items` (or of the top-level array) starts and ends. */
  items: { start: number; end: number }[] | null;
}

/** The key before an array opened at `at` is `"items"`. */
const ITEMS_KEY = /"items"\s*:\s*$/;

/**
 * Splits `text` into consecutive JSON documents. Stops at the first text that is not JSON and returns
 * the offset there, so callers can read what follows (cluster-info dump log sections) or report it.
 */
export function splitJsonDocuments(
  text: string,
  from = 0,
): { documents: JsonDocument[]; stoppedAt: number; error: string | null } {
  const documents: JsonDocument[] = [];
  let at = from;
  const length = text.length;
  while (at < length) {
    while (at < length && /\s/.test(text[at] as string)) at++;
    if (at >= length) break;
    const first = text[at];
    if (first !== '{' && first !== '[') return { documents, stoppedAt: at, error: null };
    const start = at;
    // The array whose objects are items: its depth in the stack once open, and where it opens/closes.
    let itemsDepth = first === '[' ? 1 : 0;
    let itemsOpen = first === '[' ? start : -1;
    let itemsClose = -1;
    let items: { start: number; end: number }[] | null = [];
    let itemStart = -1;
    // Stack of container types; the top-level object/array is depth 1.
    const stack: string[] = [];
    let inString = false;
    for (; at < length; at++) {
      const char = text[at] as string;
      if (inString) {
        if (char === '\\') at++;
        else if (char === '"') inString = false;
        continue;
      }
      // Directly inside the items array (not in one of its objects), while it is open.
      const inItems = itemsDepth > 0 && itemsClose < 0 && stack.length === itemsDepth;
      if (char === '"') {
        // A string directly in the items array: not a list of objects.
        if (inItems) items = null;
        inString = true;
      } else if (char === '{' || char === '[') {
        if (inItems) {
          if (char === '{') itemStart = at;
          else items = null;
        }
        if (
          char === '[' &&
          itemsDepth === 0 &&
          stack.length === 1 &&
          ITEMS_KEY.test(text.slice(Math.max(start, at - 24), at))
        ) {
          itemsDepth = 2;
          itemsOpen = at;
        }
        stack.push(char);
      } else if (char === '}' || char === ']') {
        stack.pop();
        if (
          itemsDepth > 0 &&
          itemsClose < 0 &&
          stack.length === itemsDepth &&
          char === '}' &&
          itemStart >= 0
        ) {
          items?.push({ start: itemStart, end: at + 1 });
          itemStart = -1;
        } else if (itemsDepth > 0 && stack.length === itemsDepth - 1 && itemsClose < 0) itemsClose = at;
        if (stack.length === 0) {
          at++;
          break;
        }
      } else if (inItems && char !== ',' && !/\s/.test(char)) {
        // A number, true, false or null directly in the items array.
        items = null;
      }
    }
    if (stack.length > 0) return { documents, stoppedAt: start, error: 'JSON document is cut short' };
    const split = items && items.length > 0 && itemsOpen >= 0 && itemsClose >= 0;
    try {
      const value = JSON.parse(
        split ? text.slice(start, itemsOpen + 1) + text.slice(itemsClose, at) : text.slice(start, at),
      ) as unknown;
      documents.push({ value, start, end: at, items: split ? items : null });
    } catch (error) {
      return { documents, stoppedAt: start, error: `invalid JSON: ${(error as Error).message}` };
    }
  }
  return { documents, stoppedAt: at, error: null };
}

/**
 * The objects of the documents, a List's items parsed one at a time as they are read (an item that
 * is not valid JSON is a problem, not the end of the file).
 */
export function readJsonDocuments(
  documents: JsonDocument[],
  text: string,
  lines: LineIndex,
  file: string,
): ObjectResult & { problems: string[] } {
  const problems: string[] = [];
  function* items(): Generator<{ value: unknown; line: number | null; kind: string | null }> {
    for (const document of documents) {
      const { items: flat, list, itemKind } = flattenList(document.value);
      if (document.items && list) {
        for (const item of document.items) {
          let value: unknown;
          try {
            value = JSON.parse(text.slice(item.start, item.end));
          } catch (error) {
            problems.push(
              `invalid JSON in the item at line ${lines.lineOf(item.start)}: ${(error as Error).message}`,
            );
            continue;
          }
          yield { value, line: lines.lineOf(item.start), kind: itemKind };
        }
        continue;
      }
      // Not a List after all (an object with an "items" field): read whole.
      const whole = document.items ? flattenList(JSON.parse(text.slice(document.start, document.end))) : null;
      for (const value of whole?.items ?? flat)
        yield { value, line: lines.lineOf(document.start), kind: whole?.itemKind ?? itemKind };
    }
  }
  return { ...readObjects(items(), file), problems };
}

export function parseKubectlJson(text: string, file: string): ObjectResult & { problems: string[] } {
  const split = splitJsonDocuments(text);
  const lines = new LineIndex(text);
  const objects = readJsonDocuments(split.documents, text, lines, file);
  const problems: string[] = [];
  if (split.error) problems.push(`${split.error} (line ${lines.lineOf(split.stoppedAt)})`);
  else if (split.stoppedAt < text.length)
    problems.push(`text after the JSON at line ${lines.lineOf(split.stoppedAt)} ignored`);
  return { ...objects, problems: [...problems, ...objects.problems] };
}
