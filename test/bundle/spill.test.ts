import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { Spill } from '../../src/bundle/spill.js';

const spillFolders = () => readdirSync(tmpdir()).filter((name) => name.startsWith('howchain-spill-'));

describe('Spill', () => {
  it('gives back every record in the order written, across flushes and read boundaries', () => {
    const spill = new Spill<{ i: number; text: string }>();
    // Several MiB, with multi-byte characters so some fall across the 1 MiB reads.
    const records = Array.from({ length: 40_000 }, (_, i) => ({
      i,
      text: `Ünïcödé ✓ ${'x'.repeat(i % 97)} ${i}`,
    }));
    for (const record of records) spill.write(record);
    expect(spill.count).toBe(records.length);
    try {
      expect([...spill.drain()]).toEqual(records);
      // Drained: empty, and ready to be written again.
      expect(spill.count).toBe(0);
      spill.write({ i: -1, text: 'again' });
      expect([...spill.drain()]).toEqual([{ i: -1, text: 'again' }]);
    } finally {
      spill.close();
    }
  });

  it('keeps a few records in memory without touching the disk, and close removes its folder', () => {
    const before = new Set(spillFolders());
    const small = new Spill<string>();
    small.write('one');
    expect(spillFolders().filter((name) => !before.has(name))).toEqual([]);
    expect([...small.drain()]).toEqual(['one']);
    small.close();

    const large = new Spill<string>();
    for (let i = 0; i < 3000; i++) large.write('y'.repeat(1000));
    const made = spillFolders().filter((name) => !before.has(name));
    expect(made).toHaveLength(1);
    large.close();
    expect(existsSync(`${tmpdir()}/${made[0]}`)).toBe(false);
  });
});
