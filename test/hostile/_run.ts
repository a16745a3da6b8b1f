/** Runs the CLI for the hostile-input tests. */
import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { STACK_KB } from './corpus.js';

const CLI = join(import.meta.dirname, '../../src/cli/index.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
/** Far above what any case needs; only a leak or an unbounded buffer reaches it. */
export const RSS_GUARD_KB = 1024 * 1024;
const TIME = spawnSync('sh', ['-c', 'command -v /usr/bin/time']).status === 0 ? '/usr/bin/time' : null;

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  leftovers: string[];
  rssKb: number | null;
}

/**
 * Runs `howchain` from source in `cwd` with its own empty TMPDIR (what is left there is returned),
 * a reduced stack (see STACK_KB) and, when time(1) is there, its peak RSS.
 */
export async function run(cwd: string, args: string[]): Promise<Ran> {
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

export interface Started {
  child: ChildProcessByStdio<null, Readable, Readable>;
  /** stderr so far. */
  stderr(): string;
  /** The exit code once the process has closed. */
  closed: Promise<number | null>;
  /** What is left in its TMPDIR (tsx's own cache aside). */
  leftovers(): string[];
}

/**
 * Starts `howchain` from source in `cwd` with TMPDIR `scratch`, for a test that acts on the running
 * process (a signal, a closed pipe, a request to a server) rather than waiting for it.
 */
export function startHowchain(cwd: string, args: string[], scratch: string): Started {
  const child = spawn(process.execPath, ['--import', TSX, CLI, ...args], {
    cwd,
    env: { ...process.env, TMPDIR: scratch, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return {
    child,
    stderr: () => stderr,
    closed: new Promise((resolve) => child.on('close', (code) => resolve(code))),
    leftovers: () => readdirSync(scratch).filter((name) => !name.startsWith('tsx-')),
  };
}
