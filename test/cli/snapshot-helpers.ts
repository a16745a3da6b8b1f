import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = join(import.meta.dirname, '../../src/cli/index.ts');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** What the run left in its private TMPDIR (must be nothing). */
  leftovers: string[];
}

/** Runs `howchain` from source with its own empty TMPDIR, so leftover scratch files are visible. */
export function runCli(args: string[]): CliResult {
  const scratch = mkdtempSync(join(tmpdir(), 'howchain-cli-test-'));
  const result = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, TMPDIR: scratch, NO_COLOR: '1' },
  });
  // tsx keeps its compile cache there (tsx-N); anything else was left by howchain.
  const leftovers = readdirSync(scratch).filter((name) => !name.startsWith('tsx-'));
  rmSync(scratch, { recursive: true, force: true });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, leftovers };
}

/** sha256, size, mtime and mode of every entry in a folder, and the folder's own listing. */
export function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = { '.': readdirSync(dir).sort().join(',') };
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    // Folders and FIFOs have no content to hash (and reading a FIFO would block).
    const content = stat.isFile()
      ? createHash('sha256').update(readFileSync(path)).digest('hex')
      : 'not a file';
    out[name] = `${content} ${stat.size} ${stat.mtimeMs} ${stat.mode}`;
  }
  return out;
}
