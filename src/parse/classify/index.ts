import type { EventKind, Severity } from '../../types/index.js';
import { wrapperLayers } from '../line-reader.js';
import { needlePattern } from '../scan.js';
import { readLine, type LineReading } from '../logs/index.js';
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
 * The needle dispatch: one regex over all needles (a trie, `needlePattern`) tells which rules can
 * match a line, so a line is tested only against those rules instead of every needle of every rule.
 * At a position the longest needle matches; the shorter needles it starts with are implied
 * (`RULES_OF_NEEDLE`), and searching resumes one character later so needles inside it are found too.
 */
const NEEDLE_PATTERN = needlePattern(EVENT_NEEDLES, 'g');
const RULES_OF_NEEDLE = new Map<string, number[]>(
  EVENT_NEEDLES.map((needle) => [
    needle,
    EVENT_RULES.flatMap((rule, index) => (rule.needles.some((own) => needle.startsWith(own)) ? [index] : [])),
  ]),
);
/** `candidate[i] === stamp` marks rule i as a candidate for the current line (no per-line allocation). */
const candidate = new Uint32Array(EVENT_RULES.length);
let stamp = 0;

function markCandidates(text: string, from = 0): void {
  NEEDLE_PATTERN.lastIndex = from;
  for (let hit = NEEDLE_PATTERN.exec(text); hit !== null; hit = NEEDLE_PATTERN.exec(text)) {
    for (const index of RULES_OF_NEEDLE.get(hit[0]) as number[]) candidate[index] = stamp;
    NEEDLE_PATTERN.lastIndex = hit.index + 1;
  }
}

/**
 * Classifies an already-read message (text + fields), e.g. an Event object's reason and message.
 * `firstNeedle` is where in `raw` the first needle is known to start (the scanner found it there).
 */
export function classifyMessage(
  input: RuleInput,
  raw: string = input.text,
  firstNeedle = 0,
): Classified | null {
  if (stamp === 0xffffffff) {
    candidate.fill(0);
    stamp = 0;
  }
  stamp++;
  markCandidates(raw, firstNeedle);
  // A message that is the end of its raw line has no needle the raw line lacks.
  if (raw !== input.text && !raw.endsWith(input.text)) markCandidates(input.text);
  let checked = false;
  for (let index = 0; index < EVENT_RULES.length; index++) {
    if (candidate[index] !== stamp) continue;
    // A prompt, a grep pattern or flag help carries the words without being the event.
    if (!checked && isNearMiss(input.text)) return null;
    checked = true;
    const rule = EVENT_RULES[index] as EventRule;
    const match = rule.match(input);
    if (match) return { kind: rule.kind, severity: rule.severity, ...match };
  }
  return null;
}

/**
 * Reads a raw log line through the formats and classifies it; null when it is not an event.
 * `firstNeedle`: no needle starts before this offset of the line (the scanner's first hit).
 */
export function classifyLine(
  line: string,
  firstNeedle = 0,
): { reading: LineReading; event: Classified } | null {
  const reading = readLine(line, wrapperLayers(line));
  const event = classifyMessage({ text: reading.body, fields: reading.fields ?? {} }, line, firstNeedle);
  return event ? { reading, event } : null;
}
