import { describe, expect, it } from 'vitest';
import { Xxh32, xxh32 } from '../../../src/parse/dqlite/xxh32.js';

describe('xxh32', () => {
  it('matches the reference vectors', () => {
    expect(xxh32(Buffer.alloc(0))).toBe(0x02cc5d05);
    expect(xxh32(Buffer.from('a'))).toBe(0x550d7456);
    expect(xxh32(Buffer.from('abc'))).toBe(0x32d153ff);
    expect(xxh32(Buffer.from('Nobody inspects the spammish repetition'))).toBe(0xe2293b2f);
  });

  it('gives the same digest on word-aligned and unaligned views (two code paths)', () => {
    const backing = Buffer.alloc(4096 + 8);
    for (let i = 0; i < backing.length; i++) backing[i] = (i * 131 + 7) & 0xff;
    const digests = [0, 1, 2, 3, 4].map((shift) => {
      const view = Buffer.alloc(4096 + 8);
      backing.copy(view, shift, 0, 4096);
      return xxh32(view.subarray(shift, shift + 4096));
    });
    expect(new Set(digests).size).toBe(1);
    expect(digests[0]).toBe(
      new Xxh32().update(backing.subarray(0, 1000)).update(backing.subarray(1000, 4096)).digest(),
    );
  });

  it('gives the same digest however the input is split', () => {
    const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 37) & 0xff));
    const whole = xxh32(data);
    for (const step of [1, 3, 15, 16, 17, 100]) {
      const hash = new Xxh32();
      for (let i = 0; i < data.length; i += step) hash.update(data, i, Math.min(data.length, i + step));
      expect(hash.digest(), `step ${step}`).toBe(whole);
    }
  });
});
