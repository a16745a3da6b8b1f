import type { Argv } from 'yargs';
import { ExitCode } from '../../errors.js';
import { createProgress, paint, printJson } from '../output.js';
import { limitsFrom, withLimitOptions } from './_limit-options.js';
import type { CommandBody } from './index.js';

interface VerifyArgs {
  bundle: string;
  case: string;
  json: boolean;
}

export const verifyCommand: CommandBody<VerifyArgs> = {
  builder: (yargs) =>
    withLimitOptions(
      (yargs as Argv<object>)
        .positional('bundle', {
          type: 'string',
          demandOption: true,
          describe: 'The folder or archive that was ingested',
        })
        .option('case', {
          type: 'string',
          demandOption: true,
          describe: 'Case database holding the manifest',
        }),
      ['bundle'],
    )
      .example(
        '$0 verify inspection-report-20260401_101500.tar.gz --case incident.db',
        'has anything changed since ingest?',
      )
      .example(
        '$0 verify /mnt/copy/bundle --case incident.db',
        'a moved or copied bundle is found by the paths and sha256 inside it',
      )
      .epilogue(
        'Exit codes: 0 unchanged; 1 files changed, missing or added; 2 bad input. Docs: docs/ingest.md',
      ) as unknown as Argv<VerifyArgs>,
  handler: async (args) => {
    const { verify } = await import('../../pipeline/verify.js');
    const progress = createProgress();
    let result;
    try {
      result = await verify(args.bundle, args.case, progress.update, limitsFrom(args, ['bundle']));
    } finally {
      progress.done();
    }
    const differs = result.changed.length + result.missing.length + result.added.length > 0;
    if (args.json) await printJson(result);
    else {
      const out = process.stdout;
      if (result.recordedAs)
        out.write(`recorded as ${result.recordedAs} (matched by the paths and sha256 inside the bundle)\n`);
      for (const change of result.changed) {
        out.write(
          `${paint(out, 'red', 'changed')}  ${change.path}  ${change.recorded.sha256} → ${change.now.sha256 || 'unreadable'}\n`,
        );
      }
      for (const path of result.missing) out.write(`${paint(out, 'red', 'missing')}  ${path}\n`);
      for (const path of result.added) out.write(`${paint(out, 'yellow', 'added')}    ${path}\n`);
      out.write(
        `${result.checked} files checked: ${result.unchanged} unchanged, ${result.changed.length} changed, ${result.missing.length} missing, ${result.added.length} added\n`,
      );
    }
    if (differs) process.exitCode = ExitCode.Findings;
  },
};
