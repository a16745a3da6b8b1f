import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EvidenceStore } from '../../src/serve/evidence-store.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'howchain-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('EvidenceStore', () => {
  it('keeps uploads next to the case, named after it', () => {
    expect(EvidenceStore.forCase(join(dir, 'incident.db')).root).toBe(join(dir, 'incident.evidence'));
    expect(EvidenceStore.forCase(join(dir, 'incident')).root).toBe(join(dir, 'incident.evidence'));
  });

  it('accepts an upload into its own folder with a receipt, and lists it', async () => {
    const store = EvidenceStore.forCase(join(dir, 'case.db'));
    const { id, filesDir } = await store.begin();
    await writeFile(join(filesDir, 'bundle.tar.gz'), 'x');
    const receipt = await store.accept(id, [{ path: 'bundle.tar.gz', bytes: 1, sha256: 'f'.repeat(64) }]);
    expect(receipt).toMatchObject({ id, bundle: 'bundle/bundle.tar.gz', totalBytes: 1 });
    expect(store.bundlePath(receipt)).toBe(join(store.root, id, 'bundle', 'bundle.tar.gz'));
    expect(await readFile(store.bundlePath(receipt), 'utf8')).toBe('x');
    expect(await store.list()).toEqual([receipt]);
    expect(await readdir(store.incoming)).toEqual([]);
    // The receipt is read-only like the evidence.
    expect((await stat(join(store.root, id, 'receipt.json'))).mode & 0o222).toBe(0);
  });

  it('hands ingest the folder when an upload is several files', async () => {
    const store = EvidenceStore.forCase(join(dir, 'case.db'));
    const { id, filesDir } = await store.begin();
    await writeFile(join(filesDir, 'a.log'), 'a');
    await writeFile(join(filesDir, 'b.log'), 'b');
    const receipt = await store.accept(id, [
      { path: 'a.log', bytes: 1, sha256: '1'.repeat(64) },
      { path: 'b.log', bytes: 1, sha256: '2'.repeat(64) },
    ]);
    expect(receipt.bundle).toBe('bundle');
  });

  it('never accepts an upload over an existing one', async () => {
    const store = EvidenceStore.forCase(join(dir, 'case.db'));
    const first = await store.begin();
    await store.accept(first.id, []);
    const before = await readFile(join(store.root, first.id, 'receipt.json'), 'utf8');
    await expect(store.accept(first.id, [])).rejects.toThrow(/already exists/);
    expect(await readFile(join(store.root, first.id, 'receipt.json'), 'utf8')).toBe(before);
  });

  it('withdraws an accepted upload and discards incoming ones, touching nothing else', async () => {
    const store = EvidenceStore.forCase(join(dir, 'case.db'));
    const kept = await store.begin();
    await store.accept(kept.id, []);
    const taken = await store.begin();
    await store.accept(taken.id, []);
    const pending = await store.begin();
    await store.withdraw(taken.id);
    await store.discardIncoming(pending.id);
    expect((await store.list()).map((r) => r.id)).toEqual([kept.id]);
    expect(await readdir(store.incoming)).toEqual([]);
    expect(() => store.uploadDir('../escape')).toThrow(/not an upload id/);
  });
});
