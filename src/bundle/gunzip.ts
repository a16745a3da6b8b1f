/**
 * gzip decompression with the member framing of RFC 1952 done here rather than inside zlib. Node's
 * Gunzip reads concatenated members, but junk after the last one is an error that tears down the
 * whole pipeline: a tar reader behind it loses the members it had not yet been handed, although
 * every one of them was intact. Here each member's header and trailer (CRC-32, size) are read by
 * this code and only the deflate data goes through zlib (raw inflate), so the end of the valid data
 * is known to the byte: what follows it is named as trailing junk, and what came before stays read.
 *
 * Data problems never fail the stream: the output ends cleanly where the valid data ends and
 * `problem` says why, so a consumer reads everything decoded up to there.
 */
import { Transform, type TransformCallback } from 'node:stream';
import * as zlib from 'node:zlib';
import { createInflateRaw, type InflateRaw } from 'node:zlib';

export type GzipProblem =
  | { kind: 'truncated'; detail: string }
  | { kind: 'corrupt'; detail: string }
  | { kind: 'junk'; start: number; bytes: number };

/** The one line a gzip problem is reported as, for an archive or a compressed file. */
export function describeGzipProblem(problem: GzipProblem): string {
  if (problem.kind === 'truncated') return `truncated gzip data (${problem.detail})`;
  if (problem.kind === 'corrupt') return `corrupt gzip data (${problem.detail})`;
  return `${problem.bytes} byte${problem.bytes === 1 ? '' : 's'} of trailing junk after the gzip data (from byte ${problem.start}); ignored, everything before it was read`;
}

const FLAG = { HCRC: 0x02, EXTRA: 0x04, NAME: 0x08, COMMENT: 0x10, RESERVED: 0xe0 } as const;
/** A gzip header is 10 bytes plus optional fields; a name or comment this long is not a header. */
const MAX_HEADER_BYTES = 1 << 16;

/** Length of the member header at the start of `bytes`, 0 when more bytes are needed, or why it is not one. */
function headerLength(bytes: Buffer): number | string {
  if (bytes.length < 10) return 0;
  if (bytes[2] !== 8) return `compression method ${bytes[2]} in a gzip header (only 8, deflate, exists)`;
  const flags = bytes[3]!;
  if (flags & FLAG.RESERVED) return 'reserved flag bits set in a gzip header';
  let at = 10;
  if (flags & FLAG.EXTRA) {
    if (bytes.length < at + 2) return 0;
    at += 2 + bytes.readUInt16LE(at);
  }
  for (const field of [FLAG.NAME, FLAG.COMMENT]) {
    if (!(flags & field)) continue;
    const end = bytes.indexOf(0, at);
    if (end < 0)
      return bytes.length > MAX_HEADER_BYTES ? `gzip header longer than ${MAX_HEADER_BYTES} bytes` : 0;
    at = end + 1;
  }
  if (!(flags & FLAG.HCRC)) return bytes.length < at ? 0 : at;
  if (bytes.length < at + 2) return 0;
  // The header's own check: the low 16 bits of the CRC-32 of the bytes before it (RFC 1952 2.3.1).
  if ((crc32(bytes.subarray(0, at), 0) & 0xffff) !== bytes.readUInt16LE(at))
    return 'gzip header CRC mismatch';
  return at + 2;
}

/** CRC-32 as gzip uses it: zlib's own where Node has it (20.15 and later), else a table in JS. */
const crc32: (data: Buffer, value: number) => number =
  typeof (zlib as { crc32?: unknown }).crc32 === 'function'
    ? (zlib as unknown as { crc32: (data: Buffer, value: number) => number }).crc32
    : tableCrc32();

function tableCrc32(): (data: Buffer, value: number) => number {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return (data, value) => {
    let c = ~value;
    for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
    return ~c >>> 0;
  };
}

const isGzipMagic = (bytes: Buffer) => bytes[0] === 0x1f && (bytes.length < 2 || bytes[1] === 0x8b);

/** Streams the decompressed data of one or more concatenated gzip members. */
export class GunzipMembers extends Transform {
  problem: GzipProblem | null = null;
  private state: 'header' | 'deflate' | 'trailer' | 'junk' | 'stopped' = 'header';
  /** Header or trailer bytes waiting for the rest of it. */
  private held = Buffer.alloc(0);
  private members = 0;
  private padded = false;
  /** Input bytes received, and the offset just past the last complete member (where junk starts). */
  private received = 0;
  private boundary = 0;
  private inflater: { stream: InflateRaw; ended: Promise<void> } | null = null;
  private crc = 0;
  private size = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.received += chunk.length;
    this.feed(chunk).then(() => callback(), callback);
  }

  override _flush(callback: TransformCallback): void {
    if (this.state === 'junk')
      this.problem = { kind: 'junk', start: this.boundary, bytes: this.received - this.boundary };
    else if (this.state === 'deflate' || this.state === 'trailer' || this.held.length > 0)
      this.problem = { kind: 'truncated', detail: 'unexpected end of file' };
    else if (this.state === 'header' && this.members === 0)
      this.problem = { kind: 'truncated', detail: 'no gzip data' };
    this.inflater?.stream.destroy();
    callback();
  }

  override _destroy(error: Error | null, callback: (error: Error | null) => void): void {
    this.inflater?.stream.destroy();
    callback(error);
  }

  private async feed(chunk: Buffer): Promise<void> {
    let data = chunk;
    while (data.length > 0) {
      if (this.state === 'deflate') data = await this.inflate(data);
      else if (this.state === 'header') data = this.header(data);
      else if (this.state === 'trailer') data = this.trailer(data);
      // Junk is counted by `received`; after corrupt data nothing more can be trusted.
      else return;
    }
  }

  private stop(detail: string): Buffer {
    this.problem = { kind: 'corrupt', detail };
    this.state = 'stopped';
    this.held = Buffer.alloc(0);
    return Buffer.alloc(0);
  }

  private header(data: Buffer): Buffer {
    if (this.members > 0 && this.held.length === 0) {
      // Zero bytes after a member are block padding (tape blocking, dd): gzip(1) and zlib skip them.
      // Only junk can follow padding; a member cannot.
      if (this.padded || data[0] === 0) {
        let zeros = 0;
        while (zeros < data.length && data[zeros] === 0) zeros++;
        this.padded = true;
        return zeros === data.length ? Buffer.alloc(0) : this.junk();
      }
      if (data[0] !== 0x1f) return this.junk();
    }
    this.held = this.held.length === 0 ? Buffer.from(data) : Buffer.concat([this.held, data]);
    if (!isGzipMagic(this.held)) return this.members === 0 ? this.stop('not gzip data') : this.junk();
    const length = headerLength(this.held);
    if (typeof length === 'string') return this.members === 0 ? this.stop(length) : this.junk();
    if (length === 0) return Buffer.alloc(0);
    const rest = this.held.subarray(length);
    this.held = Buffer.alloc(0);
    this.state = 'deflate';
    return rest;
  }

  /** What follows the last member is not one: everything from the boundary on is junk. */
  private junk(): Buffer {
    this.held = Buffer.alloc(0);
    this.state = 'junk';
    return Buffer.alloc(0);
  }

  private startInflater(): { stream: InflateRaw; ended: Promise<void> } {
    const stream = createInflateRaw();
    stream.on('data', (out: Buffer) => {
      this.crc = crc32(out, this.crc);
      this.size = (this.size + out.length) % 2 ** 32;
      this.push(out);
    });
    const ended = new Promise<void>((resolve) => stream.once('end', resolve));
    // Errors reach the write callback below; the event must not go unhandled meanwhile.
    stream.on('error', () => {});
    return { stream, ended };
  }

  /** Feeds deflate data; returns what follows the end of the member's deflate data (its trailer on). */
  private async inflate(data: Buffer): Promise<Buffer> {
    this.inflater ??= this.startInflater();
    const { stream, ended } = this.inflater;
    const before = stream.bytesWritten;
    try {
      await new Promise<void>((resolve, reject) =>
        stream.write(data, (error) => (error ? reject(error) : resolve())),
      );
    } catch (error) {
      return this.stop((error as Error).message);
    }
    // zlib takes no input past the end of the deflate data (bytesWritten counts what it took).
    const used = stream.bytesWritten - before;
    if (used === data.length) return Buffer.alloc(0);
    // The member's last output is emitted before 'end': all of it is pushed before the next member.
    await ended;
    stream.destroy();
    this.inflater = null;
    this.state = 'trailer';
    return data.subarray(used);
  }

  private trailer(data: Buffer): Buffer {
    this.held = this.held.length === 0 ? Buffer.from(data) : Buffer.concat([this.held, data]);
    if (this.held.length < 8) return Buffer.alloc(0);
    const crc = this.held.readUInt32LE(0);
    const size = this.held.readUInt32LE(4);
    if (crc !== this.crc >>> 0) return this.stop(`CRC-32 mismatch in gzip member ${this.members + 1}`);
    if (size !== this.size) return this.stop(`length mismatch in gzip member ${this.members + 1}`);
    const rest = this.held.subarray(8);
    this.held = Buffer.alloc(0);
    this.members++;
    this.crc = 0;
    this.size = 0;
    this.boundary = this.received - rest.length;
    this.state = 'header';
    return rest;
  }
}
