/**
 * `key=value` pairs as klog structured logging, logrus and slog's TextHandler write them: values are
 * bare words or Go-quoted strings (`err="context deadline exceeded"`). Unquotes with JSON rules,
 * which match Go's strconv.Quote for the escapes these loggers emit.
 */
const PAIR = /(?:^|\s)([A-Za-z_][\w.\-]*)=("(?:[^"\\]|\\.)*"|[^\s"]*)/g;

export function parseKeyValues(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of text.matchAll(PAIR)) {
    const key = match[1] as string;
    fields[key] = unquote(match[2] as string);
  }
  return fields;
}

export function unquote(value: string): string {
  if (!value.startsWith('"')) return value;
  try {
    return JSON.parse(value) as string;
  } catch {
    return value.slice(1, -1);
  }
}

/** A leading Go-quoted string (klog's structured message), or null. */
export function leadingQuoted(text: string): { value: string; rest: string } | null {
  const match = /^"((?:[^"\\]|\\.)*)"/.exec(text);
  if (!match) return null;
  return { value: unquote(match[0]), rest: text.slice(match[0].length) };
}
