import { describe, expect, it } from 'vitest';
import {
  FsmFormatError,
  FsmPayloadParser,
  type DatabaseEntry,
} from '../../../src/parse/dqlite/fsm-payload.js';

function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
}

/** dqlite text: bytes, NUL, zero padding to a multiple of 8 (NUL included). */
function text(name: string): Buffer {
  const raw = Buffer.from(`${name}\0`);
  return Buffer.concat([raw, Buffer.alloc((8 - (raw.length % 8)) % 8)]);
}

function payload(databases: { name: string; main: Buffer; wal: Buffer }[]): Buffer {
  return Buffer.concat([
    u64(1),
    u64(databases.length),
    ...databases.flatMap((d) => [text(d.name), u64(d.main.length), u64(d.wal.length), d.main, d.wal]),
  ]);
}

function parse(data: Buffer, chunk: number, declared: number | null = data.length) {
  const received: Record<string, { main: Buffer[]; wal: Buffer[] }> = {};
  const parser = new FsmPayloadParser((entry: DatabaseEntry) => {
    const parts = { main: [] as Buffer[], wal: [] as Buffer[] };
    received[entry.name] = parts;
    return {
      main: (b, s, e) => void parts.main.push(Buffer.from(b.subarray(s, e))),
      wal: (b, s, e) => void parts.wal.push(Buffer.from(b.subarray(s, e))),
    };
  }, declared);
  for (let at = 0; at < data.length; at += chunk) parser.write(data, at, Math.min(data.length, at + chunk));
  const entries = parser.finish();
  return { entries, received };
}

describe('FsmPayloadParser', () => {
  const databases = [
    { name: 'k8s', main: Buffer.alloc(4096, 1), wal: Buffer.alloc(32 + 24 + 4096, 2) },
    { name: 'exactly8', main: Buffer.alloc(8192, 3), wal: Buffer.alloc(0) },
    { name: 'never-written', main: Buffer.alloc(0), wal: Buffer.alloc(0) },
  ];
  const data = payload(databases);

  it.each([1, 3, 8, 100, 4096, data.length])(
    'routes main and WAL bytes to each database (chunks of %i)',
    (chunk) => {
      const { entries, received } = parse(data, chunk);
      expect(entries).toEqual([
        { name: 'k8s', mainBytes: 4096, walBytes: 4152 },
        { name: 'exactly8', mainBytes: 8192, walBytes: 0 },
        { name: 'never-written', mainBytes: 0, walBytes: 0 },
      ]);
      for (const d of databases) {
        expect(Buffer.concat(received[d.name]?.main ?? [])).toEqual(d.main);
        expect(Buffer.concat(received[d.name]?.wal ?? [])).toEqual(d.wal);
      }
    },
  );

  it('pads an 8-character name to 16 bytes', () => {
    expect(text('exactly8')).toHaveLength(16);
    expect(text('k8s')).toHaveLength(8);
  });

  it('rejects a wrong format, too many databases, oversized parts, truncation and trailing bytes', () => {
    const badFormat = Buffer.from(data);
    badFormat[0] = 2;
    expect(() => parse(badFormat, 64)).toThrow(/unknown dqlite snapshot format 2/);
    const tooMany = Buffer.concat([u64(1), u64(1_000_000), data.subarray(16)]);
    expect(() => parse(tooMany, 64)).toThrow(/declares 1000000 databases/);
    const oversized = Buffer.concat([u64(1), u64(1), text('k8s'), u64(1 << 30), u64(0), Buffer.alloc(64)]);
    expect(() => parse(oversized, 64)).toThrow(
      /database 'k8s' declares 1073741824 main \+ 0 WAL bytes, more than/,
    );
    expect(() => parse(data.subarray(0, 5000), 64, null)).toThrow(
      /payload ends after 5000 bytes, inside the WAL of database 'k8s'/,
    );
    expect(() => parse(Buffer.concat([data, Buffer.alloc(1)]), 64)).toThrow(FsmFormatError);
  });
});
