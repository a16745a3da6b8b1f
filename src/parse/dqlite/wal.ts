import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/**
 * The SQLite WAL image inside a pre-1.17 dqlite snapshot (https://sqlite.org/fileformat2.html#walformat).
 * SQLite recovers a WAL by replaying frames in order while their salts match the header and their
 * running checksum holds, up to the last commit frame (non-zero "database size" field); anything
 * after that is ignored. This counts the frames SQLite will apply, so the report can say so.
 */
export interface WalSummary {
  /** Frames in the file (whole frames only). */
  frames: number;
  /** Frames SQLite applies: valid frames up to and including the last valid commit frame. */
  applied: number;
  /** Why the rest is ignored, when something is. */
  problem: string | null;
}

const HEADER_BYTES = 32;
const FRAME_HEADER_BYTES = 24;

/** SQLite's walChecksumBytes: two running 32-bit sums over pairs of words. */
function checksum(data: Uint8Array, bigEndian: boolean, sums: [number, number]): [number, number] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let [s1, s2] = sums;
  for (let i = 0; i + 8 <= data.length; i += 8) {
    s1 = (s1 + view.getUint32(i, !bigEndian) + s2) >>> 0;
    s2 = (s2 + view.getUint32(i + 4, !bigEndian) + s1) >>> 0;
  }
  return [s1, s2];
}

export function summarizeWal(path: string): WalSummary {
  const fd = openSync(path, constants.O_RDONLY);
  try {
    const size = fstatSync(fd).size;
    const header = Buffer.alloc(HEADER_BYTES);
    if (readSync(fd, header, 0, HEADER_BYTES, 0) < HEADER_BYTES) {
      return { frames: 0, applied: 0, problem: 'WAL shorter than its 32-byte header' };
    }
    const magic = header.readUInt32BE(0);
    if ((magic & 0xfffffffe) !== 0x377f0682) {
      return { frames: 0, applied: 0, problem: `WAL has a wrong magic 0x${magic.toString(16)}` };
    }
    const bigEndian = (magic & 1) === 1;
    const pageSize = header.readUInt32BE(8) === 1 ? 65536 : header.readUInt32BE(8);
    const frameBytes = FRAME_HEADER_BYTES + pageSize;
    const frames = pageSize >= 512 ? Math.floor((size - HEADER_BYTES) / frameBytes) : 0;
    let sums = checksum(header.subarray(0, 24), bigEndian, [0, 0]);
    if (sums[0] !== header.readUInt32BE(24) || sums[1] !== header.readUInt32BE(28)) {
      return { frames, applied: 0, problem: 'WAL header checksum does not match' };
    }
    const salt1 = header.readUInt32BE(16);
    const salt2 = header.readUInt32BE(20);
    const frame = Buffer.alloc(frameBytes);
    let applied = 0;
    for (let n = 0; n < frames; n++) {
      readSync(fd, frame, 0, frameBytes, HEADER_BYTES + n * frameBytes);
      if (frame.readUInt32BE(8) !== salt1 || frame.readUInt32BE(12) !== salt2) {
        return { frames, applied, problem: `WAL frame ${n + 1} has other salts (a stale frame)` };
      }
      sums = checksum(frame.subarray(0, 8), bigEndian, sums);
      sums = checksum(frame.subarray(FRAME_HEADER_BYTES), bigEndian, sums);
      if (sums[0] !== frame.readUInt32BE(16) || sums[1] !== frame.readUInt32BE(20)) {
        return { frames, applied, problem: `WAL frame ${n + 1} fails its checksum` };
      }
      if (frame.readUInt32BE(4) !== 0) applied = n + 1;
    }
    const problem = applied < frames ? `${frames - applied} WAL frames after the last commit` : null;
    return { frames, applied, problem };
  } finally {
    closeSync(fd);
  }
}
