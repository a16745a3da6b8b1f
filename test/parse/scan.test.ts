import { describe, expect, it } from 'vitest';
import { EVENT_NEEDLE_MASKS, EVENT_NEEDLES } from '../../src/parse/classify/index.js';
import { NeedleScanner, NeedleSet } from '../../src/parse/scan.js';
import { sampleLogLines } from './_sample-logs.js';

function scan(data: Buffer, needles: string[], chunkSize: number, options = {}) {
  const found: [number, string][] = [];
  const overlong: [number, number][] = [];
  const notJson: number[] = [];
  const scanner = new NeedleScanner(
    needles,
    {
      candidate: (text, line) => {
        found.push([line, text]);
      },
      overlong: (line, bytes) => overlong.push([line, bytes]),
      notJson: (line) => notJson.push(line),
    },
    options,
  );
  for (let at = 0; at < data.length; at += chunkSize) scanner.push(data.subarray(at, at + chunkSize));
  scanner.end();
  return { found, overlong, notJson, lines: scanner.lines };
}

/** What a slow, obviously-right reader would find. */
function naive(text: string, needles: string[]): [number, string][] {
  return text
    .split('\n')
    .map((line, index): [number, string] => [index + 1, line.replace(/\r$/, '')])
    .filter(([, line]) => needles.some((needle) => line.includes(needle)));
}

const needles = ['renew lease', 'leaderelection lost', 'Slow SQL'];
const lines: string[] = [];
for (let i = 0; i < 500; i++) {
  if (i % 37 === 0)
    lines.push(
      `I0401 09:12:${String(i % 60).padStart(2, '0')}.000000 1 x.go:1] failed to renew lease ns/l${i}: x`,
    );
  else if (i % 53 === 0) lines.push(`F0401 09:13:00.000000 1 c.go:2] leaderelection lost\r`);
  else if (i % 91 === 0)
    lines.push(`time="2026-04-01T00:00:00Z" level=info msg="Slow SQL (total time: 1s): SELECT renew lease"`);
  else lines.push(`I0401 09:12:00.000000 1 x.go:1] ordinary line number ${i} ${'x'.repeat(i % 17)}`);
}
const text = `${lines.join('\n')}\n`;

describe('NeedleScanner', () => {
  for (const chunkSize of [1, 3, 17, 4096, text.length]) {
    it(`finds the same lines with the same numbers in chunks of ${chunkSize}`, () => {
      const result = scan(Buffer.from(text), needles, chunkSize);
      expect(result.found).toEqual(naive(text, needles));
      expect(result.lines).toBe(500);
    });
  }

  for (const chunkSize of [1, 17, 4096, text.length]) {
    it(`offers the line after a known one to \`known\` before searching it (chunks of ${chunkSize})`, () => {
      // The callee knows lines with "renew lease" or "ordinary line number 1…": a known candidate
      // makes the scanner offer the next line first; a line it takes is neither searched nor a candidate.
      const knows = (line: string) => line.includes('renew lease') || line.includes('ordinary line number 1');
      const asked: number[] = [];
      const taken: [number, string][] = [];
      const candidates: [number, string][] = [];
      const scanner = new NeedleScanner(needles, {
        candidate: (line, number) => {
          candidates.push([number, line]);
          return knows(line);
        },
        known: (piece, start, end, number) => {
          const line = piece.slice(start, end).replace(/\r$/, '');
          asked.push(number);
          if (!knows(line)) return false;
          taken.push([number, line]);
          return true;
        },
      });
      const data = Buffer.from(text);
      for (let at = 0; at < data.length; at += chunkSize) scanner.push(data.subarray(at, at + chunkSize));
      scanner.end();
      expect(scanner.lines).toBe(500);
      const all = text
        .split('\n')
        .map((line, index): [number, string] => [index + 1, line.replace(/\r$/, '')]);
      // Every line offered follows a line the callee knew, as a candidate or offered itself.
      const knownNumbers = new Set(
        [...taken, ...candidates.filter(([, line]) => knows(line))].map(([n]) => n),
      );
      for (const number of asked) expect(knownNumbers.has(number - 1), `line ${number}`).toBe(true);
      expect(asked.length).toBeGreaterThan(10);
      // Candidates are the needle lines not taken; together with the taken ones, each line at most once.
      const takenNumbers = new Set(taken.map(([n]) => n));
      expect(candidates).toEqual(naive(text, needles).filter(([n]) => !takenNumbers.has(n)));
      for (const [number, line] of taken) expect(line).toBe(all[number - 1]?.[1]);
      expect(taken.some(([, line]) => line.includes('ordinary'))).toBe(true);
    });
  }

  it('reads a last line without a newline', () => {
    expect(scan(Buffer.from('a\nb renew lease c'), needles, 4).found).toEqual([[2, 'b renew lease c']]);
  });

  it('skips an over-long line once, reports it, and keeps counting lines after it', () => {
    const long = `start ${'y'.repeat(5 * 1024 * 1024)} renew lease end`;
    const data = Buffer.from(`one renew lease\n${long}\nthree renew lease\n`);
    const result = scan(data, needles, 65536, { maxLineBytes: 1 << 20 });
    expect(result.found).toEqual([
      [1, 'one renew lease'],
      [3, 'three renew lease'],
    ]);
    expect(result.overlong).toHaveLength(1);
    expect(result.overlong[0]?.[0]).toBe(2);
    expect(result.lines).toBe(3);
  });

  it('skips an over-long line that fits in one chunk too', () => {
    const data = Buffer.from(`a\n${'z'.repeat(300)} renew lease\nrenew lease ok\n`);
    const result = scan(data, needles, data.length, { maxLineBytes: 100 });
    expect(result.found).toEqual([[3, 'renew lease ok']]);
    expect(result.overlong.map(([line]) => line)).toEqual([2]);
  });

  it('holds every line to the limit, not only lines with a needle, in one chunk or across chunks', () => {
    const data = Buffer.from(`a\n${'z'.repeat(300)}\nrenew lease ok\n${'w'.repeat(500)}\nrenew lease two\n`);
    for (const chunkSize of [data.length, 64, 7]) {
      const result = scan(data, needles, chunkSize, { maxLineBytes: 100 });
      expect(result.found).toEqual([
        [3, 'renew lease ok'],
        [5, 'renew lease two'],
      ]);
      // Reported once, at the first over-long line: line 2 has no needle.
      expect(result.overlong.map(([line]) => line)).toEqual([2]);
      expect(result.lines).toBe(5);
    }
  });

  it('does not also call an over-long line of a JSON log a cut-off object', () => {
    const data = Buffer.from(`{"msg":"a"}\n{"msg":"${'x'.repeat(300)}\n{"msg":"renew lease"}\n`);
    const result = scan(data, needles, data.length, { jsonLines: true, maxLineBytes: 100 });
    expect(result.overlong.map(([line]) => line)).toEqual([2]);
    expect(result.notJson).toEqual([]);
    expect(result.found).toEqual([[3, '{"msg":"renew lease"}']]);
  });

  it('flags lines that are not JSON objects in a JSON log', () => {
    const data = Buffer.from('{"msg":"a"}\n{"msg":"b"\nnot json\n\n{"msg":"renew lease"}\r\n');
    const result = scan(data, needles, 5, { jsonLines: true });
    expect(result.notJson).toEqual([2, 3]);
    expect(result.found).toEqual([[5, '{"msg":"renew lease"}']]);
  });
});

describe('NeedleSet', () => {
  /** The obvious search: every needle at every position. */
  function naiveMask(text: string, needles: string[], masks: number[]): number {
    return needles.reduce(
      (mask, needle, index) => (text.includes(needle) ? mask | (masks[index] as number) : mask),
      0,
    );
  }
  function naiveFirst(text: string, needles: string[]): number {
    const starts = needles.map((needle) => text.indexOf(needle)).filter((at) => at >= 0);
    return starts.length === 0 ? -1 : Math.min(...starts);
  }

  it('finds the leftmost needle and every needle of a line, overlapping and nested ones too', () => {
    const needles = ['renew lease', 'renew leadership', 'lease lock', 'leader', 'ease l', 'Slow SQL'];
    const masks = [1, 2, 4, 8, 16, 32];
    const set = new NeedleSet(needles, masks);
    const lines = [
      'failed to renew lease lock kube-system/x',
      'renew leadership on leader lease',
      'nothing here at all, not even a near one: renew leas',
      'Slow SQLSlow SQ',
      'ease lease lockrenew lease',
      'rrenew leadershiprenew lease',
      'é renew lease ø, Łease lock',
    ];
    for (const line of lines) {
      const bytes = Buffer.from(line, 'latin1');
      const ascii = line.split('').every((char) => char.charCodeAt(0) < 128);
      if (ascii) expect(set.firstIn(bytes, 0, bytes.length), line).toBe(naiveFirst(line, needles));
      expect(set.maskOf(line), line).toBe(naiveMask(line, needles, masks));
    }
  });

  it('agrees with the obvious search for the classifier needles on every log line in samples/', () => {
    const set = new NeedleSet(EVENT_NEEDLES, EVENT_NEEDLE_MASKS);
    const sample = sampleLogLines();
    expect(sample.length).toBeGreaterThan(1000);
    for (const line of sample) {
      const bytes = Buffer.from(line);
      expect(set.maskIn(bytes, 0, bytes.length)).toBe(naiveMask(line, EVENT_NEEDLES, EVENT_NEEDLE_MASKS));
    }
  });

  it('does not find a needle across the end of the range it is given', () => {
    const set = new NeedleSet(['renew lease'], [1]);
    const bytes = Buffer.from('xx renew lease');
    expect(set.firstIn(bytes, 0, bytes.length - 1)).toBe(-1);
    expect(set.firstIn(bytes, 4, bytes.length)).toBe(-1);
    expect(set.firstIn(bytes, 3, bytes.length)).toBe(3);
    expect(set.maskIn(bytes, 0, bytes.length - 1)).toBe(0);
  });
});
