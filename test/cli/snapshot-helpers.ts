import { spawn } from 'node:child_process';
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

/**
 * Runs `howchain` from source with its own empty TMPDIR, so leftover scratch files are visible.
 * Asynchronous on purpose: a synchronous child blocks the test worker's event loop, and on a busy
 * machine vitest's worker RPC then times out ("Timeout calling onTaskUpdate") though every test passed.
 */
export async function runCli(args: string[], input?: { stdin?: string }): Promise<CliResult> {
  const scratch = mkdtempSync(join(tmpdir(), 'howchain-cli-test-'));
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    env: { ...process.env, TMPDIR: scratch, NO_COLOR: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.end(input?.stdin ?? '');
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => resolve(status));
  });
  // tsx keeps its compile cache there (tsx-N); anything else was left by howchain.
  const leftovers = readdirSync(scratch).filter((name) => !name.startsWith('tsx-'));
  rmSync(scratch, { recursive: true, force: true });
  return { code, stdout, stderr, leftovers };
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
