import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { leadingQuoted, parseKeyValues, unquote } from '../../../src/parse/logs/_kv.js';

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

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function logLines(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...logLines(path));
    else if (name.endsWith('.log')) found.push(...readFileSync(path, 'utf8').split('\n'));
  }
  return found;
}

describe('key=value reading', () => {
  it('reads every log line in samples/ (and each from its first quote) as the regex does', () => {
    const lines = logLines(fileURLToPath(new URL('../../../samples/', import.meta.url)));
    expect(lines.length).toBeGreaterThan(1000);
    for (const line of lines) {
      expect(parseKeyValues(line), line).toEqual(byRegex(line));
      const quoted = line.slice(Math.max(0, line.indexOf('"')));
      expect(leadingQuoted(quoted), quoted).toEqual(leadingByRegex(quoted));
    }
  });

  it('reads generated text of keys, quotes, escapes, whitespace kinds and line ends as the regex does', () => {
    const next = random(12);
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
