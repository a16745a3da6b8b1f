import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const scratch = mkdtempSync(join(tmpdir(), 'howchain-sample-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Files under a folder, except the real dqlite copies, which another generator writes. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile() && !f.startsWith('k8s02/backend-snapshots/'))
    .sort();
}

describe('scripts/make-sample-bundle.ts', () => {
  it('reproduces the committed sample bundle byte for byte', async () => {
    const out = join(scratch, 'bundle');
    await promisify(execFile)('node', ['--import', 'tsx', 'scripts/make-sample-bundle.ts', out]);
    expect(files(out)).toEqual(files('samples/bundle'));
    for (const file of files(out))
      expect(readFileSync(join(out, file)).equals(readFileSync(join('samples/bundle', file))), file).toBe(
        true,
      );
  });

  it('stays small', () => {
    const bytes = files('samples/bundle').reduce((n, f) => n + statSync(join('samples/bundle', f)).size, 0);
    expect(bytes).toBeLessThan(3 * 1024 * 1024);
  });
});
