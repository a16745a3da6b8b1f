import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { howchain } from './_howchain.js';

const scratch = mkdtempSync(join(tmpdir(), 'howchain-analyze-charts-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('howchain analyze --charts', () => {
  it('writes the three SVGs and links them from the PIR relative to it', async () => {
    const out = join(scratch, 'report');
    mkdirSync(out);
    const { code } = await howchain(
      'analyze',
      'samples/bundle',
      '-o',
      join(out, 'pir.md'),
      '--charts',
      join(scratch, 'pictures'),
    );
    expect(code).toBe(0);
    expect(readdirSync(join(scratch, 'pictures')).sort()).toEqual([
      'restarts.svg',
      'snapshot-size.svg',
      'snapshot-timeline.svg',
    ]);
    const pir = readFileSync(join(out, 'pir.md'), 'utf8');
    expect(pir).toContain('![Snapshot writes and lease failures](../pictures/snapshot-timeline.svg)');
    expect(pir).toContain('![Restarts per controller](../pictures/restarts.svg)');
    const timeline = readFileSync(join(scratch, 'pictures', 'snapshot-timeline.svg'), 'utf8');
    expect(timeline).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(timeline).toContain('class="lease-failure"');
  });

  it('refuses a charts folder inside the evidence, writing nothing', async () => {
    const { code, stderr } = await howchain(
      'analyze',
      'samples/bundle',
      '-o',
      join(scratch, 'x.md'),
      '--charts',
      'samples/bundle/charts',
    );
    expect(code).toBe(2);
    expect(stderr).toContain('--charts samples/bundle/charts is inside the evidence samples/bundle');
    expect(existsSync('samples/bundle/charts')).toBe(false);
    expect(existsSync(join(scratch, 'x.md'))).toBe(false);
  });
});
