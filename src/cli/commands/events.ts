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
    const { readEvidenceEvents } = await import('../../bundle/events.js');
    const progress = createProgress();
    let result;
    try {
      result = await readEvidenceEvents(args.paths, {
        year: args.year,
        tz: args.tz,
        onProgress: progress.update,
      });
    } finally {
      progress.done();
    }
    const wanted = args.kind ? new Set(args.kind as EventKind[]) : null;
    const events = wanted ? result.events.filter((event) => wanted.has(event.kind)) : result.events;
    if (args.count) {
      const byKind: Record<string, number> = {};
      for (const event of events) byKind[event.kind] = (byKind[event.kind] ?? 0) + 1;
      if (args.json) printJson({ count: events.length, byKind });
      else {
        for (const [kind, count] of Object.entries(byKind)) process.stdout.write(`${kind}\t${count}\n`);
        process.stdout.write(`total\t${events.length}\n`);
      }
    } else if (args.json) {
      for (const event of events) process.stdout.write(`${JSON.stringify(event)}\n`);
    } else {
      for (const event of events) printEvent(event);
    }
    for (const problem of result.problems) warn(`${problem.file}: ${problem.problem}`);
    if (result.problems.length > 0) process.exitCode = ExitCode.BadInput;
  },
};
