import { existsSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { ExitCode, UsageError } from '../../errors.js';
import { refuseOutputInEvidence, replaceFile } from '../../paths.js';
import type { AnalysisResult, Confidence } from '../../types/index.js';
import { createProgress, printJson, warn } from '../output.js';
import { checkAnalysisArgs, withAnalysisOptions, type AnalysisArgs } from './_analysis-options.js';
import { INGEST_LIMITS, limitsFrom, withLimitOptions } from './_limit-options.js';
import type { CommandBody } from './index.js';

interface AnalyzeArgs extends AnalysisArgs {
  bundles: string[];
  output?: string;
  case?: string;
  template?: string;
  charts?: string;
  html?: string;
  'fail-on': 'none' | Confidence;
  json: boolean;
}

const RANK: Record<Confidence, number> = { low: 0, medium: 1, high: 2 };

/** Findings at or above the --fail-on confidence; they make the exit code 1. */
function findingsOverThreshold(result: AnalysisResult, failOn: AnalyzeArgs['fail-on']): number {
  if (failOn === 'none') return 0;
  return result.findings.filter((f) => f.status === 'found' && RANK[f.confidence] >= RANK[failOn]).length;
}

export const analyzeCommand: CommandBody<AnalyzeArgs> = {
  builder: (yargs: Argv) =>
    withLimitOptions(
      withAnalysisOptions(
        yargs
          .positional('bundles', {
            type: 'string',
            array: true,
            demandOption: true,
            describe: 'Folders or archives of evidence, or a case database kept with --case',
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
          .option('html', {
            type: 'string',
            describe:
              'Also write the PIR as one self-contained HTML file: charts inline, every cited file:line opens its lines',
          })
          .option('fail-on', {
            choices: ['none', 'low', 'medium', 'high'] as const,
            default: 'none' as const,
            describe: 'Exit 1 when a finding of at least this confidence exists',
          }),
      ),
      INGEST_LIMITS,
    )
      .example('$0 analyze samples/bundle -o pir.md --charts charts', 'the PIR draft and its SVG charts')
      .example(
        '$0 analyze inspection-report-20260401_101500.tar.gz k8s02/ --case incident.db',
        'two bundles; keep the case',
      )
      .example('$0 analyze incident.db --json', 'analyse a kept case again, as JSON')
      .example(
        '$0 analyze samples/bundle --html pir.html',
        'one HTML file to share: click a citation to see its lines',
      )
      .example(
        '$0 analyze logs/ --tz Australia/Brisbane --year 2026 --fail-on high',
        'times without zone/year; exit 1 on a high-confidence finding',
      )
      .epilogue(
        'The same file given twice (same name and sha256) counts once; the copies are named. Exit codes: 0 clean; 1 findings at --fail-on; 2 bad input (an input with nothing to read is named). Docs: docs/analyze.md',
      ) as unknown as Argv<AnalyzeArgs>,
  handler: async (args) => {
    checkAnalysisArgs(args);
    const limits = limitsFrom(args, INGEST_LIMITS);
    // Fail before minutes of ingest, not after.
    if (args.template && !existsSync(args.template))
      throw new UsageError(`--template: no such folder: ${args.template}`);
    if (args.output) refuseOutputInEvidence(args.output, '--output', args.bundles);
    if (args.case) refuseOutputInEvidence(args.case, '--case', args.bundles);
    if (args.charts) {
      refuseOutputInEvidence(args.charts, '--charts', args.bundles);
      if (statSync(args.charts, { throwIfNoEntry: false })?.isDirectory() === false)
        throw new UsageError(`--charts ${args.charts} is a file; give a folder for the charts`);
    }
    if (args.html) refuseOutputInEvidence(args.html, '--html', args.bundles);
    const [{ ingestAndAnalyze }, { renderPir }] = await Promise.all([
      import('../../pipeline/analyze.js'),
      import('../../render/pir.js'),
    ]);
    const progress = createProgress();
    let close = () => {};
    // The case stays open until the PIR and the JSON are written: they quote lines from it.
    try {
      const analyzed = await ingestAndAnalyze(args.bundles, {
        renewDeadlineSeconds: args['renew-deadline'],
        seed: args.seed,
        permutations: args.permutations,
        limits,
        ...(args.case ? { casePath: args.case } : {}),
        ...(args.year !== undefined ? { year: args.year } : {}),
        ...(args.tz !== undefined ? { tz: args.tz } : {}),
        onProgress: progress.update,
      });
      const { result, unread } = analyzed;
      close = analyzed.close;
      // The case's own list names each file's bundle (the analysis' copy does not).
      const problems = analyzed.data.problems;
      // The charts read the case's pod facts as well as the analysis.
      if (args.charts) {
        const { writeCharts } = await import('../../render/charts/index.js');
        try {
          await writeCharts(analyzed.data, args.charts, result);
        } catch (error) {
          throw new UsageError(
            `--charts ${args.charts}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
          );
        }
      }
      if (args.html) {
        const { writeHtmlReport } = await import('../../serve/report.js');
        await writeHtmlReport(args.html, analyzed.data, result, {
          inputs: args.bundles,
          ...(args.template ? { templateDir: args.template } : {}),
        });
      }
      progress.done();
      // Links relative to where the PIR is written (the working folder for stdout), '/'-separated.
      const chartsDir = args.charts
        ? relative(args.output ? dirname(resolve(args.output)) : process.cwd(), resolve(args.charts))
            .split('\\')
            .join('/') || '.'
        : undefined;
      const { describeSetAside } = await import('../../store/set-aside.js');
      const { bundleNamer, problemNamer } = await import('./_problems.js');
      for (const line of describeSetAside(result.setAside ?? [], bundleNamer(args.bundles))) warn(line);
      for (const input of unread) warn(`${input.bundle}: ${input.problem}; skipped`);
      const where = problemNamer(args.bundles);
      for (const problem of problems) warn(`${where(problem)}: ${problem.problem}`);
      for (const failed of result.findings.filter((f) => f.status === 'failed')) warn(failed.claim);
      const markdown = renderPir(result, {
        ...(args.template ? { templateDir: args.template } : {}),
        ...(chartsDir ? { chartsDir } : {}),
      });
      if (args.output) {
        try {
          replaceFile(args.output, markdown);
        } catch (error) {
          throw new UsageError(
            `--output ${args.output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
          );
        }
      }
      if (args.json) await printJson(result);
      else if (!args.output) process.stdout.write(markdown);
      else
        process.stderr.write(
          `wrote ${args.output}: ${result.findings.length} findings, ${result.chain.steps.length} how's-chain steps\n`,
        );
      if (findingsOverThreshold(result, args['fail-on']) > 0) process.exitCode = ExitCode.Findings;
      // An input or a file skipped is bad input, as for ingest: the PIR is written, the code says so.
      if (unread.length > 0 || problems.length > 0) process.exitCode = ExitCode.BadInput;
    } finally {
      close();
      progress.done();
    }
  },
};
