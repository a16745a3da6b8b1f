import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Lz4FormatError, decodeLz4Frame, readLz4FrameHeader } from '../../../src/parse/dqlite/lz4-frame.js';
import { SequentialReader } from '../../../src/parse/dqlite/reader.js';
import { xxh32 } from '../../../src/parse/dqlite/xxh32.js';

const REAL = join(import.meta.dirname, '../../fixtures/dqlite-real');

/** Decodes a whole file (a Buffer is written to a temp file first); returns output size and hash. */
async function decode(source: string | Buffer, maxOutputBytes = 1 << 30) {
  let path = source as string;
  let scratch: string | null = null;
  if (typeof source !== 'string') {
    scratch = mkdtempSync(join(tmpdir(), 'howchain-lz4-test-'));
    path = join(scratch, 'frame.lz4');
    writeFileSync(path, source);
  }
  const fd = openSync(path, 'r');
  try {
    const hash = createHash('sha256');
    let bytes = 0;
    const reader = new SequentialReader(fd, statSync(path).size, () => {});
    const header = readLz4FrameHeader(reader);
    const result = await decodeLz4Frame(
      reader,
      header,
      (b, s, e) => {
        hash.update(b.subarray(s, e));
        bytes += e - s;
      },
      maxOutputBytes,
    );
    return { header, result, bytes, sha256: hash.digest('hex') };
  } finally {
    closeSync(fd);
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

/** A frame of stored (uncompressed) blocks, with every optional field switched on. */
function storedFrame(payload: Buffer, blockSize: number, corruptBlockChecksum = false): Buffer {
  const descriptor = Buffer.alloc(10);
  descriptor[0] = 0x7c; // version 01, independent blocks, block checksums, content size, content checksum
  descriptor[1] = 0x40; // 64 KiB blocks
  descriptor.writeBigUInt64LE(BigInt(payload.length), 2);
  const parts: Buffer[] = [
    Buffer.from([0x04, 0x22, 0x4d, 0x18]),
    descriptor,
    Buffer.from([(xxh32(descriptor) >>> 8) & 0xff]),
  ];
  for (let at = 0; at < payload.length; at += blockSize) {
    const block = payload.subarray(at, at + blockSize);
    const word = Buffer.alloc(4);
    word.writeUInt32LE((block.length | 0x80000000) >>> 0);
    const sum = Buffer.alloc(4);
    sum.writeUInt32LE((xxh32(block) ^ (corruptBlockChecksum ? 1 : 0)) >>> 0);
    parts.push(word, block, sum);
  }
  const end = Buffer.alloc(8);
  end.writeUInt32LE(xxh32(payload), 4);
  return Buffer.concat([...parts, end]);
}

describe('LZ4 frames written by real raft (linked blocks)', () => {
  for (const scenario of ['kine-small', 'multi-db']) {
    const truth = JSON.parse(readFileSync(join(REAL, scenario, 'ground-truth.json'), 'utf8')) as {
      snapshots: { file: string; lz4_cli_check: { payload_sha256: string; payload_size: number } }[];
    };
    for (const snapshot of truth.snapshots) {
      it(`${scenario}/${snapshot.file} decodes to the bytes lz4 -d produced`, async () => {
        const { header, result, bytes, sha256 } = await decode(join(REAL, scenario, snapshot.file));
        expect(header).toMatchObject({ blockIndependent: false, contentChecksum: true, blockMaxSize: 65536 });
        expect(header.contentSize).toBe(snapshot.lz4_cli_check.payload_size);
        expect(bytes).toBe(snapshot.lz4_cli_check.payload_size);
        expect(result.contentChecksum?.stored).toBe(result.contentChecksum?.computed);
        expect(sha256).toBe(snapshot.lz4_cli_check.payload_sha256);
      });
    }
  }

  it('decodes the same whatever the read chunk size', async () => {
    const file = join(REAL, 'kine-small/snapshot-1-64-3274671');
    const fd = openSync(file, 'r');
    try {
      const hashes = [];
      for (const chunk of [7, 4096, 1 << 20]) {
        const hash = createHash('sha256');
        const reader = new SequentialReader(fd, statSync(file).size, () => {}, chunk);
        await decodeLz4Frame(
          reader,
          readLz4FrameHeader(reader),
          (b, s, e) => void hash.update(b.subarray(s, e)),
          1 << 30,
        );
        hashes.push(hash.digest('hex'));
      }
      expect(new Set(hashes).size).toBe(1);
    } finally {
      closeSync(fd);
    }
  });
});

describe('LZ4 frame options raft does not use', () => {
  const payload = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919) & 0xff));

  it('stored blocks with block checksums and independent blocks', async () => {
    const { bytes, sha256 } = await decode(storedFrame(payload, 65536));
    expect(bytes).toBe(payload.length);
    expect(sha256).toBe(createHash('sha256').update(payload).digest('hex'));
  });

  it('rejects a bad block checksum', async () => {
    await expect(decode(storedFrame(payload, 65536, true))).rejects.toThrow(/fails its block checksum/);
  });

  it('rejects a bad header checksum and reserved bits', async () => {
    const frame = storedFrame(payload, 65536);
    const badHeader = Buffer.from(frame);
    badHeader[14] = (badHeader[14] as number) ^ 0xff;
    await expect(decode(badHeader)).rejects.toThrow(/header checksum mismatch/);
    const reserved = Buffer.from(frame);
    reserved[4] = (reserved[4] as number) | 0x02;
    await expect(decode(reserved)).rejects.toThrow(Lz4FormatError);
  });

  it('every fixture folder is covered above', () => {
    expect(
      readdirSync(REAL)
        .filter((n) => !n.includes('.'))
        .sort(),
    ).toEqual(['kine-small', 'multi-db', 'uncompressed']);
  });
});

/** The lz4 CLI is installed by .ci/run; where it is absent these cases say so and skip. */
const hasLz4Cli = spawnSync('lz4', ['--version']).status === 0;

describe.skipIf(!hasLz4Cli)(
  'LZ4 frames of independent blocks (the lz4 CLI defaults; needs the lz4 CLI)',
  () => {
    const snapshot = join(REAL, 'kine-small/snapshot-1-128-3276974');
    const truth = JSON.parse(readFileSync(join(REAL, 'kine-small', 'ground-truth.json'), 'utf8')) as {
      snapshots: { file: string; lz4_cli_check: { payload_sha256: string; payload_size: number } }[];
    };
    const expected = truth.snapshots.find((entry) => entry.file === 'snapshot-1-128-3276974')!.lz4_cli_check;

    /** A real snapshot's payload re-compressed the way a person with the lz4 CLI would: independent blocks. */
    function recompressed(): Buffer {
      const payload = execFileSync('lz4', ['-d', '-c', snapshot], { maxBuffer: 1 << 28 });
      return execFileSync('lz4', ['-c', '-B4', '-BI', '--content-size'], {
        input: payload,
        maxBuffer: 1 << 28,
      });
    }

    it('decodes to the same bytes as the raft-written frame', async () => {
      const { header, bytes, sha256 } = await decode(recompressed());
      expect(header.blockIndependent).toBe(true);
      expect(bytes).toBe(expected.payload_size);
      expect(sha256).toBe(expected.payload_sha256);
    });

    it('rejects a corrupted block', async () => {
      const frame = recompressed();
      // Reading stdin, the CLI cannot declare a content size: magic, FLG, BD and header checksum only.
      const headerBytes = 4 + 1 + 1 + 1;
      // The first block's size word follows the header; its first sequence token follows that.
      frame[headerBytes + 4] = 0xff;
      frame[headerBytes + 5] = 0xff;
      await expect(decode(frame)).rejects.toThrow(/^corrupt LZ4 block at byte 7$/);
    });
  },
);
