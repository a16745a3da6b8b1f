/**
 * Runs every case of the hostile-input corpus (test/hostile/corpus.ts) through the real CLI and
 * checks, for each run: the exit code; stderr is one line per problem, naming the file; nothing is
 * left in the run's private temp folder; the evidence is byte-for-byte and mtime unchanged; and peak
 * RSS stays under a crash guard (the memory targets are in bench/, not here).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fingerprintPath as fingerprint } from './_make.js';
import { STACK_KB, hostileCases } from './corpus.js';

const CLI = join(import.meta.dirname, '../../src/cli/index.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
/** Far above what any case needs; only a leak or an unbounded buffer reaches it. */
const RSS_GUARD_KB = 1024 * 1024;
const TIME = spawnSync('sh', ['-c', 'command -v /usr/bin/time']).status === 0 ? '/usr/bin/time' : null;

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  leftovers: string[];
  rssKb: number | null;
}

async function run(cwd: string, args: string[]): Promise<Ran> {
  const scratch = mkdtempSync(join(tmpdir(), 'howchain-hostile-tmp-'));
  // tsx by its full path: the run's working folder is the case's, outside this package.
  const node = [process.execPath, `--stack-size=${STACK_KB}`, '--import', TSX, CLI, ...args];
  const [command, ...rest] = TIME ? [TIME, '-f', '@rss %M', ...node] : node;
  const child = spawn(command as string, rest, {
    cwd,
    env: { ...process.env, TMPDIR: scratch, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => resolve(status));
  });
  let rssKb: number | null = null;
  if (TIME) {
    const lines = stderr.split('\n');
    const at = lines.findIndex((line) => line.startsWith('@rss '));
    rssKb = Number(lines[at]?.slice(5));
    // time(1) adds "Command exited with non-zero status N" before its own line.
    stderr = lines.filter((line, i) => i !== at && !line.startsWith('Command exited with')).join('\n');
  }
  const leftovers = readdirSync(scratch).filter((name) => !name.startsWith('tsx-'));
  rmSync(scratch, { recursive: true, force: true });
  return { code, stdout, stderr, leftovers, rssKb };
}

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
