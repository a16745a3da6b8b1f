import { afterEach, describe, expect, it, vi } from 'vitest';
import { printJson } from '../../src/cli/output.js';

/** Each write printJson makes to stdout. */
async function writesOf(value: unknown): Promise<string[]> {
  const writes: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    writes.push(String(chunk));
    return true;
  });
  await printJson(value);
  vi.restoreAllMocks();
  return writes;
}

afterEach(() => vi.restoreAllMocks());

describe('printJson writes in pieces what JSON.stringify(value, null, 2) would', () => {
  const lazy = { toJSON: (key: string) => ({ restored: true, key }) };
  const cases: [string, unknown][] = [
    [
      'a plain result',
      { findings: [{ id: 'a', evidence: [{ file: 'x.log', line: 3 }] }], n: 1.5, ok: false },
    ],
    ['empty arrays and objects, nested', { a: [], b: {}, c: [[], [{}]], d: [{ e: [] }] }],
    [
      'what JSON leaves out or writes as null',
      { u: undefined, f: () => 1, s: Symbol('s'), list: [undefined, () => 1, NaN, Infinity, null] },
    ],
    [
      'toJSON, once, with its key',
      { when: new Date(0), event: lazy, list: [lazy], nested: { toJSON: () => lazy } },
    ],
    ['strings that need escaping', { 'k"\n': 'line\nbreak \u001b[31m "quoted" \\ \u2028 é 😀' }],
    ['a top-level array and primitives', [1, 'two', true, null]],
    ['a bare string', 'just text'],
  ];
  for (const [name, value] of cases)
    it(name, async () =>
      expect((await writesOf(value)).join('')).toBe(`${JSON.stringify(value, null, 2)}\n`),
    );

  it('a result larger than one write goes out in several', async () => {
    const value = { evidence: Array.from({ length: 5000 }, (_, i) => ({ file: `f${i}.log`, line: i })) };
    const writes = await writesOf(value);
    expect(writes.length).toBeGreaterThan(1);
    expect(writes.join('')).toBe(`${JSON.stringify(value, null, 2)}\n`);
  });

  it('waits for a reader that takes the output slowly, and writes all of it', async () => {
    const value = { evidence: Array.from({ length: 5000 }, (_, i) => ({ file: `f${i}.log`, line: i })) };
    const writes: string[] = [];
    let waiting = false;
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      // The next piece comes only once the last one is taken.
      expect(waiting).toBe(false);
      writes.push(String(chunk));
      waiting = true;
      setTimeout(() => {
        waiting = false;
        process.stdout.emit('drain');
      }, 1);
      return false;
    });
    await printJson(value);
    vi.restoreAllMocks();
    expect(writes.length).toBeGreaterThan(1);
    expect(writes.join('')).toBe(`${JSON.stringify(value, null, 2)}\n`);
  });
});
