/**
 * Streaming xxHash32 (https://github.com/Cyan4973/xxHash/blob/dev/doc/xxhash_spec.md), the LZ4
 * frame's header and content checksum. Written here because it is ~60 lines and the frame decoder
 * must feed it the decoded bytes chunk by chunk without copying them.
 */
const P1 = 0x9e3779b1;
const P2 = 0x85ebca77;
const P3 = 0xc2b2ae3d;
const P4 = 0x27d4eb2f;
const P5 = 0x165667b1;

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

function readU32(b: Uint8Array, i: number): number {
  return (
    ((b[i] as number) |
      ((b[i + 1] as number) << 8) |
      ((b[i + 2] as number) << 16) |
      ((b[i + 3] as number) << 24)) >>>
    0
  );
}

export class Xxh32 {
  private v1: number;
  private v2: number;
  private v3: number;
  private v4: number;
  private total = 0;
  /** Up to 15 bytes carried over between updates. */
  private readonly tail = new Uint8Array(16);
  private tailLength = 0;

  constructor(private readonly seed = 0) {
    this.v1 = (seed + P1 + P2) | 0;
    this.v2 = (seed + P2) | 0;
    this.v3 = seed | 0;
    this.v4 = (seed - P1) | 0;
  }

  update(data: Uint8Array, start = 0, end = data.length): this {
    this.total += end - start;
    let i = start;
    if (this.tailLength > 0) {
      while (this.tailLength < 16 && i < end) this.tail[this.tailLength++] = data[i++] as number;
      if (this.tailLength < 16) return this;
      this.stripe(this.tail, 0);
      this.tailLength = 0;
    }
    let v1 = this.v1;
    let v2 = this.v2;
    let v3 = this.v3;
    let v4 = this.v4;
    const limit = end - 16;
    if (LITTLE_ENDIAN && ((data.byteOffset + i) & 3) === 0 && i <= limit) {
      // Aligned input: read whole words through a typed-array view (about twice as fast).
      const stripes = Math.floor((end - i) / 16);
      const words = new Int32Array(data.buffer, data.byteOffset + i, stripes * 4);
      for (let w = 0; w < words.length; w += 4) {
        v1 = Math.imul(rotl((v1 + Math.imul(words[w] as number, P2)) | 0, 13), P1);
        v2 = Math.imul(rotl((v2 + Math.imul(words[w + 1] as number, P2)) | 0, 13), P1);
        v3 = Math.imul(rotl((v3 + Math.imul(words[w + 2] as number, P2)) | 0, 13), P1);
        v4 = Math.imul(rotl((v4 + Math.imul(words[w + 3] as number, P2)) | 0, 13), P1);
      }
      i += stripes * 16;
    }
    for (; i <= limit; i += 16) {
      v1 = Math.imul(rotl((v1 + Math.imul(readU32(data, i), P2)) | 0, 13), P1);
      v2 = Math.imul(rotl((v2 + Math.imul(readU32(data, i + 4), P2)) | 0, 13), P1);
      v3 = Math.imul(rotl((v3 + Math.imul(readU32(data, i + 8), P2)) | 0, 13), P1);
      v4 = Math.imul(rotl((v4 + Math.imul(readU32(data, i + 12), P2)) | 0, 13), P1);
    }
    this.v1 = v1;
    this.v2 = v2;
    this.v3 = v3;
    this.v4 = v4;
    while (i < end) this.tail[this.tailLength++] = data[i++] as number;
    return this;
  }

  private stripe(b: Uint8Array, i: number): void {
    this.v1 = Math.imul(rotl((this.v1 + Math.imul(readU32(b, i), P2)) | 0, 13), P1);
    this.v2 = Math.imul(rotl((this.v2 + Math.imul(readU32(b, i + 4), P2)) | 0, 13), P1);
    this.v3 = Math.imul(rotl((this.v3 + Math.imul(readU32(b, i + 8), P2)) | 0, 13), P1);
    this.v4 = Math.imul(rotl((this.v4 + Math.imul(readU32(b, i + 12), P2)) | 0, 13), P1);
  }

  digest(): number {
    let h =
      this.total >= 16
        ? (rotl(this.v1, 1) + rotl(this.v2, 7) + rotl(this.v3, 12) + rotl(this.v4, 18)) | 0
        : (this.seed + P5) | 0;
    // The spec adds the length modulo 2^32.
    h = (h + (this.total % 0x100000000)) | 0;
    let i = 0;
    for (; i + 4 <= this.tailLength; i += 4) {
      h = Math.imul(rotl((h + Math.imul(readU32(this.tail, i), P3)) | 0, 17), P4);
    }
    for (; i < this.tailLength; i++) {
      h = Math.imul(rotl((h + Math.imul(this.tail[i] as number, P5)) | 0, 11), P1);
    }
    h = Math.imul(h ^ (h >>> 15), P2);
    h = Math.imul(h ^ (h >>> 13), P3);
    return (h ^ (h >>> 16)) >>> 0;
  }
}

export function xxh32(data: Uint8Array, seed = 0): number {
  return new Xxh32(seed).update(data).digest();
}
