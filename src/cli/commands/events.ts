import { once } from 'node:events';
import type { Argv } from 'yargs';
import { eachPaced } from '../../bounded.js';
import { ExitCode } from '../../errors.js';
import type { LimitScope } from '../../limits.js';
import type { EventKind, EvidenceEvent } from '../../types/index.js';
import { terminalText } from '../../render/format.js';
import { createProgress, paint, printJson, warn } from '../output.js';
import { eventFilter, newestEventMs, withEventFilters, type EventFilterArgs } from './_event-filters.js';
import { limitsFrom, withLimitOptions } from './_limit-options.js';
import type { CommandBody } from './index.js';

/** `events` walks bundles and parses logs; it decodes no snapshot. */
const EVENTS_LIMITS = ['bundle', 'parse'] as const satisfies LimitScope[];

interface EventsArgs extends EventFilterArgs {
  paths: string[];
  count: boolean;
  year?: number;
  tz?: string;
  json: boolean;
}

function formatEvent(event: EvidenceEvent): string {
  const out = process.stdout;
  const message = terminalText(
    event.message.length > 200 ? `${event.message.slice(0, 200)}…` : event.message,
  );
  const colour = event.severity === 'error' ? 'red' : event.severity === 'warning' ? 'yellow' : 'dim';
  return `${event.ts ?? '-'.padEnd(24)}  ${paint(out, colour, event.kind.padEnd(25))}  ${terminalText(event.subject ?? '-')}  ${terminalText(event.file)}:${event.line}\n    ${message}\n`;
}

const formatJson = (event: EvidenceEvent) => `${JSON.stringify(event)}\n`;

/** Writes stdout in pieces of about 64 KiB: one write per event is one system call per event. */
class Output {
  private parts: string[] = [];
  private chars = 0;

  /** `beforeWrite` clears the progress line, which is drawn again at its next update. */
  constructor(private readonly beforeWrite: () => void) {}

  add(text: string): void {
    this.parts.push(text);
    this.chars += text.length;
    if (this.chars >= 1 << 16) this.flush();
  }

  /**
   * NDJSON already in UTF-8 (finished by the scan workers): written as it is, after the text before
   * it. False when stdout took the bytes at once (a file, or a pipe or terminal on Linux: nothing
   * queued), so their memory may be written into again; else the write queue holds them.
   */
  addBytes(bytes: Uint8Array): boolean {
    this.flush();
    this.beforeWrite();
    process.stdout.write(bytes);
    return process.stdout.writableLength > 0;
  }

  flush(): void {
    if (this.parts.length === 0) return;
    this.beforeWrite();
    process.stdout.write(this.parts.join(''));
    this.parts = [];
    this.chars = 0;
  }

  /**
   * Resolves once stdout has taken what was written: readers wait here so that a reader of the
   * output slower than the evidence (`| jq`, `| less`) holds the input back instead of the output
   * queueing up in memory. A reader that has gone ends the run (EPIPE) rather than this wait.
   */
  async drained(): Promise<void> {
    if (process.stdout.writableNeedDrain) await once(process.stdout, 'drain');
  }
}

async function printCounts(byKind: Partial<Record<EventKind, number>>, json: boolean): Promise<void> {
  const total = Object.values(byKind).reduce((sum, value) => sum + value, 0);
  if (json) return printJson({ count: total, byKind });
  for (const [kind, count] of Object.entries(byKind)) process.stdout.write(`${kind}\t${count}\n`);
  process.stdout.write(`total\t${total}\n`);
}

export const eventsCommand: CommandBody<EventsArgs> = {
  builder: (yargs) =>
    withLimitOptions(
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
        }),
      [...EVENTS_LIMITS],
    )
      .example('$0 events samples/bundle --kind lease_renew_failure,leader_lost', 'two kinds, in time order')
      .example(
        '$0 events case.db --since 2h --namespace kube-system',
        'the last two hours of the evidence in a kept case',
      )
      .example(
        '$0 events logs/ --since 2026-04-01T13:00:00+10:00 --until 2026-04-01T14:00:00+10:00 --json',
        'one hour as NDJSON',
      )
      .example(
        "$0 events bundle.tar.gz --subject 'ci/awx-*' --grep 'Back-off' --count",
        'counts per kind of the matching lines',
      )
      .epilogue(
        'Kinds: docs/events.md. Exit codes: 0 read cleanly; 2 some file had a problem (named on stderr) or bad usage.',
      ) as unknown as Argv<EventsArgs>,
  handler: async (args) => {
    const { countEvidenceEvents, streamEvidenceEvents } = await import('../../bundle/events.js');
    const { Spill } = await import('../../bundle/spill.js');
    const { checkTimeOptions } = await import('../../bundle/ingest.js');
    checkTimeOptions(args);
    const limits = limitsFrom(args, [...EVENTS_LIMITS]);
    const filter = eventFilter(args);
    const wanted = filter.kinds;
    const { caseInputs, isEmptyFolder } = await import('../../pipeline/inputs.js');
    const cases = new Set(caseInputs(args.paths));
    const progress = createProgress();
    const problems: { file: string; problem: string }[] = [];
    for (const path of args.paths)
      if (isEmptyFolder(path)) problems.push({ file: path, problem: 'no files in it: nothing to read' });
    try {
      if (args.count && filter.kindsOnly && cases.size === 0) {
        const counted = await countEvidenceEvents(args.paths, { onProgress: progress.update, limits });
        problems.push(...counted.problems);
        const byKind = Object.fromEntries(
          Object.entries(counted.byKind).filter(([kind]) => !wanted || wanted.has(kind as EventKind)),
        );
        progress.done();
        await printCounts(byKind, args.json);
      } else {
        const output = new Output(progress.done);
        const pace = () => output.drained();
        // Paths in the order given: a case's events as stored (time order), evidence as it is read.
        const readAll = async (onEvent: (event: EvidenceEvent) => void) => {
          for (const path of args.paths) {
            if (cases.has(path)) {
              // Loaded only for a case: the case database's module brings better-sqlite3.
              const { caseEvents, loadCaseSummary } = await import('../../store/case-db.js');
              const { problemNamer } = await import('./_problems.js');
              await eachPaced(caseEvents(path), onEvent, pace);
              // Files its ingest skipped are named again, as analyze and correlate of a case do.
              const where = problemNamer([]);
              for (const problem of loadCaseSummary(path).problems)
                problems.push({ file: where(problem), problem: problem.problem });
            } else
              problems.push(
                ...(await streamEvidenceEvents([path], {
                  year: args.year,
                  tz: args.tz,
                  limits,
                  onProgress: progress.update,
                  onEvent,
                  pace,
                  // NDJSON with at most a kind filter can be finished by the worker threads.
                  json:
                    args.json && !args.count && filter.kindsOnly
                      ? { kinds: wanted ? [...wanted] : null, onNdjson: (bytes) => output.addBytes(bytes) }
                      : undefined,
                })),
              );
          }
        };
        const byKind: Partial<Record<EventKind, number>> = {};
        const format = args.json ? formatJson : formatEvent;
        const take = args.count
          ? (event: EvidenceEvent) => {
              byKind[event.kind] = (byKind[event.kind] ?? 0) + 1;
            }
          : (event: EvidenceEvent) => output.add(format(event));
        if (filter.needsNewest) {
          // A window relative to the newest event needs all of them read first: they wait on disk.
          const spill = new Spill<EvidenceEvent>();
          try {
            let newest: number | undefined;
            await readAll((event) => {
              newest = newestEventMs([event], newest);
              spill.write(event);
            });
            await eachPaced(
              spill.drain(),
              (event) => {
                if (filter.keep(event, newest)) take(event);
              },
              pace,
            );
          } finally {
            spill.close();
          }
        } else {
          await readAll((event) => {
            if (filter.keep(event)) take(event);
          });
        }
        output.flush();
        progress.done();
        if (args.count) await printCounts(byKind, args.json);
      }
    } finally {
      progress.done();
    }
    for (const problem of problems) warn(`${problem.file}: ${problem.problem}`);
    if (problems.length > 0) process.exitCode = ExitCode.BadInput;
  },
};
