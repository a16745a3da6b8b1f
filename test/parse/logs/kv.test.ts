import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/analyze/correlate.js';
import { leadingQuoted, parseKeyValues, unquote } from '../../../src/parse/logs/_kv.js';
import { sampleLogLines } from '../_sample-logs.js';

/** The regexes the hand reader replaced: what it must give on every input. */
const PAIR = /(?:^|\s)([A-Za-z_][\w.\-]*)=("(?:[^"\\]|\\.)*"|[^\s"]*)/g;
function byRegex(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of text.matchAll(PAIR)) fields[match[1] as string] = slowUnquote(match[2] as string);
  return fields;
}
function slowUnquote(value: string): string {
  if (!value.startsWith('"')) return value;
  try {
    return JSON.parse(value) as string;
  } catch {
    return value.slice(1, -1);
  }
}
function leadingByRegex(text: string): { value: string; rest: string } | null {
  const match = /^"((?:[^"\\]|\\.)*)"/.exec(text);
  return match ? { value: slowUnquote(match[0]), rest: text.slice(match[0].length) } : null;
}

describe('key=value reading', () => {
  it('reads every log line in samples/ (and each from its first quote) as the regex does', () => {
    const lines = sampleLogLines();
    expect(lines.length).toBeGreaterThan(1000);
    for (const line of lines) {
      expect(parseKeyValues(line), line).toEqual(byRegex(line));
      const quoted = line.slice(Math.max(0, line.indexOf('"')));
      expect(leadingQuoted(quoted), quoted).toEqual(leadingByRegex(quoted));
    }
  });

  it('reads generated text of keys, quotes, escapes, whitespace kinds and line ends as the regex does', () => {
    const next = seededRandom(12);
    const pieces = [
      'a',
      'Z',
      '_',
      'k9',
      '.',
      '-',
      '=',
      '"',
      '\\',
      '\\"',
      '\\n',
      ' ',
      '\t',
      '\n',
      '\r',
      '\u00a0',
      '\u2028',
      '\u3000',
      'é',
      'x=1',
      'err="ctx"',
      'msg="a \\"b\\" c"',
      'v=',
      '\u0001',
      '0',
    ];
    for (let i = 0; i < 20_000; i++) {
      let text = '';
      const count = Math.floor(next() * 14);
      for (let j = 0; j < count; j++) text += pieces[Math.floor(next() * pieces.length)];
      expect(parseKeyValues(text), JSON.stringify(text)).toEqual(byRegex(text));
      expect(leadingQuoted(text), JSON.stringify(text)).toEqual(leadingByRegex(text));
      const quoted = `"${text}"`;
      expect(unquote(quoted), JSON.stringify(quoted)).toBe(slowUnquote(quoted));
      expect(unquote(`"${text}`), JSON.stringify(text)).toBe(slowUnquote(`"${text}`));
    }
  });
});
