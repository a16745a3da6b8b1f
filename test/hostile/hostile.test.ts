/**
 * Runs every case of the hostile-input corpus (test/hostile/corpus.ts) through the real CLI and
 * checks, for each run: the exit code; stderr is one line per problem, naming the file; nothing is
 * left in the run's private temp folder; the evidence is byte-for-byte and mtime unchanged; and peak
 * RSS stays under a crash guard (the memory targets are in bench/, not here).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fingerprintPath as fingerprint } from './_make.js';
import { RSS_GUARD_KB, run } from './_run.js';
import { hostileCases } from './corpus.js';

const root = mkdtempSync(join(tmpdir(), 'howchain-hostile-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('hostile input: read correctly or refused in one line naming the file', () => {
  for (const hostile of hostileCases) {
    it(`${hostile.name}: ${hostile.found}`, async () => {
      const dir = join(root, hostile.name);
      mkdirSync(join(dir, 'ev'), { recursive: true });
      mkdirSync(join(dir, 'out'), { recursive: true });
      const runs = await hostile.build(dir);
      for (const expected of runs) {
        const evidence = expected.evidence ?? ['ev'];
        const before = evidence.map((path) => fingerprint(join(dir, path)));
        const ran = await run(dir, expected.args);
        const label = `howchain ${expected.args.join(' ')}`;
        expect(ran.code, `${label}\n${ran.stderr}`).toBe(expected.code);
        const lines = ran.stderr.split('\n').filter((line) => line !== '');
        if (expected.stderr === null) expect(lines, label).toEqual([]);
        else {
          expect(lines.length, `${label}\n${ran.stderr}`).toBeGreaterThan(0);
          expect(lines.length, label).toBeLessThanOrEqual(expected.maxStderrLines ?? 1);
          for (const line of lines) expect(line, label).toMatch(expected.stderr);
        }
        expect(ran.leftovers, label).toEqual([]);
        expect(
          evidence.map((path) => fingerprint(join(dir, path))),
          label,
        ).toEqual(before);
        for (const path of expected.absent ?? [])
          expect(existsSync(join(dir, path)), `${label}: ${path}`).toBe(false);
        for (const path of expected.present ?? [])
          expect(existsSync(join(dir, path)), `${label}: ${path}`).toBe(true);
        for (const text of expected.stdoutHas ?? []) expect(ran.stdout, label).toContain(text);
        for (const text of expected.stdoutLacks ?? []) expect(ran.stdout, label).not.toContain(text);
        if (ran.rssKb !== null) expect(ran.rssKb, label).toBeLessThan(RSS_GUARD_KB);
      }
    }, 240_000);
  }
});
