import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { ExitCode, UsageError } from '../../errors.js';
import type { AnalysisResult, Confidence } from '../../types/index.js';
import { createProgress, printJson, warn } from '../output.js';
import {
  checkAnalysisArgs,
  refuseInsideEvidence,
  withAnalysisOptions,
  type AnalysisArgs,
} from './_analysis-options.js';

interface AnalyzeArgs extends AnalysisArgs {
  bundles: string[];
  output?: string;
  case?: string;
  template?: string;
  charts?: string;
  'fail-on': 'none' | Confidence;
  json: boolean;
}

const RANK: Record<Confidence, number> = { low: 0, medium: 1, high: 2 };

/** Findings at or above the --fail-on confidence; they make the exit code 1. */
function findingsOverThreshold(result: AnalysisResult, failOn: AnalyzeArgs['fail-on']): number {
  if (failOn === 'none') return 0;
  return result.findings.filter((f) => f.status === 'found' && RANK[f.confidence] >= RANK[failOn]).length;
}

export const analyzeCommand: CommandModule<object, AnalyzeArgs> = {
  command: 'analyze <bundles..>',
  describe: 'Ingest evidence bundles, find what happened, and write the PIR draft with its how’s chain',
  builder: (yargs: Argv) =>
    withAnalysisOptions(
      yargs
        .positional('bundles', {
          type: 'string',
          array: true,
          demandOption: true,
          describe: 'Folders or archives of evidence',
        })
        .option('output', {
          alias: 'o',
          type: 'string',
          describe: 'Write the PIR Markdown here (default: stdout)',
        })
        .option('case', { type: 'string', describe: 'Keep the ingested case in this SQLite file' })
        .option('template', {
          type: 'string',
          describe: 'Folder with pir.md.hbs and/or partials/*.hbs to use instead of the defaults',
        })
        .option('charts', {
          type: 'string',
          describe: 'Write the SVG charts into this folder and link them from the PIR',
        })
        .option('fail-on', {
          choices: ['none', 'low', 'medium', 'high'] as const,
          default: 'none' as const,
          describe: 'Exit 1 when a finding of at least this confidence exists',
        }),
    ) as unknown as Argv<AnalyzeArgs>,
  handler: async (args) => {
    checkAnalysisArgs(args);
    // Fail before minutes of ingest, not after.
    if (args.template && !existsSync(args.template))
      throw new UsageError(`--template: no such folder: ${args.template}`);
    if (args.output) refuseInsideEvidence(args.output, '--output', args.bundles);
    if (args.case) refuseInsideEvidence(args.case, '--case', args.bundles);
    if (args.charts) refuseInsideEvidence(args.charts, '--charts', args.bundles);
    // The charts read the case's pod facts as well as the analysis: keep a case until they are drawn.
    const chartsCase = args.charts && !args.case ? mkdtempSync(join(tmpdir(), 'howchain-charts-')) : null;
    const casePath = args.case ?? (chartsCase ? join(chartsCase, 'case.db') : undefined);
    const [{ analyzeBundles }, { renderPir }] = await Promise.all([
      import('../../pipeline/analyze.js'),
      import('../../render/pir.js'),
    ]);
    const progress = createProgress();
    let result: AnalysisResult;
    try {
      result = await analyzeBundles(args.bundles, {
        renewDeadlineSeconds: args['renew-deadline'],
        seed: args.seed,
        permutations: args.permutations,
        ...(casePath ? { casePath } : {}),
        ...(args.year !== undefined ? { year: args.year } : {}),
        ...(args.tz !== undefined ? { tz: args.tz } : {}),
        onProgress: progress.update,
      });
      if (args.charts && casePath) {
        const [{ writeCharts }, { loadCase }] = await Promise.all([
          import('../../render/charts/index.js'),
          import('../../store/case-db.js'),
        ]);
        await writeCharts(loadCase(casePath), args.charts, result);
      }
    } finally {
      progress.done();
      if (chartsCase) rmSync(chartsCase, { recursive: true, force: true });
    }
    // Links relative to where the PIR is written (the working folder for stdout), '/'-separated.
    const chartsDir = args.charts
      ? relative(args.output ? dirname(resolve(args.output)) : process.cwd(), resolve(args.charts))
          .split('\\')
          .join('/') || '.'
      : undefined;
    for (const problem of result.problems) warn(`${problem.file}: ${problem.problem}`);
    for (const failed of result.findings.filter((f) => f.status === 'failed')) warn(failed.claim);
    const markdown = renderPir(result, {
      ...(args.template ? { templateDir: args.template } : {}),
      ...(chartsDir ? { chartsDir } : {}),
    });
    if (args.output) {
      try {
        writeFileSync(args.output, markdown);
      } catch (error) {
        throw new UsageError(
          `--output ${args.output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        );
      }
    }
    if (args.json) printJson(result);
    else if (!args.output) process.stdout.write(markdown);
    else
      process.stderr.write(
        `wrote ${args.output}: ${result.findings.length} findings, ${result.chain.steps.length} how's-chain steps\n`,
      );
    if (findingsOverThreshold(result, args['fail-on']) > 0) process.exitCode = ExitCode.Findings;
  },
};
