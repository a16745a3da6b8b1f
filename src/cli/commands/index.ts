import type { CommandModule } from 'yargs';
import { analyzeCommand } from './analyze.js';
import { correlateCommand } from './correlate.js';
import { detectorsCommand } from './detectors.js';
import { eventsCommand } from './events.js';
import { helpTextWhenShown } from './_help-text.js';
import { ingestCommand } from './ingest.js';
import { serveCommand } from './serve.js';
import { snapshotCommand } from './snapshot.js';
import { verifyCommand } from './verify.js';

/**
 * Every command, in the order `--help` lists them. Each module lazy-imports its heavy code in its
 * handler so `howchain --help` stays fast. test/cli/commands.test.ts checks every file here is listed.
 */
export const commands: CommandModule<any, any>[] = [
  snapshotCommand,
  ingestCommand,
  verifyCommand,
  eventsCommand,
  correlateCommand,
  analyzeCommand,
  detectorsCommand,
  serveCommand,
].map(helpTextWhenShown);
