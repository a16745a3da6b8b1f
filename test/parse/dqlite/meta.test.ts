import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MetaFormatError, parseSnapshotMeta } from '../../../src/parse/dqlite/meta.js';

const META = join(import.meta.dirname, '../../fixtures/dqlite-real/multi-db/snapshot-1-112-3283766.meta');

describe('parseSnapshotMeta', () => {
  it('reads a .meta written by real raft', () => {
    const meta = parseSnapshotMeta(readFileSync(META));
    expect(meta).toEqual({
      formatVersion: 1,
      configurationIndex: 1,
      servers: [
        { id: String(0x2dc171858c3155ben), address: expect.stringMatching(/^127\.0\.0\.1:/), role: 'voter' },
      ],
      checksum: { stored: meta.checksum.computed, computed: meta.checksum.computed, ok: true },
    });
  });

  it('rejects every single flipped byte the checksum covers', () => {
    const original = readFileSync(META);
    for (let offset = 16; offset < original.length; offset++) {
      const bytes = Buffer.from(original);
      bytes[offset] = (bytes[offset] as number) ^ 0x01;
      expect(() => parseSnapshotMeta(bytes), `byte ${offset}`).toThrow(MetaFormatError);
    }
  });

  it('rejects a flipped checksum, a short file and a wrong format word', () => {
    const original = readFileSync(META);
    const badCrc = Buffer.from(original);
    badCrc[8] = (badCrc[8] as number) ^ 0xff;
    expect(() => parseSnapshotMeta(badCrc)).toThrow(/checksum mismatch/);
    expect(() => parseSnapshotMeta(original.subarray(0, 20))).toThrow(/shorter than its 32-byte header/);
    expect(() => parseSnapshotMeta(original.subarray(0, 60))).toThrow(/truncated/);
    const badFormat = Buffer.from(original);
    badFormat[0] = 2;
    expect(() => parseSnapshotMeta(badFormat)).toThrow(/format version 2/);
  });
});
