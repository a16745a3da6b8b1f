import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crc32Raft } from '../../../src/parse/dqlite/crc32-raft.js';

describe('crc32Raft (raft byteCrc32)', () => {
  it('has the non-reflected, init-0, no-xorout check value', () => {
    expect(crc32Raft(Buffer.from('123456789'))).toBe(0x89a1897f);
  });

  it('is 0 over zeros and chains like raft', () => {
    expect(crc32Raft(Buffer.alloc(64))).toBe(0);
    const data = Buffer.from('snapshot configuration bytes');
    expect(crc32Raft(data.subarray(10), crc32Raft(data.subarray(0, 10)))).toBe(crc32Raft(data));
  });

  it('matches the CRC stored in a .meta written by real raft', () => {
    const meta = readFileSync(
      join(import.meta.dirname, '../../fixtures/dqlite-real/kine-small/snapshot-1-32-3273363.meta'),
    );
    expect(crc32Raft(meta.subarray(16))).toBe(meta.readUInt32LE(8));
  });
});
