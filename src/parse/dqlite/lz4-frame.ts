import lz4 from 'lz4';
import type { SequentialReader } from './reader.js';
import { Xxh32, xxh32 } from './xxh32.js';

/**
 * Streaming decoder for the LZ4 frame format (https://github.com/lz4/lz4/blob/dev/doc/lz4_Frame_format.md)
 * as raft writes it: FLG 0x4C (linked blocks, content size, content checksum), 64 KiB blocks.
 *
 * The `lz4` npm package decodes each block on its own and fails on linked blocks (pierrec/node-lz4#53,
 * #94; "Invalid data block" on real dqlite files), so linked blocks decode here, into one reused window
 * that keeps the last 64 KiB of output as history so back-references may cross block boundaries.
 * Frames of independent blocks (a snapshot re-compressed with the `lz4` CLI's defaults, say) go to the
 * package's native block decoder. Full windows are handed to `sink`; the content checksum is computed
 * on the way.
 */
export const LZ4_FRAME_MAGIC = 0x184d2204;
const LZ4_LEGACY_MAGIC = 0x184c2102;
const HISTORY = 64 * 1024;
const FLUSH_BYTES = 4 * 1024 * 1024;
const BLOCK_MAX_SIZES: Record<number, number> = { 4: 64 << 10, 5: 256 << 10, 6: 1 << 20, 7: 4 << 20 };

export class Lz4FormatError extends Error {}

export interface Lz4FrameHeader {
  blockIndependent: boolean;
  blockChecksum: boolean;
  contentChecksum: boolean;
  /** Declared decompressed size, or null when the frame does not declare it. */
  contentSize: number | null;
  blockMaxSize: number;
  headerBytes: number;
}

/**
 * Receives decoded bytes. It may return a promise (an asynchronous file write): the producer then
 * leaves `bytes[start, end)` untouched until that promise settles.
 */
export type ByteSink = (bytes: Buffer, start: number, end: number) => void | Promise<void>;

/** Output windows in rotation: one is decoded into while the others are still being written. */
const WINDOWS = 3;
const ignore = (): void => {};

export function describeMagic(first4: Buffer): string {
  if (first4.length < 4) return `only ${first4.length} bytes`;
  const magic = first4.readUInt32LE(0);
  if (magic === LZ4_LEGACY_MAGIC) return 'an LZ4 legacy frame (raft never writes those)';
  if ((magic & 0xfffffff0) === 0x184d2a50) return 'an LZ4 skippable frame (raft never writes those)';
  return `bytes ${first4.toString('hex').replace(/(..)/g, '$1 ').trim()}`;
}

/** Reads the frame descriptor; the reader must be positioned at the magic. */
export function readLz4FrameHeader(reader: SequentialReader): Lz4FrameHeader {
  if (!reader.need(7)) throw new Lz4FormatError('truncated LZ4 frame header');
  const b = reader.buffer;
  const s = reader.start;
  if (b.readUInt32LE(s) !== LZ4_FRAME_MAGIC) throw new Lz4FormatError('wrong LZ4 frame magic');
  const flg = b[s + 4] as number;
  const bd = b[s + 5] as number;
  if (flg >> 6 !== 1) throw new Lz4FormatError(`unsupported LZ4 frame version ${flg >> 6}`);
  if (flg & 0x02 || bd & 0x8f) throw new Lz4FormatError('LZ4 frame descriptor has reserved bits set');
  const blockMaxSize = BLOCK_MAX_SIZES[(bd >> 4) & 7];
  if (!blockMaxSize)
    throw new Lz4FormatError(`LZ4 frame declares an invalid block size code ${(bd >> 4) & 7}`);
  const hasContentSize = (flg & 0x08) !== 0;
  const hasDictId = (flg & 0x01) !== 0;
  const descriptorBytes = 2 + (hasContentSize ? 8 : 0) + (hasDictId ? 4 : 0);
  const headerBytes = 4 + descriptorBytes + 1;
  if (!reader.need(headerBytes)) throw new Lz4FormatError('truncated LZ4 frame header');
  const d = reader.start + 4;
  const expected = (xxh32(reader.buffer.subarray(d, d + descriptorBytes)) >>> 8) & 0xff;
  if (reader.buffer[d + descriptorBytes] !== expected) {
    throw new Lz4FormatError('LZ4 frame header checksum mismatch');
  }
  if (hasDictId) throw new Lz4FormatError('LZ4 frame needs an external dictionary (raft never writes those)');
  let contentSize: number | null = null;
  if (hasContentSize) {
    const declared = reader.buffer.readBigUInt64LE(d + 2);
    if (declared > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new Lz4FormatError(`LZ4 frame declares an impossible content size ${declared}`);
    }
    contentSize = Number(declared);
  }
  reader.skip(headerBytes);
  return {
    blockIndependent: (flg & 0x20) !== 0,
    blockChecksum: (flg & 0x10) !== 0,
    contentChecksum: (flg & 0x04) !== 0,
    contentSize,
    blockMaxSize,
    headerBytes,
  };
}

export interface Lz4DecodeResult {
  outputBytes: number;
  contentChecksum: { stored: number; computed: number } | null;
}

/**
 * Decodes the blocks after the header into `sink`, enforcing `maxOutputBytes` (an LZ4 bomb stops
 * as soon as its output passes the cap). Throws Lz4FormatError on any malformed or corrupt input.
 * Windows rotate so the sink can write one asynchronously (on libuv's thread pool, i.e. the other
 * core) while the next is decoded; each new window starts with the last 64 KiB of the previous one.
 */
export async function decodeLz4Frame(
  reader: SequentialReader,
  header: Lz4FrameHeader,
  sink: ByteSink,
  maxOutputBytes: number,
): Promise<Lz4DecodeResult> {
  const windowBytes = HISTORY + FLUSH_BYTES + header.blockMaxSize;
  const windows = [Buffer.allocUnsafe(windowBytes)];
  const pending: (Promise<void> | null)[] = [null];
  let current = 0;
  let window = windows[0] as Buffer;
  const checksum = header.contentChecksum ? new Xxh32() : null;
  let position = 0;
  let flushedTo = 0;
  let total = 0;
  const flush = (): void => {
    if (position <= flushedTo) return;
    checksum?.update(window, flushedTo, position);
    const wait = sink(window, flushedTo, position);
    if (wait) {
      wait.catch(ignore); // awaited later; this only keeps it from counting as unhandled meanwhile
      pending[current] = wait;
    }
    flushedTo = position;
  };
  try {
    for (;;) {
      if (!reader.need(4))
        throw new Lz4FormatError(`LZ4 frame truncated at byte ${reader.offset} (no end mark)`);
      const word = reader.buffer.readUInt32LE(reader.start);
      reader.skip(4);
      if (word === 0) break;
      const stored = (word & 0x80000000) !== 0;
      const size = word & 0x7fffffff;
      const blockOffset = reader.offset - 4;
      if (size > header.blockMaxSize) {
        throw new Lz4FormatError(
          `LZ4 block at byte ${blockOffset} declares ${size} bytes, more than the frame's ${header.blockMaxSize}-byte maximum`,
        );
      }
      const trailer = header.blockChecksum ? 4 : 0;
      if (!reader.need(size + trailer)) {
        throw new Lz4FormatError(`LZ4 frame truncated inside the block at byte ${blockOffset}`);
      }
      if (header.blockChecksum) {
        const storedSum = reader.buffer.readUInt32LE(reader.start + size);
        if (xxh32(reader.buffer.subarray(reader.start, reader.start + size)) !== storedSum) {
          throw new Lz4FormatError(`LZ4 block at byte ${blockOffset} fails its block checksum`);
        }
      }
      if (position + header.blockMaxSize > window.length) {
        flush();
        const next = (current + 1) % WINDOWS;
        if (!windows[next]) {
          windows[next] = Buffer.allocUnsafe(windowBytes);
          pending[next] = null;
        }
        const waitForNext = pending[next];
        if (waitForNext) await waitForNext;
        pending[next] = null;
        const nextWindow = windows[next] as Buffer;
        // Keep the last 64 KiB as history for the next (linked) block.
        window.copy(nextWindow, 0, position - HISTORY, position);
        window = nextWindow;
        current = next;
        position = flushedTo = HISTORY;
      }
      const before = position;
      if (stored) {
        reader.buffer.copy(window, position, reader.start, reader.start + size);
        position += size;
      } else if (header.blockIndependent) {
        const written = lz4.decodeBlock(
          reader.buffer.subarray(reader.start, reader.start + size),
          window.subarray(position, position + header.blockMaxSize),
        );
        // liblz4 answers a malformed block, or one decoding past the maximum size, with a negative count.
        if (written < 0) throw new Lz4FormatError(`corrupt LZ4 block at byte ${blockOffset}`);
        position += written;
      } else {
        try {
          position = decodeBlock(
            reader.buffer,
            reader.start,
            reader.start + size,
            window,
            position,
            position + header.blockMaxSize,
          );
        } catch (error) {
          if (error instanceof Lz4FormatError) {
            throw new Lz4FormatError(`corrupt LZ4 block at byte ${blockOffset}: ${error.message}`);
          }
          throw error;
        }
      }
      reader.skip(size + trailer);
      total += position - before;
      if (total > maxOutputBytes) {
        throw new Lz4FormatError(
          `LZ4 output passed the ${maxOutputBytes}-byte cap (decompression bomb?); raise it with --max-output if the snapshot is genuine`,
        );
      }
    }
    flush();
  } finally {
    // Never return (or throw) while a sink still reads one of our windows.
    await Promise.allSettled(pending.filter((wait): wait is Promise<void> => wait !== null));
  }
  for (const wait of pending) if (wait) await wait;
  let contentChecksum: Lz4DecodeResult['contentChecksum'] = null;
  if (checksum) {
    if (!reader.need(4)) throw new Lz4FormatError('LZ4 frame truncated before its content checksum');
    const storedSum = reader.buffer.readUInt32LE(reader.start);
    reader.skip(4);
    contentChecksum = { stored: storedSum, computed: checksum.digest() };
    if (contentChecksum.stored !== contentChecksum.computed) {
      throw new Lz4FormatError(
        `LZ4 content checksum mismatch: stored 0x${storedSum.toString(16).padStart(8, '0')}, computed 0x${contentChecksum.computed.toString(16).padStart(8, '0')}`,
      );
    }
  }
  if (header.contentSize !== null && header.contentSize !== total) {
    throw new Lz4FormatError(
      `LZ4 frame declares ${header.contentSize} bytes of content but decodes to ${total}`,
    );
  }
  return { outputBytes: total, contentChecksum };
}

/** One LZ4 block (https://github.com/lz4/lz4/blob/dev/doc/lz4_Block_format.md); returns the new output end. */
function decodeBlock(src: Buffer, s: number, sEnd: number, dst: Buffer, d: number, dLimit: number): number {
  for (;;) {
    if (s >= sEnd) throw new Lz4FormatError('block ends inside a sequence');
    const token = src[s++] as number;
    let literals = token >>> 4;
    if (literals === 15) {
      let more: number;
      do {
        if (s >= sEnd) throw new Lz4FormatError('block ends inside a literal length');
        more = src[s++] as number;
        literals += more;
      } while (more === 255);
    }
    if (literals > 0) {
      if (s + literals > sEnd) throw new Lz4FormatError('literals run past the end of the block');
      if (d + literals > dLimit)
        throw new Lz4FormatError('block decodes to more than the maximum block size');
      if (literals < 32) {
        const end = s + literals;
        while (s < end) dst[d++] = src[s++] as number;
      } else {
        src.copy(dst, d, s, s + literals);
        d += literals;
        s += literals;
      }
    }
    if (s === sEnd) return d;
    if (s + 2 > sEnd) throw new Lz4FormatError('block ends inside a match offset');
    const offset = (src[s] as number) | ((src[s + 1] as number) << 8);
    s += 2;
    if (offset === 0 || offset > d) {
      throw new Lz4FormatError(`match offset ${offset} points before the start of the data`);
    }
    let length = (token & 15) + 4;
    if ((token & 15) === 15) {
      let more: number;
      do {
        if (s >= sEnd) throw new Lz4FormatError('block ends inside a match length');
        more = src[s++] as number;
        length += more;
      } while (more === 255);
    }
    if (d + length > dLimit) throw new Lz4FormatError('block decodes to more than the maximum block size');
    const from = d - offset;
    if (length < 32) {
      let m = from;
      const end = d + length;
      while (d < end) dst[d++] = dst[m++] as number;
    } else {
      // Overlapping matches repeat a period of `offset` bytes: copy in doubling, non-overlapping runs.
      let remaining = length;
      while (remaining > 0) {
        const run = Math.min(d - from, remaining);
        dst.copyWithin(d, from, from + run);
        d += run;
        remaining -= run;
      }
    }
  }
}
