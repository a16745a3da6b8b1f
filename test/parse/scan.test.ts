import { describe, expect, it } from 'vitest';
import { NeedleScanner } from '../../src/parse/scan.js';

function scan(data: Buffer, needles: string[], chunkSize: number, options = {}) {
  const found: [number, string][] = [];
  const overlong: [number, number][] = [];
  const notJson: number[] = [];
  const scanner = new NeedleScanner(
    needles,
    {
      candidate: (text, line) => found.push([line, text]),
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

  it('flags lines that are not JSON objects in a JSON log', () => {
    const data = Buffer.from('{"msg":"a"}\n{"msg":"b"\nnot json\n\n{"msg":"renew lease"}\r\n');
    const result = scan(data, needles, 5, { jsonLines: true });
    expect(result.notJson).toEqual([2, 3]);
    expect(result.found).toEqual([[5, '{"msg":"renew lease"}']]);
  });
});
