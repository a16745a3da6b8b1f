/**
 * `howchain … --json | head`: the reader closes the pipe after the first bytes. The run must end
 * quietly (no EPIPE stack, exit 0) and leave no scratch. Each command here writes its output in
 * more than one piece, so later writes meet the closed pipe.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fsmPayload, kineDatabase, LEASE_LINE, writeLines, writeSnapshot } from './_make.js';

const CLI = join(import.meta.dirname, '../../src/cli/index.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const root = mkdtempSync(join(tmpdir(), 'howchain-epipe-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeAll(() => {
  mkdirSync(join(root, 'ev'));
  writeLines(join(root, 'ev/app.log'), 20_000, LEASE_LINE);
  const names = (function* () {
    for (let i = 0; i < 20_000; i++) yield `/registry/r${i}/ns/obj`;
  })();
  writeSnapshot(
    join(root, 'snap'),
    fsmPayload([{ name: 'db', main: kineDatabase(join(root, 'k.sqlite'), names) }]),
  );
}, 60_000);

/** Runs howchain with stdout read until the first bytes, then closed, as `| head -c 1` does. */
async function headOf(args: string[]) {
  const scratch = mkdtempSync(join(root, 'tmp-'));
  const child = spawn(process.execPath, ['--import', TSX, CLI, ...args], {
    cwd: root,
    env: { ...process.env, TMPDIR: scratch, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout.once('data', () => child.stdout.destroy());
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const left = readdirSync(scratch).filter((name) => !name.startsWith('tsx-'));
  return { code, stderr, left };
}

describe('a reader that closes the pipe early ends the run quietly', () => {
  for (const args of [
    ['events', 'ev/app.log', '--json'],
    ['events', 'ev/app.log'],
    ['ingest', 'ev', '--json'],
    ['analyze', 'ev', '--json', '--permutations', '9'],
    ['snapshot', 'inspect', 'snap/snapshot-1-32-1263800', '--json'],
    ['snapshot', 'inspect', 'snap/snapshot-1-32-1263800'],
  ])
    it(`howchain ${args.join(' ')} | head`, async () => {
      const ran = await headOf(args);
      expect(ran.stderr).toBe('');
      expect(ran.code).toBe(0);
      expect(ran.left).toEqual([]);
    }, 120_000);
});
