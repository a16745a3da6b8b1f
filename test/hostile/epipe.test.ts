/**
 * `howchain … --json | head`: the reader closes the pipe after the first bytes. The run must end
 * quietly (no EPIPE stack, exit 0) and leave no scratch. Each command here writes its output in
 * more than one piece, so later writes meet the closed pipe.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fsmPayload, kineDatabase, LEASE_LINE, writeLines, writeSnapshot } from './_make.js';
import { startHowchain } from './_run.js';

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
  const started = startHowchain(root, args, mkdtempSync(join(root, 'tmp-')));
  started.child.stdout.once('data', () => started.child.stdout.destroy());
  const code = await started.closed;
  return { code, stderr: started.stderr(), left: started.leftovers() };
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
