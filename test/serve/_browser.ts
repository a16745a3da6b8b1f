/**
 * What the browser tests share: Debian's Chromium (driven by playwright-core, which never downloads a
 * browser of its own), where their screenshots go, and `howchain serve` started as a user starts it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const chromiumPath = '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);
/** Artifacts CI keeps (gitignored): screenshots of the page as a person sees it. */
export const outputDir = join(process.cwd(), 'test-output');
/** The CLI from source, as `node <cli…> <command>`. */
export const cli = ['--import', 'tsx', 'src/cli/index.ts'];

/** The flags this machine's closed network needs: no background fetches, no first-run, no sync. */
export const chromiumFlags = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** `howchain serve --case <casePath> --port 0 --json <extra…>`, resolved with the URL it prints. */
export function startServe(
  casePath: string,
  extra: string[] = [],
): Promise<{ process: ChildProcess; url: string }> {
  const child = spawn('node', [...cli, 'serve', '--case', casePath, '--port', '0', '--json', ...extra], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      try {
        resolve({ process: child, url: (JSON.parse(out) as { url: string }).url });
      } catch {
        // The JSON object is still arriving.
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`howchain serve exited with ${code}: ${err}`)));
  });
}
