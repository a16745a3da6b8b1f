import type { Argv, CommandModule } from 'yargs';
import { ExitCode } from '../../errors.js';
import { EVENT_KINDS, type EventKind, type EvidenceEvent } from '../../types/index.js';
import { createProgress, paint, printJson, warn } from '../output.js';

interface EventsArgs {
  paths: string[];
  kind?: string[];
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

export const eventsCommand: CommandModule<object, EventsArgs> = {
  command: 'events <paths..>',
  describe: 'Classified events, one per line (NDJSON with --json)',
  builder: (yargs) =>
    (yargs as Argv<object>)
      .positional('paths', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'Log files, folders or archives',
      })
      .option('kind', {
        type: 'string',
        array: true,
        choices: [...EVENT_KINDS],
        describe: 'Only these kinds',
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
    // `howchain events … | head` closes the pipe early: that is the reader's choice, not an error.
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
    const { countEvidenceEvents, readEvidenceEvents } = await import('../../bundle/events.js');
    const { checkTimeOptions } = await import('../../bundle/ingest.js');
    checkTimeOptions(args);
    const wanted = args.kind ? new Set(args.kind as EventKind[]) : null;
    const progress = createProgress();
    let problems: { file: string; problem: string }[];
    try {
      if (args.count) {
        const counted = await countEvidenceEvents(args.paths, { onProgress: progress.update });
        problems = counted.problems;
        const byKind = Object.fromEntries(
          Object.entries(counted.byKind).filter(([kind]) => !wanted || wanted.has(kind as EventKind)),
        );
        const total = Object.values(byKind).reduce((sum, value) => sum + value, 0);
        progress.done();
        if (args.json) printJson({ count: total, byKind });
        else {
          for (const [kind, count] of Object.entries(byKind)) process.stdout.write(`${kind}\t${count}\n`);
          process.stdout.write(`total\t${total}\n`);
        }
      } else {
        const result = await readEvidenceEvents(args.paths, {
          year: args.year,
          tz: args.tz,
          onProgress: progress.update,
        });
        problems = result.problems;
        progress.done();
        const events = wanted ? result.events.filter((event) => wanted.has(event.kind)) : result.events;
        if (args.json) for (const event of events) process.stdout.write(`${JSON.stringify(event)}\n`);
        else for (const event of events) printEvent(event);
      }
    } finally {
      progress.done();
    }
    for (const problem of problems) warn(`${problem.file}: ${problem.problem}`);
    if (problems.length > 0) process.exitCode = ExitCode.BadInput;
  },
};
