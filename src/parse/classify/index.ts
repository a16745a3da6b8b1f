import type { EventKind, Severity } from '../../types/index.js';
import { readLine, type LineReading } from '../logs/index.js';
import { apiserverTimeout } from './apiserver-timeout.js';
import { crashloop } from './crashloop.js';
import { datastoreSlow } from './datastore-slow.js';
import { imagePullFailure } from './image-pull-failure.js';
import { leaderAcquired } from './leader-acquired.js';
import { leaderLost } from './leader-lost.js';
import { leaseLockRetrieveError } from './lease-lock-retrieve-error.js';
import { leaseRenewFailure } from './lease-renew-failure.js';
import { snapshotTaken } from './snapshot-taken.js';
import type { EventRule, RuleInput, RuleMatch } from './types.js';
import { unknownFlag } from './unknown-flag.js';

export type { EventRule } from './types.js';

/**
 * Every line rule, in priority order: a line is one event of the first kind that matches (a failed
 * lease update caused by an API timeout is a lease event). `snapshot` events come from listings,
 * inventories and snapshot files too (src/parse/inventory), and from dqlite/libraft trace lines here.
 * test/parse/classify/index.test.ts checks the folder is listed.
 */
export const EVENT_RULES: EventRule[] = [
  leaseLockRetrieveError,
  leaseRenewFailure,
  leaderLost,
  leaderAcquired,
  unknownFlag,
  imagePullFailure,
  crashloop,
  datastoreSlow,
  apiserverTimeout,
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

/** Classifies an already-read message (text + fields), e.g. an Event object's reason and message. */
export function classifyMessage(input: RuleInput, raw: string = input.text): Classified | null {
  for (const rule of EVENT_RULES) {
    if (!rule.needles.some((needle) => input.text.includes(needle) || raw.includes(needle))) continue;
    const match = rule.match(input);
    if (match) return { kind: rule.kind, severity: rule.severity, ...match };
  }
  return null;
}

/** Reads a raw log line through the formats and classifies it; null when it is not an event. */
export function classifyLine(line: string): { reading: LineReading; event: Classified } | null {
  const reading = readLine(line);
  const event = classifyMessage({ text: reading.body, fields: reading.fields ?? {} }, line);
  return event ? { reading, event } : null;
}
