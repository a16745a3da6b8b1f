import type { Argv, CommandModule } from 'yargs';

/**
 * Whether this run can print a command's help text: `--help` (or `help` as the last word, which
 * yargs reads the same way) shows it, and shell completion lists options with their descriptions.
 * Any word that could be one of those counts, so a doubtful run keeps its help text.
 */
const helpShown = process.argv
  .slice(2)
  .some((arg) => arg === 'help' || arg.startsWith('--help') || arg === '--get-yargs-completions');

/**
 * A command that is built with its help text only when the run can show it. Once yargs has started
 * a command's handler it renders that command's whole help, to keep in case the handler fails
 * (howchain then prints one line, never the help): cliui measures every character of it with
 * string-width 7, whose emoji regex is compiled on its first runs: 15–110 ms of every command (by
 * the length of its help), more than `events` spends on a small log. Without its texts (usage line, descriptions, examples,
 * epilogue) and with every option hidden the help is empty and costs nothing; parsing, the checks
 * and their one-line errors do not read any of it. Nested commands (`snapshot inspect`) are wrapped
 * too: yargs resets the usage line for each level.
 */
export function helpTextWhenShown(command: CommandModule<any, any>): CommandModule<any, any> {
  const { builder } = command;
  if (helpShown || typeof builder !== 'function') return command;
  // howchain's builders return yargs itself, never a promise.
  return { ...command, builder: (yargs: Argv) => builder(withoutHelpText(yargs)) as Argv };
}

function withoutHelpText(yargs: Argv): Argv {
  // `.usage(null)` (missing from yargs' types) drops this command's usage line.
  yargs.usage(null as unknown as string);
  for (const global of ['json', 'debug', 'help', 'version']) yargs.hide(global);
  const describe = yargs.describe.bind(yargs);
  // Options and positionals reach `describe` with their text; the key must still be declared, for --strict.
  return Object.assign(yargs, {
    describe: (key: string) => describe(key, '').hide(key),
    example: () => yargs,
    epilogue: () => yargs,
  });
}
