import type { ByteSink } from './lz4-frame.js';

/**
 * dqlite's FSM snapshot payload (dqlite src/fsm.c), fed as a stream of decoded bytes:
 *   u64 LE format (1) | u64 LE database count n | n × (name NUL-padded to 8 | u64 main_size |
 *   u64 wal_size | main bytes | WAL bytes). All integers little-endian; nothing after the last one.
 * Main and WAL bytes are forwarded to the sinks `openDatabase` returns, never buffered here.
 */
export interface DatabaseEntry {
  name: string;
  mainBytes: number;
  walBytes: number;
}

export interface DatabaseSinks {
  main: ByteSink;
  wal: ByteSink;
}

export class FsmFormatError extends Error {}

const FSM_FORMAT = 1n;
const MAX_NAME_BYTES = 4096;

type State = 'header' | 'name' | 'sizes' | 'main' | 'wal' | 'done';

export class FsmPayloadParser {
  readonly databases: DatabaseEntry[] = [];
  private state: State = 'header';
  private readonly scratch = Buffer.alloc(16);
  private scratchLength = 0;
  private nameBytes: number[] = [];
  private databaseCount = 0;
  private remainingInPart = 0;
  private consumed = 0;
  private current: { entry: DatabaseEntry; sinks: DatabaseSinks } | null = null;

  /** `payloadBytes`: the total when known up front (file size, or the LZ4 content size). */
  constructor(
    private readonly openDatabase: (entry: DatabaseEntry) => DatabaseSinks,
    private readonly payloadBytes: number | null,
  ) {}

  /** Returns a promise when a database sink is still writing from `bytes` (see ByteSink). */
  readonly write: ByteSink = (bytes, start, end) => {
    let waits: Promise<void>[] | null = null;
    let i = start;
    while (i < end) {
      switch (this.state) {
        case 'header':
        case 'sizes': {
          const take = Math.min(16 - this.scratchLength, end - i);
          bytes.copy(this.scratch, this.scratchLength, i, i + take);
          this.scratchLength += take;
          i += take;
          this.consumed += take;
          if (this.scratchLength === 16) {
            this.scratchLength = 0;
            if (this.state === 'header') this.onHeader();
            else this.onSizes();
          }
          break;
        }
        case 'name': {
          // Names are NUL-terminated and padded with zeros to a multiple of 8 (NUL included).
          const byte = bytes[i++] as number;
          this.consumed++;
          this.nameBytes.push(byte);
          if (this.nameBytes.length > MAX_NAME_BYTES) {
            throw new FsmFormatError(
              `database ${this.databases.length + 1} has no name terminator within ${MAX_NAME_BYTES} bytes`,
            );
          }
          if (this.nameBytes.length % 8 === 0 && this.nameBytes.includes(0)) this.state = 'sizes';
          break;
        }
        case 'main':
        case 'wal': {
          const take = Math.min(this.remainingInPart, end - i);
          const sinks = (this.current as { sinks: DatabaseSinks }).sinks;
          const wait = (this.state === 'main' ? sinks.main : sinks.wal)(bytes, i, i + take);
          if (wait) (waits ??= []).push(wait);
          i += take;
          this.consumed += take;
          this.remainingInPart -= take;
          if (this.remainingInPart === 0) this.nextPart();
          break;
        }
        case 'done':
          throw new FsmFormatError(
            `unexpected bytes after the last database (payload byte ${this.consumed})`,
          );
      }
    }
    if (waits === null) return undefined;
    return waits.length === 1 ? waits[0] : Promise.all(waits).then(() => undefined);
  };

  /** Call after the last byte; throws when the payload stopped short of what it declared. */
  finish(): DatabaseEntry[] {
    if (this.state !== 'done') {
      const where =
        this.state === 'main' || this.state === 'wal'
          ? `inside the ${this.state === 'main' ? 'main file' : 'WAL'} of database '${this.current?.entry.name}' (${this.remainingInPart} bytes missing)`
          : `in the ${this.state === 'header' ? 'snapshot header' : `header of database ${this.databases.length + 1}`}`;
      throw new FsmFormatError(`payload ends after ${this.consumed} bytes, ${where}`);
    }
    return this.databases;
  }

  private onHeader(): void {
    const format = this.scratch.readBigUInt64LE(0);
    const count = this.scratch.readBigUInt64LE(8);
    if (format !== FSM_FORMAT)
      throw new FsmFormatError(`unknown dqlite snapshot format ${format} (expected 1)`);
    // Each database needs at least 24 header bytes.
    const room = this.payloadBytes === null ? 1_000_000 : Math.floor((this.payloadBytes - 16) / 24);
    if (count > BigInt(room)) {
      throw new FsmFormatError(
        `snapshot declares ${count} databases, more than its ${this.payloadBytes ?? 'unknown'}-byte payload can hold`,
      );
    }
    this.databaseCount = Number(count);
    this.state = this.databaseCount === 0 ? 'done' : 'name';
  }

  private onSizes(): void {
    const end = this.nameBytes.indexOf(0);
    const name = Buffer.from(this.nameBytes.slice(0, end)).toString('utf8');
    this.nameBytes = [];
    const main = this.scratch.readBigUInt64LE(0);
    const wal = this.scratch.readBigUInt64LE(8);
    const left = this.payloadBytes === null ? null : BigInt(this.payloadBytes) - BigInt(this.consumed);
    if (main + wal > BigInt(Number.MAX_SAFE_INTEGER) || (left !== null && main + wal > left)) {
      throw new FsmFormatError(
        `database '${name}' declares ${main} main + ${wal} WAL bytes, more than the ${this.payloadBytes ?? '?'}-byte payload holds`,
      );
    }
    const entry: DatabaseEntry = { name, mainBytes: Number(main), walBytes: Number(wal) };
    this.databases.push(entry);
    this.current = { entry, sinks: this.openDatabase(entry) };
    this.state = 'main';
    this.remainingInPart = entry.mainBytes;
    if (this.remainingInPart === 0) this.nextPart();
  }

  private nextPart(): void {
    const entry = (this.current as { entry: DatabaseEntry }).entry;
    if (this.state === 'main') {
      this.state = 'wal';
      this.remainingInPart = entry.walBytes;
      if (this.remainingInPart > 0) return;
    }
    this.state = this.databases.length === this.databaseCount ? 'done' : 'name';
  }
}
