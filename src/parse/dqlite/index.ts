/**
 * The dqlite snapshot decoder, in the order the bytes meet it: file name → `.meta` (raft CRC) →
 * sequential read of the data file → LZ4 frame (linked blocks, xxh32) → FSM payload (databases).
 * Every module of this folder is listed here; test/parse/dqlite/index.test.ts checks that.
 * The store layer (src/store/snapshot-db.ts) turns the decoded databases into reports.
 */
export { parseSnapshotName, SNAPSHOT_NAME_SAMPLES, type SnapshotName } from './name.js';
export { crc32Raft } from './crc32-raft.js';
export { parseSnapshotMeta, MetaFormatError, type SnapshotMetaFile } from './meta.js';
export { SequentialReader } from './reader.js';
export { Xxh32, xxh32 } from './xxh32.js';
export {
  LZ4_FRAME_MAGIC,
  Lz4FormatError,
  decodeLz4Frame,
  describeMagic,
  readLz4FrameHeader,
  type ByteSink,
  type Lz4DecodeResult,
  type Lz4FrameHeader,
} from './lz4-frame.js';
export { FsmFormatError, FsmPayloadParser, type DatabaseEntry, type DatabaseSinks } from './fsm-payload.js';
export { summarizeWal, type WalSummary } from './wal.js';
