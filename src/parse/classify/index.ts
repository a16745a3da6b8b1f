import type { EventKind, Severity } from '../../types/index.js';
import { wrapperLayers } from '../line-reader.js';
import { NeedleSet } from '../scan.js';
import { readLine, readMessage, type LineReading } from '../logs/index.js';
import {
  fresh,
  RepeatedLines,
  type LineCuts,
  type Recalled,
  type RecalledClock,
  type Repeat,
} from './_repeats.js';
import { apiserverTimeout } from './apiserver-timeout.js';
import { apiserverUnreachable } from './apiserver-unreachable.js';
import { certInvalid } from './cert-invalid.js';
import { crashloop } from './crashloop.js';
import { datastoreSlow } from './datastore-slow.js';
import { diskFull } from './disk-full.js';
import { dnsFailure } from './dns-failure.js';
import { imagePullFailure } from './image-pull-failure.js';
import { leaderAcquired } from './leader-acquired.js';
import { leaderLost } from './leader-lost.js';
import { leaseLockRetrieveError } from './lease-lock-retrieve-error.js';
import { leaseRenewFailure } from './lease-renew-failure.js';
import { nodeLeaseFailure } from './node-lease-failure.js';
import { nodePressure } from './node-pressure.js';
import { oomKill } from './oom-kill.js';
import { shutdown } from './shutdown.js';
import { isNearMiss } from './_near-miss.js';
import { snapshotTaken } from './snapshot-taken.js';
import type { EventRule, RuleInput, RuleMatch } from './types.js';
import { unknownFlag } from './unknown-flag.js';

export type { EventRule } from './types.js';
export type { LineCuts, RecalledClock, Repeat } from './_repeats.js';

/**
 * Every line rule, in priority order: a line is one event of the first kind that matches. A line whose
 * error names a definite cause is that cause (an expired certificate, a full disk), before the
 * leader-election kinds; otherwise a failed lease update caused by an API timeout is a lease event;
 * heartbeat leases go before leader election, which shares its wording since 1.35. `snapshot` events come from listings,
 * inventories and snapshot files too (src/parse/inventory), and from dqlite/libraft trace lines here.
 * test/parse/classify/index.test.ts checks the folder is listed.
 */
export const EVENT_RULES: EventRule[] = [
  certInvalid,
  diskFull,
  nodeLeaseFailure,
  leaseLockRetrieveError,
  leaseRenewFailure,
  leaderLost,
  leaderAcquired,
  shutdown,
  unknownFlag,
  imagePullFailure,
  oomKill,
  crashloop,
  nodePressure,
  datastoreSlow,
  dnsFailure,
  apiserverTimeout,
  apiserverUnreachable,
  snapshotTaken,
];

/** The literal strings the byte scanner looks for: a line without any of them is never an event. */
export const EVENT_NEEDLES: string[] = [...new Set(EVENT_RULES.flatMap((rule) => rule.needles))];

export const KIND_SEVERITY: Record<EventKind, Severity> = {
  ...(Object.fromEntries(EVENT_RULES.map((rule) => [rule.kind, rule.severity])) as Record<
    EventKind,
    Severity
  >),
  snapshot: 'info',
};

export interface Classified extends RuleMatch {
  kind: EventKind;
  severity: Severity;
}

/**
 * The needle dispatch: each needle carries the bits of the rules that list it (bit i = rule i), so
 * one search over a line (`NeedleSet.maskIn`, done by the scanner while it finds the line) tells which
 * rules can match, and a line is tested only against those instead of every needle of every rule.
 */
if (EVENT_RULES.length > 32) throw new Error('more than 32 rules: the needle masks need another word');
export const EVENT_NEEDLE_MASKS: number[] = EVENT_NEEDLES.map((needle) =>
  EVENT_RULES.reduce((mask, rule, index) => (rule.needles.includes(needle) ? mask | (1 << index) : mask), 0),
);
export const EVENT_NEEDLE_SET = new NeedleSet(EVENT_NEEDLES, EVENT_NEEDLE_MASKS);

/**
 * Classifies an already-read message (text + fields), e.g. an Event object's reason and message.
 * `rawMask` is the needle mask of `raw` when the scanner already has it.
 */
export function classifyMessage(
  input: RuleInput,
  raw: string = input.text,
  rawMask?: number,
): Classified | null {
  let mask = rawMask ?? EVENT_NEEDLE_SET.maskOf(raw);
  // A message that is the end of its raw line has no needle the raw line lacks; an unquoted or
  // unescaped one may. Compared as a slice (`===` compares a flat string's characters as memory):
  // `endsWith` reads them one at a time, twice as long over a long line.
  const { text } = input;
  if (raw !== text && (raw.length < text.length || raw.slice(raw.length - text.length) !== text))
    mask |= EVENT_NEEDLE_SET.maskOf(text);
  for (let index = 0; mask !== 0 && index < EVENT_RULES.length; index++) {
    if ((mask & (1 << index)) === 0) continue;
    const rule = EVENT_RULES[index] as EventRule;
    const match = rule.match(input);
    if (!match) continue;
    // A prompt, a grep pattern or flag help carries the words without being the event. Asked only
    // of a line a rule took (rules are pure), so the many candidates no rule takes skip it.
    return isNearMiss(input.text) ? null : { kind: rule.kind, severity: rule.severity, ...match };
  }
  return null;
}

const repeats = new RepeatedLines<Classified | null>((event) => event && keptEvent(event));

/**
 * A classification to keep for repeats: its subject and attrs are often slices of the line, which
 * would keep the line's whole 64 KiB piece of the log alive (1,024 kept lines, 64 MB).
 */
function keptEvent(event: Classified): Classified {
  let attrs: Classified['attrs'];
  if (event.attrs) {
    attrs = {};
    for (const [name, value] of Object.entries(event.attrs))
      attrs[name] = typeof value === 'string' ? fresh(value) : value;
  }
  return {
    ...event,
    subject: event.subject === null ? null : fresh(event.subject),
    ...(attrs ? { attrs } : {}),
  };
}

/** A line's reading and classification; `repeat` when it was answered from a line seen before. */
export interface ClassifiedLine {
  reading: LineReading;
  event: Classified;
  repeat?: Repeat;
}

/**
 * Reads a raw log line through the formats and classifies it; null when it is not an event.
 * `mask`: the line's needle mask in `needles`, when the scanner has it.
 */
export function classifyLine(line: string, mask?: number, needles?: NeedleSet): ClassifiedLine | null {
  return classifyLogLine(line, mask, needles).classified;
}

/**
 * `classifyLine`, and whether the line was known: answered from a line seen before but for its
 * clocks (src/parse/classify/_repeats.ts), which is looked up when the scanner gives the line's mask.
 */
export function classifyLogLine(
  line: string,
  mask?: number,
  needles?: NeedleSet,
): { classified: ClassifiedLine | null; known: boolean } {
  const recalled = mask === undefined || !needles ? null : repeats.recall(line, mask, needles);
  if (recalled && 'answer' in recalled) return { classified: answered(recalled), known: true };
  return { classified: classifyAfresh(line, mask, needles, recalled), known: false };
}

/** `classifyLogLine`'s event kind alone, for a count: a known line's reading is not built. */
export function logLineKind(
  line: string,
  mask: number,
  needles: NeedleSet,
): { kind: EventKind | null; known: boolean } {
  const recalled = repeats.recallAnswer(line, mask, needles);
  if (recalled && 'answer' in recalled) return { kind: recalled.answer?.kind ?? null, known: true };
  return { kind: classifyAfresh(line, mask, needles, recalled)?.event.kind ?? null, known: false };
}

/**
 * Reads a line through the formats and classifies it, remembering it by `cuts` (when it has them):
 * what `recallEvent` gives for a line it does not know.
 */
export function classifyAfresh(
  line: string,
  mask: number | undefined,
  needles: NeedleSet | undefined,
  cuts: LineCuts | null,
): ClassifiedLine | null {
  // A line the repeats table could keep is read, to be kept: its repeats are answered from it.
  if (cuts === null && mask !== undefined && ruledOut(line, mask)) return null;
  const layers = wrapperLayers(line);
  const message = layers ? readMessage(line, layers) : undefined;
  const reading = readLine(line, layers, message);
  const event = classifyMessage({ text: reading.body, fields: reading.fields ?? {} }, line, mask);
  if (cuts && layers && message) {
    repeats.remember(line, mask as number, needles as NeedleSet, cuts, layers, message, reading, event);
  }
  return event ? { reading, event } : null;
}

/**
 * A line answered from one seen before but for its clocks, with its time but without its reading
 * (its classification: `answer`, null when that line was no event); else the line's cuts for
 * `classifyAfresh` (or null). `mask`: as `classifyLogLine`'s; undefined for a line the scanner did
 * not search. `bytes[start..]`: the line's bytes, when the caller has them (cheaper to compare).
 */
export function recallEvent(
  line: string,
  mask: number | undefined,
  needles: NeedleSet,
  bytes?: Uint8Array,
  start = 0,
): RecalledClock<Classified | null> | LineCuts | null {
  return repeats.recallClock(line, mask, needles, bytes, start);
}

/** The event kind of a line the scanner did not search, for a count (null: no event; undefined: not known). */
export function recallLineKind(
  line: string,
  needles: NeedleSet,
  bytes?: Uint8Array,
  start = 0,
): EventKind | null | undefined {
  const recalled = repeats.recallAnswer(line, undefined, needles, bytes, start);
  return recalled && 'answer' in recalled ? (recalled.answer?.kind ?? null) : undefined;
}

function answered(recalled: Recalled<Classified | null>): ClassifiedLine | null {
  const event = recalled.answer;
  if (!event) return null;
  return { reading: recalled.reading, event: ownEvent(event), repeat: recalled.repeat };
}

/**
 * A kept classification for one event: with its own attrs, as a classification of its own would
 * give (readers may keep them).
 */
export function ownEvent(event: Classified): Classified {
  return event.attrs ? { ...event, attrs: { ...event.attrs } } : event;
}

/** The rules with `requires`, as a needle mask. */
const REQUIRING = EVENT_RULES.reduce((mask, rule, index) => (rule.requires ? mask | (1 << index) : mask), 0);

/**
 * Whether no rule can take `line`, told from the line itself before it is read: each rule its
 * needles name (`mask`) `requires` a literal the line lacks. Reading a line (its wrapper, its time,
 * the message formats tried) was most of what a candidate costs, and in an apiserver's trace blocks
 * most candidates are steps (`---"Txn call failed" err:context deadline exceeded`) that
 * apiserver_timeout does not take: half of the bench's trace journal's candidates, 3 µs each.
 *
 * Told only where the message a rule sees is slices of the line as they are. The readers change a
 * message inside a JSON object (`{`: escapes decoded, its error joined to it), a logfmt line (`=`:
 * the same), a klog message in quotes (`] "`: taken out of them, escapes decoded), a zap console
 * line (tabs made spaces) and colour codes (dropped); any of these could bring a literal or another
 * rule's needle together. Elsewhere a needle in the message is in the line, so the mask names every
 * rule that could take it (test/parse/classify/ruled-out.test.ts: a line of each kind).
 */
export function ruledOut(line: string, mask: number): boolean {
  if (
    (mask & ~REQUIRING) !== 0 ||
    line.includes('\u001b') ||
    line.includes('\t') ||
    line.includes('{') ||
    line.includes('=') ||
    line.includes('] "')
  )
    return false;
  for (let index = 0; index < EVENT_RULES.length; index++) {
    if ((mask & (1 << index)) === 0) continue;
    for (const literal of (EVENT_RULES[index] as EventRule).requires as string[])
      if (line.includes(literal)) return false;
  }
  return true;
}
