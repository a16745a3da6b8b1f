#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { HowchainError, ExitCode } from '../errors.js';
import { terminalText } from '../render/format.js';
import { removeScratchOnExit } from '../scratch.js';
import { withCommands } from './commands/index.js';
import { paint } from './output.js';

const argv = hideBin(process.argv);
const debug = argv.includes('--debug');

// Scratch (decoded snapshots hold Secrets in plain text) goes on every way out, Ctrl-C included.
removeScratchOnExit();

// `howchain … | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? ExitCode.Clean);
    fail(error);
  });
}

function fail(error: unknown): never {
  const name = paint(process.stderr, 'red', 'howchain');
  if (error instanceof HowchainError && !debug) {
    process.stderr.write(`${name}: ${terminalText(error.line)}\n`);
    process.exit(error.exitCode);
  }
  if (!debug) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `${name}: internal error (a bug in howchain, not a problem with the evidence): ${terminalText(message.split('\n')[0] ?? '')} (rerun with --debug for the stack)\n`,
    );
    process.exit(ExitCode.Internal);
  }
  console.error(error);
  process.exit(error instanceof HowchainError ? error.exitCode : ExitCode.Internal);
}

process.on('unhandledRejection', fail);

const cli = (
  await withCommands(
    yargs(argv)
      .scriptName('howchain')
      .usage('$0 <command> [options]\n\nOffline post-incident review for Kubernetes incidents.')
      .option('json', { type: 'boolean', default: false, describe: 'Machine-readable output on stdout' })
      .option('debug', { type: 'boolean', default: false, describe: 'Show stack traces for errors' }),
    argv,
  )
)
  .completion('completion', 'Print a bash/zsh completion script: howchain completion >> ~/.bashrc')
  .demandCommand(1, 'Name a command; see howchain --help')
  .strict()
  .recommendCommands()
  .epilogue(
    'Exit codes: 0 clean, 1 findings over the threshold, 2 bad input or usage (or some files skipped), 3 internal error (a bug). Docs: docs/cli.md',
  )
  .fail((message, error) => {
    if (error) fail(error);
    process.stderr.write(`howchain: ${message}\nRun howchain --help for usage.\n`);
    process.exit(ExitCode.BadInput);
  })
  .help()
  .version();

try {
  await cli.parseAsync();
} catch (error) {
  fail(error);
}
