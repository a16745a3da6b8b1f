/**
 * `key=value` pairs as klog structured logging, logrus and slog's TextHandler write them: values are
 * bare words or Go-quoted strings (`err="context deadline exceeded"`). Unquotes with JSON rules,
 * which match Go's strconv.Quote for the escapes these loggers emit.
 *
 * Read by hand, as the regex `(?:^|\s)([A-Za-z_][\w.\-]*)=("(?:[^"\\]|\\.)*"|[^\s"]*)` (global)
 * reads them — every event line of a structured logger goes through here, and the regex's match
 * arrays and a JSON.parse per value were a fifth of reading such a line.
 * test/parse/logs/kv.test.ts compares both on the samples and on generated edge cases.
 */
const QUOTE = 34;
const BACKSLASH = 92;

const isKeyStart = (code: number) => (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
const isKeyChar = (code: number) =>
  isKeyStart(code) || (code >= 48 && code <= 57) || code === 46 || code === 45;

/** A regex `\s`. */
export function isSpace(code: number): boolean {
  if (code <= 32) return code === 32 || (code >= 9 && code <= 13);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** A line terminator, which `.` does not match. */
const isLineEnd = (code: number) => code === 10 || code === 13 || code === 0x2028 || code === 0x2029;

/**
 * Where the Go-quoted string that opens at `at` (a `"`) ends (after its closing quote), or -1 when
 * it is not closed: `"(?:[^"\\]|\\.)*"` from `at`.
 */
export function quotedEnd(text: string, at: number): number {
  const length = text.length;
  for (let next = at + 1; next < length;) {
    const code = text.charCodeAt(next);
    if (code === QUOTE) return next + 1;
    if (code === BACKSLASH) {
      if (next + 1 >= length || isLineEnd(text.charCodeAt(next + 1))) return -1;
      next += 2;
    } else next++;
  }
  return -1;
}

export function parseKeyValues(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  const length = text.length;
  for (let at = 0; at < length;) {
    // A pair starts at the very beginning, or after a whitespace character.
    let end = at === 0 ? readPair(text, 0, fields) : -1;
    if (end < 0 && isSpace(text.charCodeAt(at))) end = readPair(text, at + 1, fields);
    at = end < 0 ? at + 1 : end;
  }
  return fields;
}

/** Reads `key=value` at `at` into `fields`: where it ends, or -1 when there is none. */
function readPair(text: string, at: number, fields: Record<string, string>): number {
  const length = text.length;
  if (at >= length || !isKeyStart(text.charCodeAt(at))) return -1;
  let equals = at + 1;
  while (equals < length && isKeyChar(text.charCodeAt(equals))) equals++;
  if (equals >= length || text.charCodeAt(equals) !== 61) return -1;
  const key = text.slice(at, equals);
  const start = equals + 1;
  if (start < length && text.charCodeAt(start) === QUOTE) {
    const end = quotedEnd(text, start);
    // An unclosed quote: the bare-word branch matches nothing before it.
    fields[key] = end < 0 ? '' : unquote(text.slice(start, end));
    return end < 0 ? start : end;
  }
  let end = start;
  while (end < length) {
    const code = text.charCodeAt(end);
    if (code === QUOTE || isSpace(code)) break;
    end++;
  }
  fields[key] = text.slice(start, end);
  return end;
}

export function unquote(value: string): string {
  if (!value.startsWith('"')) return value;
  // Without a backslash JSON.parse gives the inside, or throws (a quote or control character
  // inside) and the inside is taken anyway: either way the inside.
  if (value.length >= 2 && value.charCodeAt(value.length - 1) === QUOTE && !value.includes('\\'))
    return value.slice(1, -1);
  try {
    return JSON.parse(value) as string;
  } catch {
    return value.slice(1, -1);
  }
}

/** A leading Go-quoted string (klog's structured message), or null. */
export function leadingQuoted(text: string): { value: string; rest: string } | null {
  if (text.charCodeAt(0) !== QUOTE) return null;
  const end = quotedEnd(text, 0);
  if (end < 0) return null;
  return { value: unquote(text.slice(0, end)), rest: text.slice(end) };
}
