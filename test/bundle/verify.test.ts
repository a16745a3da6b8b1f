import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ingest } from '../../src/pipeline/ingest.js';
import { verify } from '../../src/pipeline/verify.js';
import { makeBundle, tarOf } from './_bundle.js';

const cleanup: string[] = [];
afterEach(() => {
  for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('verify', () => {
  it('finds nothing to report right after ingest (folder and archive)', async () => {
    const { root, dir } = makeBundle('evidence', { from: 'bundle/basic' });
    cleanup.push(root);
    const archive = tarOf(dir, join(root, 'evidence.tar.gz'));
    const casePath = join(root, 'case.db');
    await ingest([dir, archive], { casePath });
    for (const bundle of [dir, archive]) {
      const result = await verify(bundle, casePath);
      expect(result).toMatchObject({ checked: 8, unchanged: 8, changed: [], missing: [], added: [] });
    }
  });

  it('reports changed, missing and added files', async () => {
    const { root, dir } = makeBundle('evidence', { from: 'bundle/basic' });
    cleanup.push(root);
    const casePath = join(root, 'case.db');
    const data = await ingest([dir], { casePath });
    appendFileSync(join(dir, 'README.txt'), 'edited afterwards\n');
    rmSync(join(dir, 'kubectl/pods.json'));
    writeFileSync(join(dir, 'new.log'), 'hello\n');
    const result = await verify(dir, casePath);
    const recorded = data.manifest.find((entry) => entry.path === 'README.txt');
    expect(result.changed).toEqual([
      {
        path: 'README.txt',
        recorded: { sha256: recorded?.sha256, size: recorded?.size },
        now: { sha256: expect.stringMatching(/^[0-9a-f]{64}$/), size: (recorded?.size ?? 0) + 18 },
      },
    ]);
    expect(result.missing).toEqual(['kubectl/pods.json']);
    expect(result.added).toEqual(['new.log']);
    expect(result.unchanged).toBe(6);
  });

  it('refuses a bundle the case does not know', async () => {
    const first = makeBundle('evidence', { from: 'bundle/basic' });
    const other = makeBundle('other', { files: { 'a.log': 'x\n' } });
    cleanup.push(first.root, other.root);
    const casePath = join(first.root, 'case.db');
    await ingest([first.dir], { casePath });
    await expect(verify(other.dir, casePath)).rejects.toThrow(/not in case/);
  });
});
