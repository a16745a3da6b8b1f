import type { Severity } from '../../types/index.js';
import type { PartialTime, TimeOrigin } from '../time.js';

/** What a log format reads off one line. */
export interface ParsedLine {
  time: PartialTime | null;
  /** Which wrapper (or the line itself) the time came from. */
  origin: TimeOrigin;
  /** The message without this format's prefix; for wrappers, another format's line. */
  body: string;
  level?: Severity;
  /** Component or parser, e.g. 'klog', 'journald:microk8s.daemon-kubelite'. */
  source: string;
  /** Structured fields the line carries (`lock`, `err`, `pod`, `caller`, …), values as text. */
  fields?: Record<string, string>;
}

export interface FormatSample {
  line: string;
  /** What parsing the line must give; checked by test/parse/logs/formats.test.ts. */
  expect: {
    body?: string;
    level?: Severity;
    source?: string;
    /** The UTC time the line resolves to with `--year 2024` and no `--tz`. */
    ts?: string;
    fields?: Record<string, string>;
  };
}

/**
 * One log format (lnav style): how to recognise and parse a line, with sample lines that double as
 * tests. A 'wrapper' (journald, CRI, kubectl --timestamps) carries another format's line in `body`;
 * a 'message' format is the innermost line a program wrote.
 */
export interface LogFormat {
  id: string;
  description: string;
  role: 'wrapper' | 'message';
  /**
   * The line's own time is complete (year, UTC) and finer than any wrapper's, so it wins over the
   * wrapper's time (journald short has no year and is host-local).
   */
  ownClockWins?: boolean;
  parse(line: string): ParsedLine | null;
  samples: FormatSample[];
}
