import type { Argv, CommandModule } from 'yargs';
import { helpTextWhenShown } from './_help-text.js';

/** A command module's part: its options and examples (builder) and its run (handler). */
export type CommandBody<Args> = Pick<CommandModule<object, Args>, 'builder' | 'handler'>;

interface Command {
  /** The command line yargs parses, positionals included. */
  command: string;
  /** Its line in `howchain --help`. */
  describe: string;
  load: () => Promise<CommandBody<any>>;
}

/**
 * Every command, in the order `--help` lists them, with its module imported only when the command
 * line names it: every run pays for what it imports, and the top-level `--help` needs only these
 * lines. Each module lazy-imports its heavy code in its handler too. test/cli/commands.test.ts
 * checks every file here is listed.
 */
export const commands: Command[] = [
  {
    command: 'snapshot',
    describe: 'Decode copies of dqlite snapshot files read-only: inspect, diff before/after, extract SQLite',
    load: async () => (await import('./snapshot.js')).snapshotCommand,
  },
  {
    command: 'ingest <bundles..>',
    describe: 'Hash and parse evidence bundles (folders, .tar, .tar.gz) into a case',
    load: async () => (await import('./ingest.js')).ingestCommand,
  },
  {
    command: 'verify <bundle>',
    describe: 'Re-hash a bundle and report any difference from the custody manifest',
    load: async () => (await import('./verify.js')).verifyCommand,
  },
  {
    command: 'events <paths..>',
    describe: 'Classified events, one per line (NDJSON with --json)',
    load: async () => (await import('./events.js')).eventsCommand,
  },
  {
    command: 'correlate <input>',
    describe: 'Lease failures against dqlite snapshot writes: lags, shares, permutation p-value, per lease',
    load: async () => (await import('./correlate.js')).correlateCommand,
  },
  {
    command: 'analyze <bundles..>',
    describe: 'Ingest evidence bundles, find what happened, and write the PIR draft with its how’s chain',
    load: async () => (await import('./analyze.js')).analyzeCommand,
  },
  {
    command: 'detectors',
    describe: 'List every detector: what it reads, its thresholds, and which findings it can explain',
    load: async () => (await import('./detectors.js')).detectorsCommand,
  },
  {
    command: 'serve',
    describe: 'Local offline web UI: upload evidence, read the PIR draft and its pictures',
    load: async () => (await import('./serve.js')).serveCommand,
  },
];

/**
 * `yargs` with every command, each with its module if one of `words` is its name. yargs builds and
 * runs only a command named by one of the words, so the others need only their `--help` line.
 */
export async function withCommands(yargs: Argv, words: string[]): Promise<Argv> {
  for (const { command, describe, load } of commands) {
    if (words.includes(command.split(' ')[0] as string))
      yargs.command(helpTextWhenShown({ command, describe, ...(await load()) }));
    else yargs.command(command, describe);
  }
  return yargs;
}
