import type { Argv } from 'yargs';
import { ExitCode } from '../../errors.js';
import type { CaseSummary } from '../../types/index.js';
import { terminalText } from '../../render/format.js';
import { createProgress, paint, printJson, warn } from '../output.js';
import { maxOf } from '../../bounded.js';
import { INGEST_LIMITS, limitsFrom, withLimitOptions } from './_limit-options.js';
import type { CommandBody } from './index.js';

interface IngestArgs {
  bundles: string[];
  case?: string;
  year?: number;
  tz?: string;
  json: boolean;
}

function printManifest(summary: CaseSummary, bundles: Set<string>): void {
  // Made here, not when the module loads: setting one up takes ~6 ms, which --json runs need not pay.
  const n = new Intl.NumberFormat('en-US');
  const { eventsByKind, factsByKind } = summary;
  const entries = summary.manifest.filter((entry) => bundles.has(entry.bundle));
  const width = maxOf(
    entries.map((entry) => entry.path.length),
    4,
  );
  const typeWidth = maxOf(
    entries.map((entry) => entry.type.length),
    4,
  );
  const out = process.stdout;
  for (const bundle of bundles) out.write(`${paint(out, 'bold', terminalText(bundle))}\n`);
  out.write(`${'path'.padEnd(width)}  ${'bytes'.padStart(12)}  ${'type'.padEnd(typeWidth)}  sha256\n`);
  for (const entry of entries) {
    out.write(
      `${terminalText(entry.path).padEnd(width)}  ${n.format(entry.size).padStart(12)}  ${entry.type.padEnd(typeWidth)}  ${entry.sha256 || paint(out, 'red', 'unreadable')}\n`,
    );
  }
  const events = Object.values(eventsByKind).reduce((total, count) => total + count, 0);
  out.write(
    `\n${n.format(entries.length)} files; ${n.format(events)} events (${Object.entries(eventsByKind)
      .map(([kind, count]) => `${kind} ${count}`)
      .join(', ')}); facts: ${Object.entries(factsByKind)
      .map(([kind, count]) => `${kind} ${count}`)
      .join(', ')}; ${summary.snapshots} snapshots decoded\n`,
  );
}

export const ingestCommand: CommandBody<IngestArgs> = {
  builder: (yargs) =>
    withLimitOptions(
      (yargs as Argv<object>)
        .positional('bundles', {
          type: 'string',
          array: true,
          demandOption: true,
          describe: 'Folders, .tar or .tar.gz files',
        })
        .option('case', { type: 'string', describe: 'Case database to add to (created if missing)' })
        .option('year', { type: 'number', describe: 'Year of log lines without one (klog, journald short)' })
        .option('tz', {
          type: 'string',
          describe: 'Zone of log lines without one: +10:00 or Australia/Brisbane',
        }),
      INGEST_LIMITS,
    )
      .example(
        '$0 ingest inspection-report-20260401_101500.tar.gz --case pir.db',
        'hash, parse and keep in a case',
      )
      .example(
        '$0 ingest k8s01/ k8s02/ --case pir.db --tz +10:00',
        'two folders; times without a zone are UTC+10',
      )
      .epilogue(
        'Exit codes: 0 all files read; 2 some files could not be read or parsed (each named on stderr; the rest is in the case) or bad usage. Docs: docs/ingest.md',
      ) as unknown as Argv<IngestArgs>,
  handler: async (args) => {
    const limits = limitsFrom(args, INGEST_LIMITS);
    const { ingestSummary } = await import('../../pipeline/ingest.js');
    const { resolve } = await import('node:path');
    const { problemNamer } = await import('./_problems.js');
    const progress = createProgress();
    let summary: CaseSummary;
    try {
      summary = await ingestSummary(args.bundles, {
        casePath: args.case,
        year: args.year,
        tz: args.tz,
        limits,
        onProgress: progress.update,
      });
    } finally {
      progress.done();
    }
    const bundles = new Set(args.bundles.map((bundle) => resolve(bundle)));
    const problems = summary.problems.filter(
      (problem) => problem.bundle === undefined || bundles.has(problem.bundle),
    );
    if (args.json) {
      await printJson({
        case: args.case ? resolve(args.case) : null,
        manifest: summary.manifest.filter((entry) => bundles.has(entry.bundle)),
        events: summary.eventsByKind,
        facts: summary.factsByKind,
        snapshots: summary.snapshots,
        problems,
      });
    } else {
      printManifest(summary, bundles);
    }
    const where = problemNamer(args.bundles);
    for (const problem of problems) warn(`${where(problem)}: ${problem.problem}`);
    if (problems.length > 0) process.exitCode = ExitCode.BadInput;
  },
};
