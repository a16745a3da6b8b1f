import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xxh32 } from '../../src/parse/dqlite/xxh32.js';
import { fingerprint, runCli } from './snapshot-helpers.js';

const REAL = join(import.meta.dirname, '../fixtures/dqlite-real');
const COMPRESSED = join(REAL, 'kine-small/snapshot-1-160-3278102');
const UNCOMPRESSED = join(REAL, 'uncompressed/snapshot-1-16-3285823');

/** An LZ4 frame of blocks that each expand 267 bytes into 64 KiB of 'A' (a decompression bomb). */
function lz4Bomb(blocks: number, declaredSize: bigint | null): Buffer {
  const flg = declaredSize === null ? 0x60 : 0x68;
  const descriptor = Buffer.alloc(declaredSize === null ? 2 : 10);
  descriptor[0] = flg;
  descriptor[1] = 0x40;
  if (declaredSize !== null) descriptor.writeBigUInt64LE(declaredSize, 2);
  const header = Buffer.concat([
    Buffer.from([0x04, 0x22, 0x4d, 0x18]),
    descriptor,
    Buffer.from([(xxh32(descriptor) >>> 8) & 0xff]),
  ]);
  // 1 literal, a 65,530-byte match at offset 1, then 5 closing literals: 65,536 bytes out.
  const block = Buffer.concat([
    Buffer.from([0x1f, 0x41, 0x01, 0x00]),
    Buffer.alloc(256, 0xff),
    Buffer.from([65530 - 19 - 255 * 256]),
    Buffer.from([0x50, 0x41, 0x41, 0x41, 0x41, 0x41]),
  ]);
  const size = Buffer.alloc(4);
  size.writeUInt32LE(block.length);
  return Buffer.concat([
    header,
    ...Array.from({ length: blocks }, () => [size, block]).flat(),
    Buffer.alloc(4),
  ]);
}

function withMeta(dir: string, name: string, source: string, data: Buffer): string {
  writeFileSync(join(dir, name), data);
  copyFileSync(`${source}.meta`, join(dir, `${name}.meta`));
  return join(dir, name);
}

describe('snapshot commands on bad input', () => {
  let dir: string;
  let untouched: Record<string, string>;
  const compressed = readFileSync(COMPRESSED);
  const uncompressed = readFileSync(UNCOMPRESSED);

  const cases: [string, () => string[], RegExp][] = [
    [
      'zero-byte file',
      () => [withMeta(dir, 'snapshot-1-1-1', COMPRESSED, Buffer.alloc(0))],
      /empty file \(0 bytes\)/,
    ],
    [
      'not a snapshot',
      () => [withMeta(dir, 'snapshot-1-2-1', COMPRESSED, Buffer.from('apiVersion: v1\nkind: Pod\n'))],
      /not a dqlite snapshot: starts with bytes 61 70 69 56/,
    ],
    [
      'wrong magic (LZ4 legacy frame)',
      () => [
        withMeta(
          dir,
          'snapshot-1-3-1',
          COMPRESSED,
          Buffer.concat([Buffer.from([0x02, 0x21, 0x4c, 0x18]), compressed.subarray(4)]),
        ),
      ],
      /LZ4 legacy frame/,
    ],
    [
      'truncated LZ4 frame',
      () => [withMeta(dir, 'snapshot-1-4-1', COMPRESSED, compressed.subarray(0, compressed.length >> 1))],
      /LZ4 frame truncated/,
    ],
    [
      'corrupted block',
      () => {
        const bad = Buffer.from(compressed);
        for (let i = 300_000; i < 300_064; i++) bad[i] = 0xff;
        return [withMeta(dir, 'snapshot-1-5-1', COMPRESSED, bad)];
      },
      /corrupt LZ4 block at byte \d+|LZ4 content checksum mismatch/,
    ],
    [
      'bad content checksum',
      () => {
        const bad = Buffer.from(compressed);
        bad[bad.length - 1] = (bad[bad.length - 1] as number) ^ 0x55;
        return [withMeta(dir, 'snapshot-1-6-1', COMPRESSED, bad)];
      },
      /LZ4 content checksum mismatch: stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}/,
    ],
    [
      'flipped byte in .meta',
      () => {
        const path = withMeta(dir, 'snapshot-1-7-1', COMPRESSED, compressed);
        chmodSync(`${path}.meta`, 0o644);
        const meta = readFileSync(`${path}.meta`);
        meta[40] = (meta[40] as number) ^ 0x01;
        writeFileSync(`${path}.meta`, meta);
        return [path];
      },
      /snapshot-1-7-1\.meta: \.meta checksum mismatch/,
    ],
    [
      'declared sizes larger than the file',
      () => {
        const bad = Buffer.from(uncompressed);
        bad.writeBigUInt64LE(1n << 40n, 24); // main_size of database 1 ('k8s' + NUL pad to 8 after the 16-byte header)
        return [withMeta(dir, 'snapshot-1-8-1', UNCOMPRESSED, bad)];
      },
      /database 'k8s' declares 1099511627776 main \+ \d+ WAL bytes, more than the \d+-byte payload holds/,
    ],
    [
      'truncated uncompressed payload',
      () => [withMeta(dir, 'snapshot-1-9-1', UNCOMPRESSED, uncompressed.subarray(0, 100_000))],
      /database 'k8s' declares|payload ends after 100000 bytes/,
    ],
    [
      'LZ4 bomb past --max-output',
      () => [withMeta(dir, 'snapshot-1-10-1', COMPRESSED, lz4Bomb(40, null)), '--max-output', '1M'],
      /LZ4 output passed the 1048576-byte cap \(decompression bomb\?\)/,
    ],
    [
      'LZ4 bomb declaring more than the default cap',
      () => [withMeta(dir, 'snapshot-1-11-1', COMPRESSED, lz4Bomb(1, 1n << 40n))],
      /declares 1099511627776 bytes of content, over the 4294967296-byte cap/,
    ],
    ['missing file', () => [join(dir, 'snapshot-9-9-9')], /snapshot-9-9-9: cannot read: ENOENT/],
    [
      'the .meta instead of the snapshot',
      () => [withMeta(dir, 'snapshot-1-17-1', COMPRESSED, compressed).concat('.meta')],
      /snapshot-1-17-1\.meta: this is raft's metadata file; give the snapshot beside it \(snapshot-1-17-1\)/,
    ],
    [
      'a folder',
      () => {
        mkdirSync(join(dir, 'snapshot-1-15-1'));
        return [join(dir, 'snapshot-1-15-1')];
      },
      /snapshot-1-15-1: not a regular file/,
    ],
    [
      'a FIFO (must not block)',
      () => {
        execFileSync('mkfifo', [join(dir, 'snapshot-1-16-1')]);
        return [join(dir, 'snapshot-1-16-1')];
      },
      /snapshot-1-16-1: not a regular file/,
    ],
  ];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'howchain-bad-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(cases)('%s: one line naming the file, exit 2, no temp files left', async (_, make, problem) => {
    const [file, ...flags] = make();
    untouched = fingerprint(dir);
    const run = await runCli(['snapshot', 'inspect', file as string, ...flags]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n'), run.stderr).toHaveLength(1);
    expect(run.stderr).toMatch(new RegExp(`^howchain: ${file}`));
    expect(run.stderr).toMatch(problem);
    expect(run.leftovers).toEqual([]);
    expect(fingerprint(dir)).toEqual(untouched);
  });

  it('shows the stack only with --debug', async () => {
    const file = withMeta(dir, 'snapshot-1-12-1', COMPRESSED, Buffer.alloc(0));
    const run = await runCli(['snapshot', 'inspect', file, '--debug']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/EvidenceError: empty file/);
    expect(run.stderr).toMatch(/\n\s+at /);
  });

  it('diff and extract fail the same way', async () => {
    const bad = withMeta(dir, 'snapshot-1-13-1', COMPRESSED, Buffer.alloc(0));
    const diff = await runCli(['snapshot', 'diff', COMPRESSED, bad]);
    expect(diff.code).toBe(2);
    expect(diff.stderr.trimEnd()).toBe(`howchain: ${bad}: empty file (0 bytes), not a dqlite snapshot`);
    const out = mkdtempSync(join(tmpdir(), 'howchain-extract-'));
    const extract = await runCli(['snapshot', 'extract', bad, '--out', join(out, 'x')]);
    expect(extract.code).toBe(2);
    expect(extract.leftovers).toEqual([]);
    rmSync(out, { recursive: true, force: true });
  });

  it('a missing .meta is a warning, not an error', async () => {
    const path = join(dir, 'snapshot-1-14-1');
    writeFileSync(path, compressed);
    const run = await runCli(['snapshot', 'inspect', path, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/warning: .*snapshot-1-14-1: no snapshot-1-14-1\.meta beside the snapshot/);
    const report = JSON.parse(run.stdout) as {
      meta: { configurationIndex: number | null };
      warnings: string[];
    };
    expect(report.meta.configurationIndex).toBeNull();
    expect(report.warnings).toHaveLength(1);
  });
});
