import type { Argv, CommandModule } from 'yargs';
import { ExitCode } from '../../errors.js';
import type { EventKind, EvidenceEvent } from '../../types/index.js';
import { createProgress, paint, printJson, warn } from '../output.js';
import { eventFilter, newestEventMs, withEventFilters, type EventFilterArgs } from './_event-filters.js';

interface EventsArgs extends EventFilterArgs {
  paths: string[];
  count: boolean;
  year?: number;
  tz?: string;
  json: boolean;
}

function printEvent(event: EvidenceEvent): void {
  const out = process.stdout;
  const message = event.message.length > 200 ? `${event.message.slice(0, 200)}…` : event.message;
  const colour = event.severity === 'error' ? 'red' : event.severity === 'warning' ? 'yellow' : 'dim';
  out.write(
    `${event.ts ?? '-'.padEnd(24)}  ${paint(out, colour, event.kind.padEnd(25))}  ${event.subject ?? '-'}  ${event.file}:${event.line}\n    ${message}\n`,
  );
}

function printCounts(byKind: Partial<Record<EventKind, number>>, json: boolean): void {
  const total = Object.values(byKind).reduce((sum, value) => sum + value, 0);
  if (json) return printJson({ count: total, byKind });
  for (const [kind, count] of Object.entries(byKind)) process.stdout.write(`${kind}\t${count}\n`);
  process.stdout.write(`total\t${total}\n`);
}

export const eventsCommand: CommandModule<object, EventsArgs> = {
  command: 'events <paths..>',
  describe: 'Classified events, one per line (NDJSON with --json)',
  builder: (yargs) =>
    withEventFilters(yargs as Argv<object>)
      .positional('paths', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'Log files, folders, archives, or a case database (its events, counted once)',
      })
      .option('count', {
        type: 'boolean',
        default: false,
        describe: 'Print only the number of events per kind',
      })
      .option('year', { type: 'number', describe: 'Year of log lines without one' })
      .option('tz', {
        type: 'string',
        describe: 'Zone of log lines without one: +10:00 or Australia/Brisbane',
      })
      .epilogue(
        'Kinds: docs/events.md. Exit codes: 0 read cleanly; 2 some file had a problem (named on stderr) or bad usage.',
      ) as unknown as Argv<EventsArgs>,
  handler: async (args) => {
    const { countEvidenceEvents, readEvidenceEvents } = await import('../../bundle/events.js');
    const { checkTimeOptions } = await import('../../bundle/ingest.js');
    checkTimeOptions(args);
    const filter = eventFilter(args);
    const wanted = filter.kinds;
    const { caseInputs } = await import('../../pipeline/inputs.js');
    const cases = caseInputs(args.paths);
    const files = args.paths.filter((path) => !cases.includes(path));
    const progress = createProgress();
    let problems: { file: string; problem: string }[];
    try {
      if (args.count && filter.kindsOnly && cases.length === 0) {
        const counted = await countEvidenceEvents(files, { onProgress: progress.update });
        problems = counted.problems;
        const byKind = Object.fromEntries(
          Object.entries(counted.byKind).filter(([kind]) => !wanted || wanted.has(kind as EventKind)),
        );
        progress.done();
        printCounts(byKind, args.json);
      } else {
        const result = await readEvidenceEvents(files, {
          year: args.year,
          tz: args.tz,
          onProgress: progress.update,
        });
        problems = result.problems;
        if (cases.length > 0) {
          const { loadCase } = await import('../../store/case-db.js');
          const { compareEvents } = await import('../../parse/event.js');
          for (const path of cases) result.events.push(...loadCase(path).events);
          result.events.sort(compareEvents);
        }
        progress.done();
        const newest = filter.needsNewest ? newestEventMs(result.events) : undefined;
        const events = result.events.filter((event) => filter.keep(event, newest));
        if (args.count) {
          const byKind: Partial<Record<EventKind, number>> = {};
          for (const event of events) byKind[event.kind] = (byKind[event.kind] ?? 0) + 1;
          printCounts(byKind, args.json);
        } else if (args.json) for (const event of events) process.stdout.write(`${JSON.stringify(event)}\n`);
        else for (const event of events) printEvent(event);
      }
    } finally {
      progress.done();
    }
    for (const problem of problems) warn(`${problem.file}: ${problem.problem}`);
    if (problems.length > 0) process.exitCode = ExitCode.BadInput;
  },
};
