import type { RaftServer } from '../../types/index.js';
import { crc32Raft } from './crc32-raft.js';

/**
 * The `.meta` file beside a snapshot (raft `uv_snapshot.c`): four u64 LE words — disk format (1),
 * CRC (low 32 bits), configuration index, configuration length L — then L bytes of encoded raft
 * configuration. The CRC (crc32-raft.ts) covers bytes 16–31 followed by the configuration.
 */
export interface SnapshotMetaFile {
  formatVersion: number;
  configurationIndex: number;
  servers: RaftServer[];
  checksum: { stored: number; computed: number; ok: boolean };
}

const HEADER_BYTES = 32;
/** raft's reader rejects configurations above 1 MiB. */
const MAX_CONFIGURATION_BYTES = 1024 * 1024;
const ROLES = ['standby', 'voter', 'spare'] as const;

export class MetaFormatError extends Error {}

function safeNumber(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new MetaFormatError(`${what} ${value} is too large`);
  return Number(value);
}

/** Throws MetaFormatError for anything raft itself would refuse to load, including a bad checksum. */
export function parseSnapshotMeta(bytes: Uint8Array): SnapshotMetaFile {
  if (bytes.length < HEADER_BYTES) {
    throw new MetaFormatError(`.meta is ${bytes.length} bytes, shorter than its 32-byte header`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const formatVersion = safeNumber(view.getBigUint64(0, true), 'format version');
  if (formatVersion !== 1) throw new MetaFormatError(`.meta has unknown format version ${formatVersion}`);
  const storedWord = view.getBigUint64(8, true);
  const configurationIndex = safeNumber(view.getBigUint64(16, true), 'configuration index');
  const configurationLength = view.getBigUint64(24, true);
  if (configurationLength === 0n || configurationLength > BigInt(MAX_CONFIGURATION_BYTES)) {
    throw new MetaFormatError(`.meta declares a configuration of ${configurationLength} bytes`);
  }
  const length = Number(configurationLength);
  if (bytes.length !== HEADER_BYTES + length) {
    throw new MetaFormatError(
      `.meta is ${bytes.length} bytes but declares ${HEADER_BYTES} + ${length} (truncated or padded)`,
    );
  }
  const stored = Number(storedWord & 0xffffffffn);
  const computed = crc32Raft(bytes.subarray(HEADER_BYTES), crc32Raft(bytes.subarray(16, HEADER_BYTES)));
  const checksum = { stored, computed, ok: stored === computed && storedWord >> 32n === 0n };
  if (!checksum.ok) {
    throw new MetaFormatError(
      `.meta checksum mismatch: stored 0x${stored.toString(16).padStart(8, '0')}, computed 0x${computed.toString(16).padStart(8, '0')}`,
    );
  }
  return {
    formatVersion,
    configurationIndex,
    servers: decodeConfiguration(bytes.subarray(HEADER_BYTES)),
    checksum,
  };
}

/** raft `configurationDecode`: version byte, unaligned u64 count, then id / NUL-terminated address / role. */
function decodeConfiguration(bytes: Uint8Array): RaftServer[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] !== 1) throw new MetaFormatError(`.meta configuration has unknown encoding ${bytes[0]}`);
  const need = (offset: number, size: number): void => {
    if (offset + size > bytes.length) throw new MetaFormatError('.meta configuration is truncated');
  };
  need(1, 8);
  const count = view.getBigUint64(1, true);
  // Each server takes at least 8 + 1 + 1 bytes, which bounds a corrupt count before looping.
  if (count > BigInt(Math.floor(bytes.length / 10))) {
    throw new MetaFormatError(`.meta configuration declares ${count} servers in ${bytes.length} bytes`);
  }
  const servers: RaftServer[] = [];
  let offset = 9;
  for (let n = 0; n < Number(count); n++) {
    need(offset, 8);
    const id = view.getBigUint64(offset, true).toString();
    offset += 8;
    const end = bytes.indexOf(0, offset);
    if (end < 0) throw new MetaFormatError('.meta configuration has an unterminated address');
    const address = Buffer.from(bytes.subarray(offset, end)).toString('utf8');
    offset = end + 1;
    need(offset, 1);
    const roleCode = bytes[offset++] as number;
    const role = ROLES[roleCode] ?? (`unknown(${roleCode})` as const);
    servers.push({ id, address, role });
  }
  return servers;
}
