import type { EventKind, Severity } from '../../types/index.js';

/**
 * What a rule sees: the innermost message of a line and the structured fields read off it. A rule
 * must not decide on a field that holds the line's time (a JSON line's `ts`): a line repeated but
 * for its clocks gets the first one's answer (src/parse/classify/_repeats.ts).
 */
export interface RuleInput {
  text: string;
  fields: Record<string, string>;
}

export interface RuleMatch {
  subject: string | null;
  attrs?: Record<string, string | number | boolean | null>;
}

/**
 * One event kind's recogniser. `needles` are literal strings at least one of which every matching
 * line contains; the scanner looks for them in raw bytes, so only candidate lines are decoded.
 * `samples` must classify as this kind (with the given subject); `negatives` must not classify at all.
 */
export interface EventRule {
  kind: EventKind;
  description: string;
  severity: Severity;
  needles: string[];
  /**
   * Literal strings of which every message `match` takes contains one, for a rule whose needles are
   * found in many lines it does not take (`deadline exceeded` in apiserver trace steps): a line that
   * holds none of them is not read for this rule (see `ruledOut` in index.ts).
   */
  requires?: string[];
  match(input: RuleInput): RuleMatch | null;
  samples: { line: string; subject: string | null }[];
  negatives: string[];
}
