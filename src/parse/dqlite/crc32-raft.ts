/**
 * raft's `byteCrc32` (src/byte.c): CRC-32, polynomial 0x04C11DB7, MSB-first (not reflected),
 * initial value 0, no final XOR. Not zlib's CRC-32, so `zlib.crc32` cannot be used.
 * Check value: crc32Raft("123456789") = 0x89A1897F.
 */
const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 24;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
    table[byte] = crc >>> 0;
  }
  return table;
})();

/** `initial` chains chunks the way raft does: the running value seeds the next chunk. */
export function crc32Raft(data: Uint8Array, initial = 0): number {
  let crc = initial >>> 0;
  for (let i = 0; i < data.length; i++) {
    crc = ((crc << 8) ^ (TABLE[((crc >>> 24) ^ (data[i] as number)) & 0xff] as number)) >>> 0;
  }
  return crc;
}
