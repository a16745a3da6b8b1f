import type {
  ActionItem,
  AffectedPod,
  CaseData,
  Confidence,
  Correlation,
  Entity,
  EnvironmentFact,
  EvidenceEvent,
  EvidenceModel,
  EvidenceRef,
  Finding,
  LinkTest,
  ModelEvent,
  TimeWindow,
} from '../types/index.js';
import { eventRef } from '../model/index.js';

/** What every detector may read: the evidence model plus what the analysis derived from it first. */
export interface DetectorContext {
  model: EvidenceModel;
  /** The case with repeated content counted once (`model.data`). */
  data: CaseData;
  sha256: (file: string) => string;
  correlation: Correlation;
  renewDeadlineSeconds: number;
}

/** A finding without the fields the runner fills in. */
export type Detection<D = unknown> = Omit<Finding<D>, 'id' | 'title' | 'status' | 'entities'> & {
  /** The pods, leases, nodes or components the finding is about (link tests compare them). */
  entities?: Entity[];
};

/**
 * How a finding of one detector may explain a finding of another: the chain follows the link only
 * when every test it could run passed. A test that cannot be run (no time on either side, say) is
 * left out rather than counted as passed.
 */
export interface Link<D = never> {
  /** Id of the detector whose finding this one can explain. */
  explains: string;
  tests(cause: Finding<D>, effect: Finding, context: DetectorContext): LinkTest[];
  /** The answer's text in the chain; the cause's claim when absent. */
  text?(cause: Finding<D>, effect: Finding, context: DetectorContext): string;
  /** Caps the confidence when the answer rests on an inference beyond what the tests show. */
  maxConfidence?: Confidence;
}

export interface Threshold {
  name: string;
  value: string;
}

export type DetectorRole = 'symptom' | 'mechanism' | 'cause' | 'context';

/**
 * A detector, with everything the chain and the PIR need of it beside the detection itself: one
 * folder under src/analyze/detectors/, registered by one line in detectors/index.ts.
 */
export interface Detector<D = never> {
  /** Stable id, also the folder name under src/analyze/detectors/. */
  id: string;
  title: string;
  /**
   * 'symptom': users saw it, the chain starts there; 'mechanism': explains something and is itself
   * explained; 'cause': where an explanation may end; 'context': reported beside the chain.
   */
  role: DetectorRole;
  /** What it reads, in words (docs/detectors.md, `howchain detectors`). */
  reads: string;
  thresholds: Threshold[];
  /** Returns null when the evidence does not show the problem. */
  detect(context: DetectorContext): Detection<D> | null;
  /** The "How did … happen?" asked about this finding in the chain. */
  question(finding: Finding<D>): string;
  /** Said when nothing explains this finding: where the evidence ends. */
  unexplained(finding: Finding<D>): string;
  /** What would let someone keep asking "how?" when nothing explains this finding. */
  collectNext: string[];
  links: Link<D>[];
  /** Proposed actions (owners and dates stay TODO(author) in the PIR). */
  actions?(finding: Finding<D>): (Omit<ActionItem, 'finding' | 'subjects'> & { subjects?: string[] })[];
  /** Facts about the environment for the PIR's technical details. */
  environment?(finding: Finding<D>): EnvironmentFact[];
  /** Pods the finding shows affected, for the PIR's impact table. */
  affected?(finding: Finding<D>): Omit<AffectedPod, 'finding'>[];
}

/** Any registered detector, whatever its data type. */
export type AnyDetector = Detector<any>;

/**
 * Runs every detector. One that throws yields a 'failed' finding naming the error, so a bug or an
 * unexpected shape in one corner of the evidence never costs the rest of the analysis.
 */
export function runDetectors(detectors: readonly AnyDetector[], context: DetectorContext): Finding[] {
  const findings: Finding[] = [];
  for (const detector of detectors) {
    try {
      const detection = detector.detect(context);
      if (detection) {
        const { entities, ...rest } = detection;
        findings.push({
          id: detector.id,
          title: detector.title,
          status: 'found',
          entities: entities ?? [],
          ...rest,
        });
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      findings.push({
        id: detector.id,
        title: detector.title,
        status: 'failed',
        claim: `The ${detector.id} detector failed: ${message.split('\n')[0]}`,
        evidence: [],
        confidence: 'low',
        window: null,
        entities: [],
        data: {},
      });
    }
  }
  return findings;
}

/** Earliest and latest of some ISO timestamps, or null when there are none. */
export function windowOf(timestamps: (string | null)[]): { start: string; end: string } | null {
  let start: string | null = null;
  let end: string | null = null;
  for (const t of timestamps) {
    if (t === null) continue;
    if (start === null || t < start) start = t;
    if (end === null || t > end) end = t;
  }
  return start !== null && end !== null ? { start, end } : null;
}

/** Time, then file and line: the order a finding's window ends are chosen in. */
const dateOrder = (a: EvidenceEvent, b: EvidenceEvent) =>
  a.ts!.localeCompare(b.ts!) || a.file.localeCompare(b.file) || a.line - b.line;

/**
 * What a finding cites of many events, gathered one event at a time so none is kept: how many,
 * the first given, the earliest and latest dated, and the entity lists they name.
 */
export class EventSpan<E extends EvidenceEvent = EvidenceEvent> {
  count = 0;
  first: E | null = null;
  private earliest: E | null = null;
  private latest: E | null = null;
  readonly entityLists = new Set<readonly Entity[]>();

  add(event: E): void {
    this.count++;
    this.first ??= event;
    const entities = (event as Partial<ModelEvent>).entities;
    if (entities) this.entityLists.add(entities);
    if (event.ts === null) return;
    if (this.earliest === null || dateOrder(event, this.earliest) < 0) this.earliest = event;
    if (this.latest === null || dateOrder(event, this.latest) > 0) this.latest = event;
  }

  get window(): TimeWindow | null {
    return this.earliest && this.latest ? { start: this.earliest.ts!, end: this.latest.ts! } : null;
  }

  /** The evidence at each end of the window. */
  bounds(sha256: (file: string) => string): { start: EvidenceRef; end: EvidenceRef } | null {
    return this.earliest && this.latest
      ? { start: eventRef(this.earliest, sha256), end: eventRef(this.latest, sha256) }
      : null;
  }
}

/**
 * The evidence at each end of a finding's window (its earliest and latest dated event), so the
 * timeline cites the line that dates each moment.
 */
export function eventBounds(
  events: Iterable<EvidenceEvent>,
  sha256: (file: string) => string,
): { start: EvidenceRef; end: EvidenceRef } | null {
  const span = new EventSpan();
  for (const e of events) span.add(e);
  return span.bounds(sha256);
}

export { plural } from '../model/index.js';

/** Seconds between two ISO times (b − a). */
export const secondsBetween = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 1000;

/**
 * The time-order test: the cause was present before the effect ended (with `slackSeconds` of
 * tolerance for clocks of different machines). Null when either side has no time.
 */
export function presentBefore(cause: Finding, effect: Finding, slackSeconds = 60): LinkTest | null {
  if (!cause.window || !effect.window) return null;
  const passed = secondsBetween(cause.window.start, effect.window.end) >= -slackSeconds;
  return {
    test: 'time',
    passed,
    detail: passed
      ? `${cause.title.toLowerCase()} from ${cause.window.start}, before or while ${effect.title.toLowerCase()} (until ${effect.window.end})`
      : `${cause.title.toLowerCase()} starts ${cause.window.start}, after ${effect.title.toLowerCase()} ended (${effect.window.end})`,
  };
}

/**
 * The stricter time-order test for a standing condition: it must already hold when the effect began
 * (within `slackSeconds`), since a cause that appears midway cannot explain what came before it.
 */
export function presentAtStart(cause: Finding, effect: Finding, slackSeconds = 60): LinkTest | null {
  if (!cause.window || !effect.window) return null;
  const passed = secondsBetween(cause.window.start, effect.window.start) >= -slackSeconds;
  return {
    test: 'time',
    passed,
    detail: passed
      ? `${cause.title.toLowerCase()} from ${cause.window.start}, when ${effect.title.toLowerCase()} began (${effect.window.start})`
      : `${cause.title.toLowerCase()} from ${cause.window.start}, after ${effect.title.toLowerCase()} began (${effect.window.start})`,
  };
}

/** The windows of two findings overlap (within `slackSeconds`). Null when either has no time. */
export function overlapping(cause: Finding, effect: Finding, slackSeconds = 60): LinkTest | null {
  if (!cause.window || !effect.window) return null;
  const passed =
    secondsBetween(cause.window.start, effect.window.end) >= -slackSeconds &&
    secondsBetween(effect.window.start, cause.window.end) >= -slackSeconds;
  return {
    test: 'time',
    passed,
    detail: passed
      ? `overlap: ${cause.window.start}–${cause.window.end} and ${effect.window.start}–${effect.window.end}`
      : `no overlap: ${cause.window.start}–${cause.window.end} vs ${effect.window.start}–${effect.window.end}`,
  };
}

/** Keeps the tests that could be run. */
export const ran = (...tests: (LinkTest | null)[]): LinkTest[] =>
  tests.filter((t): t is LinkTest => t !== null);
