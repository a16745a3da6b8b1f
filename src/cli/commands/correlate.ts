import type { Argv } from 'yargs';
import type { CaseData, Correlation } from '../../types/index.js';
import { ExitCode } from '../../errors.js';
import { createProgress, printJson, warn } from '../output.js';
import { checkAnalysisArgs, withAnalysisOptions, type AnalysisArgs } from './_analysis-options.js';
import { INGEST_LIMITS, limitsFrom, withLimitOptions } from './_limit-options.js';
import type { CommandBody } from './index.js';

interface CorrelateArgs extends AnalysisArgs {
  input: string;
  json: boolean;
}

const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);

function correlationText(c: Correlation): string {
  const lines = [
    `window: ${c.windowSeconds} s after each snapshot write`,
    `span: ${c.span ? `${c.span.start} – ${c.span.end}` : 'none'}`,
    `snapshots with a wall-clock time: ${c.snapshots.length}`,
    `lease failures in the span: ${c.failuresInSpan} (excluded: ${c.excluded.undated} undated, ${c.excluded.outsideSpan} outside the span)`,
    `within the window: ${c.withinWindow} (${pct(c.observedShare)}); expected if unrelated: ${pct(c.expectedShare)}; ratio ${c.lift === null ? 'n/a' : c.lift.toFixed(1)}×`,
    `permutation p-value: ${c.pValue ?? 'n/a'} (${c.permutations} circular shifts, seed ${c.seed})`,
    `wall-clock anchor: ${c.wallClockAnchor}`,
    '',
    'lease                                      failures  within  share   median lag',
    ...c.perSubject.map(
      (g) =>
        `${g.subject.padEnd(42)} ${String(g.failures).padStart(8)}  ${String(g.withinWindow).padStart(6)}  ${pct(g.share).padStart(6)}  ${g.medianLagSeconds === null ? 'n/a' : `${g.medianLagSeconds.toFixed(1)} s`}`,
    ),
    ...c.notes.map((n) => `note: ${n}`),
  ];
  return `${lines.join('\n')}\n`;
}

export const correlateCommand: CommandBody<CorrelateArgs> = {
  builder: (yargs: Argv) =>
    withLimitOptions(
      withAnalysisOptions(
        yargs.positional('input', {
          type: 'string',
          demandOption: true,
          describe: 'An evidence bundle or a case database',
        }),
      ),
      INGEST_LIMITS,
    )
      .example('$0 correlate samples/bundle', 'shares, lags and the permutation p-value per lease')
      .example('$0 correlate incident.db --renew-deadline 15 --json', 'a kept case, a 15 s window, as JSON')
      .epilogue(
        'Exit codes: 0 computed; 2 bad input or usage. Docs: docs/analyze.md',
      ) as unknown as Argv<CorrelateArgs>,
  handler: async (args) => {
    checkAnalysisArgs(args);
    const limits = limitsFrom(args, INGEST_LIMITS);
    const { correlateCase } = await import('../../analyze/run.js');
    const { readInputs } = await import('../../pipeline/analyze.js');
    // A case database (recognised by its schema) is read as it is; anything else is ingested first.
    const progress = createProgress();
    let data: CaseData;
    let unread: { bundle: string; problem: string }[];
    let close: () => void;
    try {
      ({ data, unread, close } = await readInputs([args.input], {
        ...(args.year !== undefined ? { year: args.year } : {}),
        ...(args.tz !== undefined ? { tz: args.tz } : {}),
        limits,
        onProgress: progress.update,
      }));
    } finally {
      progress.done();
    }
    // Open until written: the failure rows quote their lines from the case.
    try {
      const correlation = correlateCase(data, {
        renewDeadlineSeconds: args['renew-deadline'],
        seed: args.seed,
        permutations: args.permutations,
      });
      if (args.json) await printJson(correlation);
      else process.stdout.write(correlationText(correlation));
    } finally {
      close();
    }
    // Skipped files are named and make the exit code 2, as in ingest, events and analyze.
    for (const input of unread) warn(`${input.bundle}: ${input.problem}; skipped`);
    const { problemNamer } = await import('./_problems.js');
    const where = problemNamer([args.input]);
    for (const problem of data.problems) warn(`${where(problem)}: ${problem.problem}`);
    if (unread.length > 0 || data.problems.length > 0) process.exitCode = ExitCode.BadInput;
  },
};
