/**
 * The filters `events` takes, kubectl- and lnav-style: `--kind a,b`, `--since/--until` (RFC 3339 or
 * a duration like `2h`), `--namespace`, `--subject` (`*` matches any run of characters), `--grep`
 * (a regular expression on the line). Options and checks are data here; the command applies
 * `eventFilter` to each event, whichever way it reads them.
 */
import type { Argv } from 'yargs';
import { UsageError } from '../../errors.js';
import { EVENT_KINDS, type EventKind, type EvidenceEvent } from '../../types/index.js';

export interface EventFilterArgs {
  kind?: string[];
  since?: string;
  until?: string;
  namespace?: string[];
  subject?: string[];
  grep?: string;
}

/** `--kind a,b --kind c` → [a, b, c]: kubectl's comma lists and yargs' repeated options alike. */
const commaList = (values: string[] | undefined) =>
  values
    ?.flatMap((value) => String(value).split(','))
    .map((value) => value.trim())
    .filter(Boolean);

export function withEventFilters<T>(yargs: Argv<T>) {
  return yargs
    .option('kind', {
      type: 'string',
      array: true,
      coerce: commaList,
      describe: `Only these kinds, comma-separated or repeated: ${EVENT_KINDS.join(', ')}`,
    })
    .option('since', {
      type: 'string',
      describe:
        'Only events at or after this time: RFC 3339, or a duration (90s, 15m, 2h, 1d) before the newest event read',
    })
    .option('until', {
      type: 'string',
      describe: 'Only events before this time: RFC 3339, or a duration before the newest event read',
    })
    .option('namespace', {
      alias: 'n',
      type: 'string',
      array: true,
      coerce: commaList,
      describe: 'Only events whose subject is in this namespace (ns/name)',
    })
    .option('subject', {
      type: 'string',
      array: true,
      coerce: commaList,
      describe: 'Only events about this subject (lease, pod, unit or node; * matches anything)',
    })
    .option('grep', {
      type: 'string',
      describe: 'Only events whose line matches this regular expression (case-sensitive; (?i) for not)',
    });
}

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^(\d+(?:\.\d+)?)(s|m|h|d)$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** A point in time as given: absolute (ms since the epoch), or a span before the newest event. */
type TimeBound = { at: number } | { beforeNewest: number };

function parseTimeBound(option: string, value: string): TimeBound {
  const duration = DURATION.exec(value.trim());
  if (duration) return { beforeNewest: Number(duration[1]) * UNITS[duration[2]!]! };
  if (RFC3339.test(value.trim())) {
    const at = Date.parse(value.trim().replace(' ', 'T'));
    if (Number.isFinite(at)) return { at };
  }
  throw new UsageError(
    `--${option} ${value}: not an RFC 3339 time (2026-04-01T13:30:00Z, with its zone) or a duration like 2h`,
  );
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

export interface EventFilter {
  /** True when a time bound is relative: the newest event must be known before filtering. */
  needsNewest: boolean;
  /** Whether the event is kept; `newestMs` is the newest event time read (for relative bounds). */
  keep(event: EvidenceEvent, newestMs?: number): boolean;
  /** True when only --kind is set: a count by kind needs nothing else. */
  kindsOnly: boolean;
  kinds: Set<EventKind> | null;
}

/** Checks the filter options (exit 2 naming the bad one) and builds the predicate. */
export function eventFilter(args: EventFilterArgs): EventFilter {
  const known = new Set<string>(EVENT_KINDS);
  for (const kind of args.kind ?? [])
    if (!known.has(kind))
      throw new UsageError(`--kind ${kind}: not an event kind; the kinds: ${EVENT_KINDS.join(', ')}`);
  const kinds = args.kind?.length ? new Set(args.kind as EventKind[]) : null;
  const since = args.since !== undefined ? parseTimeBound('since', args.since) : null;
  const until = args.until !== undefined ? parseTimeBound('until', args.until) : null;
  const namespaces = args.namespace?.length ? new Set(args.namespace) : null;
  const subjects = args.subject?.length ? args.subject.map(globToRegExp) : null;
  let grep: RegExp | null = null;
  if (args.grep !== undefined) {
    const insensitive = args.grep.startsWith('(?i)');
    try {
      grep = new RegExp(insensitive ? args.grep.slice(4) : args.grep, insensitive ? 'i' : '');
    } catch (error) {
      throw new UsageError(`--grep ${args.grep}: not a regular expression (${(error as Error).message})`);
    }
  }
  const bound = (value: TimeBound, newestMs: number | undefined) =>
    'at' in value ? value.at : (newestMs ?? Number.NaN) - value.beforeNewest;
  return {
    kinds,
    kindsOnly: !since && !until && !namespaces && !subjects && !grep,
    needsNewest: Boolean((since && 'beforeNewest' in since) || (until && 'beforeNewest' in until)),
    keep(event, newestMs) {
      if (kinds && !kinds.has(event.kind)) return false;
      if (since || until) {
        // An event without a time cannot be placed in a window, so a time filter leaves it out.
        const ms = event.ts === null ? Number.NaN : Date.parse(event.ts);
        if (!Number.isFinite(ms)) return false;
        if (since && !(ms >= bound(since, newestMs))) return false;
        if (until && !(ms < bound(until, newestMs))) return false;
      }
      if (namespaces) {
        const slash = event.subject?.indexOf('/') ?? -1;
        if (slash <= 0 || !namespaces.has(event.subject!.slice(0, slash))) return false;
      }
      if (subjects && !subjects.some((pattern) => pattern.test(event.subject ?? ''))) return false;
      if (grep && !grep.test(event.message)) return false;
      return true;
    },
  };
}

/**
 * The newest event time among `events` and `newest` (ms), for relative --since/--until; undefined
 * when none has one. `newest` carries the answer so far when events come one at a time.
 */
export function newestEventMs(
  events: Iterable<EvidenceEvent>,
  newest: number | undefined = undefined,
): number | undefined {
  for (const event of events) {
    if (event.ts === null) continue;
    const ms = Date.parse(event.ts);
    if (Number.isFinite(ms) && (newest === undefined || ms > newest)) newest = ms;
  }
  return newest;
}
