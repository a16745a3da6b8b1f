/**
 * GunzipMembers on files made by gzip(1) and tar(1): concatenated members, trailing junk, zero
 * padding, a cut and a damaged trailer — read the same whatever the chunking of the input.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { describeGzipProblem, GunzipMembers } from '../../src/bundle/gunzip.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { fingerprint, makeBundle, scratch, tarOf } from './_bundle.js';

const cleanup: string[] = [];
afterEach(() => {
  for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const LEASE_LINE = (i: number) =>
  `2026-03-31T22:04:43.996994772Z I0331 22:04:43.996761       1 leaderelection.go:297] failed to renew lease kube-system/c${i}: context deadline exceeded\n`;

/** Text that compresses poorly, so members span many input chunks. */
function filler(lines: number, seed: number): string {
  let text = '';
  for (let i = 0; i < lines; i++) text += `${(i * 2654435761 + seed) % 4294967296} ${Math.sin(i + seed)}\n`;
  return text;
}

/** gzip(1) of each text, concatenated (as `gzip -c a >> x.gz` makes them); the name is stored. */
function gzipMembers(dir: string, texts: (string | Buffer)[]): Buffer {
  return Buffer.concat(
    texts.map((text, i) => {
      const path = join(dir, `part${i}.txt`);
      writeFileSync(path, text);
      return execFileSync('gzip', ['-c', path]);
    }),
  );
}

async function gunzip(input: Buffer, chunkBytes: number): Promise<{ out: Buffer; problem: string | null }> {
  const stream = new GunzipMembers();
  const out: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => out.push(chunk));
  const ended = new Promise((resolve, reject) => stream.on('end', resolve).on('error', reject));
  for (let at = 0; at < input.length; at += chunkBytes) stream.write(input.subarray(at, at + chunkBytes));
  stream.end();
  await ended;
  return { out: Buffer.concat(out), problem: stream.problem && describeGzipProblem(stream.problem) };
}

const CHUNKINGS = [1, 9, 4096, 1 << 20];

describe('GunzipMembers', () => {
  it('reads concatenated gzip members (RFC 1952) as one stream', async () => {
    const dir = scratch();
    cleanup.push(dir);
    const texts = [filler(800, 1), 'short\n', filler(300, 2)];
    const input = gzipMembers(dir, texts);
    for (const chunk of CHUNKINGS)
      expect(await gunzip(input, chunk), `chunks of ${chunk}`).toEqual({
        out: Buffer.from(texts.join('')),
        problem: null,
      });
  });

  it('names trailing junk by offset and length, and keeps everything before it', async () => {
    const dir = scratch();
    cleanup.push(dir);
    const texts = [filler(300, 3), filler(300, 4)];
    const valid = gzipMembers(dir, texts);
    const junk = Buffer.from('\n\0\0junk after the data\n');
    for (const chunk of CHUNKINGS)
      expect(await gunzip(Buffer.concat([valid, junk]), chunk), `chunks of ${chunk}`).toEqual({
        out: Buffer.from(texts.join('')),
        problem: `${junk.length} bytes of trailing junk after the gzip data (from byte ${valid.length}); ignored, everything before it was read`,
      });
  });

  it('skips zero padding after the last member, as gzip(1) does', async () => {
    const dir = scratch();
    cleanup.push(dir);
    const input = Buffer.concat([gzipMembers(dir, ['padded\n']), Buffer.alloc(10_240)]);
    for (const chunk of CHUNKINGS)
      expect(await gunzip(input, chunk)).toEqual({ out: Buffer.from('padded\n'), problem: null });
  });

  it('stops at a cut or a damaged trailer, with what was decoded before', async () => {
    const dir = scratch();
    cleanup.push(dir);
    const text = filler(20_000, 5);
    const whole = gzipMembers(dir, [text]);
    const cut = await gunzip(whole.subarray(0, whole.length >> 1), 4096);
    expect(cut.problem).toBe('truncated gzip data (unexpected end of file)');
    expect(cut.out.length).toBeGreaterThan(0);
    expect(text.startsWith(cut.out.toString())).toBe(true);
    const damaged = Buffer.from(whole);
    damaged[damaged.length - 8]! ^= 0xff;
    expect((await gunzip(damaged, 4096)).problem).toBe(
      'corrupt gzip data (CRC-32 mismatch in gzip member 1)',
    );
    const notDeflate = Buffer.from(whole);
    notDeflate[2] = 7;
    expect(await gunzip(notDeflate, 4096)).toEqual({
      out: Buffer.alloc(0),
      problem: 'corrupt gzip data (compression method 7 in a gzip header (only 8, deflate, exists))',
    });
  });

  // zlib's own CRC-32 (Node 20.15+) computes the expected value independently of ours.
  const zlibCrc32 = (zlib as { crc32?: (data: Buffer) => number }).crc32;
  it.skipIf(zlibCrc32 === undefined)('checks the header CRC when the header has one (FHCRC)', async () => {
    const dir = scratch();
    cleanup.push(dir);
    const plain = gzipMembers(dir, ['checked header\n']);
    // gzip(1) writes no header CRC: add one to its member, after the name field it wrote.
    const headerEnd = plain.indexOf(0, 10) + 1;
    const header = Buffer.from(plain.subarray(0, headerEnd));
    header[3]! |= 0x02;
    const crc = Buffer.alloc(2);
    crc.writeUInt16LE(zlibCrc32!(header) & 0xffff);
    const withCrc = Buffer.concat([header, crc, plain.subarray(headerEnd)]);
    expect(execFileSync('gzip', ['-dc'], { input: withCrc }).toString()).toBe('checked header\n');
    expect(await gunzip(withCrc, 5)).toEqual({ out: Buffer.from('checked header\n'), problem: null });
    withCrc[headerEnd]! ^= 0xff;
    expect(await gunzip(withCrc, 5)).toEqual({
      out: Buffer.alloc(0),
      problem: 'corrupt gzip data (gzip header CRC mismatch)',
    });
  });
});

describe('archives and compressed files with junk after the gzip data', () => {
  it('a tar -czf archive with junk appended: every member is read and the junk named once', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 6; i++) files[`node/logs/m${i}.log`] = LEASE_LINE(i) + filler(2_000, i);
    const { root, dir } = makeBundle('evidence', { files });
    cleanup.push(root);
    const archive = tarOf(dir, join(root, 'evidence.tar.gz'));
    const size = readFileSync(archive).length;
    appendFileSync(archive, 'junk\n');
    const before = fingerprint(root);
    const data = await ingest([archive]);
    expect(data.manifest.map((entry) => entry.path).sort()).toEqual(Object.keys(files).sort());
    expect(data.events.map((event) => event.subject).sort()).toEqual(
      [0, 1, 2, 3, 4, 5].map((i) => `kube-system/c${i}`),
    );
    expect(data.problems).toEqual([
      {
        bundle: archive,
        file: '(archive)',
        problem: `5 bytes of trailing junk after the gzip data (from byte ${size}); ignored, everything before it was read`,
      },
    ]);
    expect(fingerprint(root)).toEqual(before);
  });

  it('a tar split over two gzip members reads as one archive, without a problem', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 4; i++) files[`logs/m${i}.log`] = LEASE_LINE(i) + filler(3_000, i);
    const { root, dir } = makeBundle('evidence', { files });
    cleanup.push(root);
    const raw = readFileSync(tarOf(dir, join(root, 'evidence.tar'), false));
    // The member boundary falls inside a tar member's data.
    const half = Math.floor(raw.length / 2) + 77;
    const archive = join(root, 'two-members.tar.gz');
    writeFileSync(archive, gzipMembers(root, [raw.subarray(0, half), raw.subarray(half)]));
    expect(execFileSync('gzip', ['-dc', archive]).equals(raw)).toBe(true);
    const data = await ingest([archive]);
    expect(data.problems).toEqual([]);
    expect(data.manifest.map((entry) => entry.path).sort()).toEqual(Object.keys(files).sort());
    expect(data.events).toHaveLength(4);
  });

  it('a rotated .log.gz with junk appended: every line read, the junk named', async () => {
    const root = scratch();
    cleanup.push(root);
    const text = LEASE_LINE(1) + filler(1_000, 9) + LEASE_LINE(2);
    const gz = gzipMembers(root, [text]);
    const { root: bundleRoot, dir } = makeBundle('evidence', {
      files: { 'app.log.gz': Buffer.concat([gz, Buffer.from('trailing')]) },
    });
    cleanup.push(bundleRoot);
    const data = await ingest([dir]);
    expect(data.events.map((event) => event.subject)).toEqual(['kube-system/c1', 'kube-system/c2']);
    expect(data.problems).toEqual([
      {
        bundle: dir,
        file: 'app.log.gz',
        problem: `8 bytes of trailing junk after the gzip data (from byte ${gz.length}); ignored, everything before it was read`,
      },
    ]);
  });
});
