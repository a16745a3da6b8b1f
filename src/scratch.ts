/**
 * Private scratch folders under the system temp directory. Decoded snapshots hold every stored object
 * in plain text (Secrets included), so a folder must not outlive the run: each is removed by its
 * owner's `finally`, and whatever is still registered when the process ends — process.exit() from
 * an error, or SIGINT/SIGTERM/SIGHUP — is removed by the handlers installed with
 * `removeScratchOnExit()`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const live = new Set<string>();

/** A new folder `howchain-<purpose>-XXXXXX` (mode 0700) under the temp directory, registered for removal. */
export function makeScratchDir(purpose: string): string {
  const dir = mkdtempSync(join(tmpdir(), `howchain-${purpose}-`));
  live.add(dir);
  return dir;
}

/** Removes a scratch folder now (idempotent). */
export function removeScratchDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  live.delete(dir);
}

/** Removes every scratch folder still registered; synchronous, so it can run in an exit handler. */
export function removeAllScratch(): void {
  for (const dir of [...live]) {
    try {
      removeScratchDir(dir);
    } catch {
      // Best effort at exit: one folder that cannot be removed must not keep the others.
    }
  }
}

/** Exit codes of a run stopped by a signal, as shells report them (128 + signal number). */
const SIGNAL_EXIT: Record<'SIGINT' | 'SIGTERM' | 'SIGHUP', number> = {
  SIGHUP: 129,
  SIGINT: 130,
  SIGTERM: 143,
};

let installed = false;

/**
 * Removes all scratch when the process exits or is stopped by SIGINT, SIGTERM or SIGHUP. A command
 * that handles a signal itself (serve closes its server) keeps doing so; otherwise the process exits
 * with 128 + the signal number.
 */
export function removeScratchOnExit(): void {
  if (installed) return;
  installed = true;
  process.on('exit', removeAllScratch);
  for (const [signal, code] of Object.entries(SIGNAL_EXIT)) {
    const onSignal = () => {
      removeAllScratch();
      if (process.listenerCount(signal) > 1) return;
      process.exit(code);
    };
    process.on(signal, onSignal);
  }
  // A signal that arrives during synchronous work (parsing a large document, a store transaction)
  // waits for the event loop; when that work was the last, the loop would end without reading it and
  // the run would exit 0 as if it had not been stopped. One more turn of the loop delivers it.
  process.once('beforeExit', () => setImmediate(() => {}));
}
