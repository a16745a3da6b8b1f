import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SequentialReader } from '../../../src/parse/dqlite/reader.js';

describe('SequentialReader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'howchain-reader-'));
  const data = Buffer.from(Array.from({ length: 10_000 }, (_, i) => i & 0xff));
  const path = join(dir, 'data');
  writeFileSync(path, data);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('shows every byte to onRead exactly once, across refills and a grown buffer', () => {
    const fd = openSync(path, 'r');
    try {
      const seen: Buffer[] = [];
      const reader = new SequentialReader(fd, data.length, (chunk) => seen.push(Buffer.from(chunk)), 64);
      expect(reader.need(10)).toBe(true);
      expect(reader.buffer.subarray(reader.start, reader.start + 10)).toEqual(data.subarray(0, 10));
      reader.skip(10);
      expect(reader.offset).toBe(10);
      expect(reader.need(500)).toBe(true); // more than the 64-byte buffer: it grows
      expect(reader.buffer.subarray(reader.start, reader.start + 500)).toEqual(data.subarray(10, 510));
      reader.skip(500);
      expect(reader.drain()).toBe(data.length - 510);
      expect(Buffer.concat(seen)).toEqual(data);
      expect(reader.need(1)).toBe(false);
    } finally {
      closeSync(fd);
    }
  });

  it('reads on into a buffer handed over once the current one is consumed', () => {
    const fd = openSync(path, 'r');
    try {
      const reader = new SequentialReader(fd, data.length, () => {}, 100);
      expect(reader.need(100)).toBe(true);
      const first = reader.buffer;
      expect(() => reader.useBuffer(Buffer.alloc(100))).toThrow(/unconsumed/);
      reader.skip(100);
      const second = Buffer.alloc(100);
      reader.useBuffer(second);
      expect(reader.need(100)).toBe(true);
      expect(reader.buffer).toBe(second);
      expect(second).toEqual(data.subarray(100, 200));
      expect(first).toEqual(data.subarray(0, 100)); // left untouched for its holder
    } finally {
      closeSync(fd);
    }
  });
});
