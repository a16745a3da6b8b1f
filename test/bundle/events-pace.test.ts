/**
 * Events handed on no faster than their consumer takes them: while `pace` (the output draining) has
 * not resolved, no more events come, whether they are read from a file as it streams, from the
 * spill an archive's year-less lines wait in, from the scan workers, or from a kept case. Without
 * this a reader slower than the evidence (`| jq`) made the output queue up in memory: 1.5 GB for a
 * case of a million events.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eachPaced } from '../../src/bounded.js';
import { streamEvidenceEvents } from '../../src/bundle/events.js';
import { addToCase } from '../../src/pipeline/ingest.js';
import { caseEvents } from '../../src/store/case-db.js';
import { scratch, tarOf } from './_bundle.js';

const LINES = 6000;
/** Year-less klog lines (an archive spills them until its end), about 110 bytes each. */
const log = Array.from(
  { length: LINES },
  (_, i) =>
    `I0331 22:${String(Math.floor(i / 600) % 60).padStart(2, '0')}:${String(Math.floor(i / 10) % 60).padStart(2, '0')}.${String(i % 1000).padStart(3, '0')}000 1 leaderelection.go:297] failed to renew lease kube-system/c${i % 7}: context deadline exceeded`,
).join('\n');

let root: string;
let folder: string;
beforeAll(() => {
  root = scratch();
  folder = join(root, 'bundle');
  mkdirSync(join(folder, 'node'), { recursive: true });
  writeFileSync(join(folder, 'node', 'controller.log'), `${log}\n`);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * A pace that holds the reader at its first call: the events delivered by then must not grow while
 * it is held (a few turns of the event loop and a timer), and all of them come once it is let go.
 */
async function readHeldOnce(
  read: (onEvent: () => void, pace: () => Promise<void>) => Promise<unknown>,
): Promise<{ atHold: number; whileHeld: number; total: number }> {
  let delivered = 0;
  let release = () => {};
  let reachedHold = (_count: number) => {};
  const hold = new Promise<number>((resolve) => (reachedHold = resolve));
  let holding = false;
  const pace = () => {
    if (holding) return Promise.resolve();
    holding = true;
    reachedHold(delivered);
    return new Promise<void>((resolve) => (release = resolve));
  };
  const done = read(() => delivered++, pace);
  // -1: the reader ended without ever waiting.
  const atHold = await Promise.race([hold, done.then(() => -1)]);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const whileHeld = delivered;
  release();
  await done;
  return { atHold, whileHeld, total: delivered };
}

describe('events wait for their consumer', () => {
  it('a folder log read as it streams, an archive whose lines wait in a spill, and a log in the scan workers', async () => {
    const archive = tarOf(folder, join(root, 'bundle.tar.gz'));
    for (const [path, parallelMinBytes] of [
      [folder, undefined],
      [archive, undefined],
      [folder, 1],
    ] as const) {
      const seen = await readHeldOnce((onEvent, pace) =>
        streamEvidenceEvents([path], { year: 2026, onEvent, pace, parallelMinBytes }),
      );
      expect(seen.atHold, `${path} ${parallelMinBytes ?? ''}`).toBeGreaterThanOrEqual(0);
      expect(seen.whileHeld, `${path} ${parallelMinBytes ?? ''}`).toBe(seen.atHold);
      expect(seen.total).toBe(LINES);
    }
  });

  it('a kept case read row by row', async () => {
    const casePath = join(root, 'case.db');
    await addToCase(casePath, [folder], { year: 2026 });
    const seen = await readHeldOnce((onEvent, pace) => eachPaced(caseEvents(casePath), onEvent, pace));
    expect(seen.atHold).toBe(1024);
    expect(seen.whileHeld).toBe(1024);
    expect(seen.total).toBe(LINES);
  });
});
