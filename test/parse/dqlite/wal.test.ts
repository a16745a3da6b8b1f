import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FsmPayloadParser } from '../../../src/parse/dqlite/fsm-payload.js';
import { summarizeWal } from '../../../src/parse/dqlite/wal.js';

/** The WAL image of database 'k8s' in a real uncompressed dqlite 1.11 snapshot. */
function realWal(): Buffer {
  const payload = readFileSync(
    join(import.meta.dirname, '../../fixtures/dqlite-real/uncompressed/snapshot-1-32-3286395'),
  );
  const parts: Buffer[] = [];
  const parser = new FsmPayloadParser(
    () => ({ main: () => {}, wal: (b, s, e) => void parts.push(Buffer.from(b.subarray(s, e))) }),
    payload.length,
  );
  parser.write(payload, 0, payload.length);
  parser.finish();
  return Buffer.concat(parts);
}

describe('summarizeWal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'howchain-wal-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const wal = realWal();
  const frameBytes = 24 + 4096;
  const frames = (wal.length - 32) / frameBytes;
  const write = (name: string, data: Buffer) => {
    writeFileSync(join(dir, name), data);
    return join(dir, name);
  };

  it('applies every frame of a WAL written by dqlite (committed transactions only)', () => {
    expect(Number.isInteger(frames) && frames > 10).toBe(true);
    expect(summarizeWal(write('ok-wal', wal))).toEqual({ frames, applied: frames, problem: null });
  });

  it('stops at the last commit before a frame that fails its checksum, as SQLite does', () => {
    const bad = Buffer.from(wal);
    const victim = frames - 1; // 0-based: the last frame
    const at = 32 + victim * frameBytes + 24 + 100;
    bad[at] = (bad[at] as number) ^ 0xff;
    const summary = summarizeWal(write('bad-wal', bad));
    expect(summary.problem).toBe(`WAL frame ${frames} fails its checksum`);
    // The last commit frame before the damaged one.
    let lastCommit = 0;
    for (let n = 0; n < victim; n++) if (wal.readUInt32BE(32 + n * frameBytes + 4) !== 0) lastCommit = n + 1;
    expect(summary.applied).toBe(lastCommit);
  });

  it('reports a wrong magic or a damaged header', () => {
    const magic = Buffer.from(wal);
    magic[0] = 0;
    expect(summarizeWal(write('magic-wal', magic)).problem).toMatch(/wrong magic/);
    const header = Buffer.from(wal);
    header[20] = (header[20] as number) ^ 1;
    expect(summarizeWal(write('header-wal', header)).problem).toBe('WAL header checksum does not match');
    expect(summarizeWal(write('short-wal', wal.subarray(0, 10))).problem).toMatch(
      /shorter than its 32-byte header/,
    );
  });
});
