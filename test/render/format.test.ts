import { describe, expect, it } from 'vitest';
import {
  citation,
  codeBlock,
  escapeMarkdown,
  formatBytes,
  formatDuration,
  formatPercent,
  formatTime,
  inlineCode,
} from '../../src/render/format.js';

describe('format', () => {
  it('bytes in decimal units', () => {
    expect(formatBytes(225_443_840)).toBe('225 MB');
    expect(formatBytes(21_971_012)).toBe('22.0 MB');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(null)).toBe('unknown size');
  });

  it('durations', () => {
    expect(formatDuration(0.25)).toBe('250 ms');
    expect(formatDuration(9.64)).toBe('9.6 s');
    expect(formatDuration(125)).toBe('2 min 5 s');
    expect(formatDuration(36 * 3600 + 60)).toBe('1 d 12 h');
    expect(formatDuration(null)).toBe('unknown');
  });

  it('times in UTC', () => {
    expect(formatTime('2026-03-31T22:04:43.996Z')).toBe('2026-03-31 22:04:43 UTC');
    expect(formatTime(null)).toBe('unknown time');
  });

  it('percentages', () => {
    expect(formatPercent(0.7566)).toBe('76%');
    expect(formatPercent(0.0833)).toBe('8.3%');
  });

  it('escapes Markdown in log text', () => {
    expect(escapeMarkdown('a *b* [c](d) | e_f\nline')).toBe('a \\*b\\* \\[c\\](d) \\| e\\_f line');
  });

  it('inline code survives backticks and pipes', () => {
    expect(inlineCode('err="x" | y')).toBe('`err="x" \\| y`');
    expect(inlineCode('a `b` c')).toBe('``a `b` c``');
    expect(inlineCode('`edge')).toBe('`` `edge ``');
  });

  it('code blocks cannot be closed by the text', () => {
    expect(codeBlock('x\n```\ny')).toBe('````text\nx\n```\ny\n````');
  });

  it('cites file:line with a short hash', () => {
    expect(citation({ file: 'a.log', line: 3, sha256: '0123456789abcdef' })).toBe(
      '`a.log:3` (sha256 0123456789ab)',
    );
    expect(citation({ file: 'pods.json', object: 'pod/ci/x', sha256: 'ff' })).toBe(
      '`pods.json pod/ci/x` (sha256 ff)',
    );
  });
});

describe('evidence text in pir.md and on the terminal', async () => {
  const { marked } = await import('marked');
  const { terminalText } = await import('../../src/render/format.js');
  const hostile = [
    '<img src=x onerror=alert(1)>',
    '[click](javascript:alert(1))',
    '![x](http://attacker.example/x.png)',
    '\n# Injected heading',
    '`code` break ``` out',
    'bell\u0007 esc\u001b[31m cr\rover',
  ];

  it('escapeMarkdown: rendered, no tag, link, image or heading comes out of it', () => {
    for (const text of hostile) {
      const html = marked.parse(`Before ${escapeMarkdown(text)} after`) as string;
      expect(html, text).not.toMatch(/<(?!\/?p>)[a-z]/i);
      expect(html, text).not.toContain('href=');
    }
  });

  it('inlineCode: stays one code span whatever the backticks, controls shown as \\xNN', () => {
    for (const text of hostile) {
      const html = marked.parse(`Before ${inlineCode(text)} after`) as string;
      expect(html.match(/<code>/g), text).toHaveLength(1);
      expect(html, text).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    }
  });

  it('terminalText: escape sequences, bells, carriage returns and line breaks are shown, not acted on', () => {
    expect(terminalText('a\u001b[2Jb\u0007c\rd\ne\u009bf')).toBe('a\\x1b[2Jb\\x07c\\x0dd\\x0ae\\x9bf');
  });
});
