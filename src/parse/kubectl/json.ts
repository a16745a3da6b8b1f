/**
 * `kubectl get … -o json` output: one object, a List, or several pretty-printed documents one after
 * another (`kubectl cluster-info dump`). Each List item keeps the line it starts on, found by a
 * string-aware pass over the text, so facts and events cite `file:line`.
 */
import { LineIndex } from './_lines.js';
import { flattenList, readObjects, type ObjectResult } from './objects.js';

export interface JsonDocument {
  value: unknown;
  /** Offset of the document's first character. */
  start: number;
  /** Offsets of the objects directly inside a top-level array (a List's items), in order. */
  itemStarts: number[];
}

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
    const itemStarts: number[] = [];
    // Stack of container types; the top-level object/array is depth 1.
    const stack: string[] = [];
    let inString = false;
    for (; at < length; at++) {
      const char = text[at];
      if (inString) {
        if (char === '\\') at++;
        else if (char === '"') inString = false;
        continue;
      }
      if (char === '"') inString = true;
      else if (char === '{' || char === '[') {
        if (char === '{' && stack.length === 2 && stack[1] === '[' && stack[0] === '{') itemStarts.push(at);
        if (char === '{' && stack.length === 1 && stack[0] === '[') itemStarts.push(at);
        stack.push(char);
      } else if (char === '}' || char === ']') {
        stack.pop();
        if (stack.length === 0) {
          at++;
          break;
        }
      }
    }
    if (stack.length > 0) return { documents, stoppedAt: start, error: 'JSON document is cut short' };
    try {
      documents.push({ value: JSON.parse(text.slice(start, at)), start, itemStarts });
    } catch (error) {
      return { documents, stoppedAt: start, error: `invalid JSON: ${(error as Error).message}` };
    }
  }
  return { documents, stoppedAt: at, error: null };
}

export function readJsonDocuments(documents: JsonDocument[], lines: LineIndex, file: string): ObjectResult {
  const items: { value: unknown; line: number | null; kind: string | null }[] = [];
  for (const document of documents) {
    const { items: flat, list, itemKind } = flattenList(document.value);
    const aligned = list && flat.length === document.itemStarts.length;
    flat.forEach((value, index) => {
      const offset = aligned ? (document.itemStarts[index] as number) : document.start;
      items.push({ value, line: lines.lineOf(offset), kind: itemKind });
    });
  }
  return readObjects(items, file);
}

export function parseKubectlJson(text: string, file: string): ObjectResult & { problems: string[] } {
  const split = splitJsonDocuments(text);
  const problems: string[] = [];
  const lines = new LineIndex(text);
  if (split.error) problems.push(`${split.error} (line ${lines.lineOf(split.stoppedAt)})`);
  else if (split.stoppedAt < text.length)
    problems.push(`text after the JSON at line ${lines.lineOf(split.stoppedAt)} ignored`);
  return { ...readJsonDocuments(split.documents, lines, file), problems };
}
