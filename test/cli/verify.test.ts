import { appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeBundle } from '../bundle/_bundle.js';
import { runCli } from './snapshot-helpers.js';

const cleanup: string[] = [];
afterEach(() => {
  for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('howchain verify', () => {
  it('exit 0 when unchanged, 1 with the differences listed when not', async () => {
    const { root, dir } = makeBundle('evidence', { from: 'bundle/basic' });
    cleanup.push(root);
    const casePath = join(root, 'case.db');
    expect((await runCli(['ingest', dir, '--case', casePath, '--json'])).code).toBe(2);
    const clean = await runCli(['verify', dir, '--case', casePath]);
    expect(clean.code).toBe(0);
    expect(clean.stdout.trim()).toBe('8 files checked: 8 unchanged, 0 changed, 0 missing, 0 added');
    appendFileSync(join(dir, 'README.txt'), 'tampered\n');
    const dirty = await runCli(['verify', dir, '--case', casePath, '--json']);
    expect(dirty.code).toBe(1);
    const result = JSON.parse(dirty.stdout) as { changed: { path: string }[] };
    expect(result.changed.map((change) => change.path)).toEqual(['README.txt']);
  });
});
