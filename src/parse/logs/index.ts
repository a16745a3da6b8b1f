import { calico } from './calico.js';
import { cri } from './cri.js';
import { dqliteTrace } from './dqlite-trace.js';
import { dockerJson } from './docker-json.js';
import { etcdCapnslog } from './etcd-capnslog.js';
import { goLog } from './go-log.js';
import { journaldIso } from './journald-iso.js';
import { journaldJson } from './journald-json.js';
import { journaldShort } from './journald-short.js';
import { jsonLog } from './json.js';
import { klog } from './klog.js';
import { kubectlPrefix } from './kubectl-prefix.js';
import { kubectlTimestamps } from './kubectl-timestamps.js';
import { logfmt } from './logfmt.js';
import type { PartialTime, TimeOrigin } from '../time.js';
import type { LogFormat, ParsedLine } from './types.js';
import { zapConsole } from './zap-console.js';

export type { LogFormat, ParsedLine } from './types.js';

/**
 * Every log format, wrappers first. test/parse/logs/index.test.ts checks that each file in this folder
 * is listed and that every format parses its own samples.
 */
export const LOG_FORMATS: LogFormat[] = [
  journaldJson,
  cri,
  kubectlTimestamps,
  kubectlPrefix,
  journaldIso,
  journaldShort,
  dockerJson,
  klog,
  dqliteTrace,
  jsonLog,
  logfmt,
  calico,
  etcdCapnslog,
  goLog,
  zapConsole,
];

const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

const WRAPPERS = LOG_FORMATS.filter((format) => format.role === 'wrapper');
const MESSAGES = LOG_FORMATS.filter((format) => format.role === 'message');

/** A parsed line with the formats it was read through, outermost first. */
export interface LineReading extends ParsedLine {
  formats: string[];
}

/**
 * journald's default format stops at seconds; the klog line inside often has microseconds for the
 * same second. Take them when the two agree on everything the wrapper says.
 */
function refine(outer: PartialTime, inner: PartialTime | null): PartialTime {
  if (!inner || outer.ms !== 0 || inner.ms === 0) return outer;
  const same =
    outer.month === inner.month &&
    outer.day === inner.day &&
    outer.hour === inner.hour &&
    outer.minute === inner.minute &&
    outer.second === inner.second &&
    (inner.year === undefined || inner.year === outer.year);
  return same ? { ...outer, ms: inner.ms } : outer;
}

/** How much a time says: a year and a zone each outweigh sub-second digits. */
function informativeness(time: PartialTime): number {
  return (time.year !== undefined ? 4 : 0) + (time.offsetMinutes !== undefined ? 2 : 0) + (time.ms ? 1 : 0);
}

/** A line's message read by a message format: which one, and what it read. */
export interface MessageReading {
  format: LogFormat;
  inner: ParsedLine;
}

/**
 * The message inside a line whose wrappers are `layers`: what the message formats read (the first of
 * them that reads it), or null. Colour codes (journald keeps them as byte arrays) would hide the
 * inner format's header, so they are removed first.
 */
export function readMessage(line: string, layers: WrapperLayer[]): MessageReading | null {
  const raw = layers.length > 0 ? (layers[layers.length - 1] as WrapperLayer).parsed.body : line;
  const text = raw.includes('\u001b[') ? raw.replace(ANSI, '') : raw;
  for (const format of MESSAGES) {
    const inner = format.parse(text);
    if (inner) return { format, inner };
  }
  return null;
}

/**
 * Reads one line through at most one wrapper and one message format. The more informative time wins:
 * usually the wrapper's (journald short-iso/json, CRI and kubectl have the year and zone), but a
 * year-less wrapper (journald short) loses to a line that carries its own full RFC 3339 time. The
 * inner format supplies level and fields, and its time when there is no wrapper or when the format's
 * own clock wins (`ownClockWins`). `message`: what `readMessage` gives for the line, when the caller
 * already has it.
 */
export function readLine(
  line: string,
  layers: WrapperLayer[] = peelAll(line),
  message: MessageReading | null = readMessage(line, layers),
): LineReading {
  const outer = unwrap(layers);
  if (message) {
    const { format, inner } = message;
    const { time, origin } = readingClock(outer, format, inner);
    return {
      time,
      origin,
      body: inner.body,
      level: inner.level ?? outer?.level,
      source: outer ? `${outer.source}/${inner.source}` : inner.source,
      // `outer` is this call's own: extending its fields and formats saves two copies per line.
      fields: outer?.fields ? Object.assign(outer.fields, inner.fields) : (inner.fields ?? {}),
      formats: outer ? (outer.formats.push(format.id), outer.formats) : [format.id],
    };
  }
  if (outer) return outer;
  return { time: null, origin: 'line', body: line, source: 'text', formats: [] };
}

/**
 * A reading's time and where it came from, given the wrappers' (`outer`, null without a wrapper)
 * and the message format's.
 */
export function readingClock(
  outer: { time: PartialTime | null; origin: TimeOrigin } | null,
  format: LogFormat,
  inner: { time: PartialTime | null; origin: TimeOrigin },
): { time: PartialTime | null; origin: TimeOrigin } {
  const innerWins =
    inner.time !== null &&
    (format.ownClockWins === true ||
      (outer?.time != null && informativeness(inner.time) > informativeness(outer.time) + 1));
  const wrapperClock = outer?.time && !innerWins ? outer.time : null;
  return wrapperClock && outer
    ? { time: refine(wrapperClock, inner.time), origin: outer.origin }
    : { time: inner.time, origin: inner.origin };
}

/** One wrapper read off a line: what it parsed and its id. */
export interface WrapperLayer {
  parsed: ParsedLine;
  id: string;
}

/** The ids of the wrapper formats, in the order they are tried (the event fast path checks them). */
export const WRAPPER_IDS: readonly string[] = WRAPPERS.map((format) => format.id);

/** The first wrapper that reads `text`, or null. */
export function peel(text: string): WrapperLayer | null {
  for (const format of WRAPPERS) {
    const parsed = format.parse(text);
    if (parsed) return { parsed, id: format.id };
  }
  return null;
}

/** Peels wrappers off a line: at most two (`kubectl logs --prefix --timestamps` nests two). */
function peelAll(line: string): WrapperLayer[] {
  const layers: WrapperLayer[] = [];
  let body = line;
  while (layers.length < 2) {
    const found = peel(body);
    if (!found) break;
    layers.push(found);
    body = found.parsed.body;
  }
  return layers;
}

/** The wrappers' reading of a line. The outermost wrapper that has a time gives it. */
function unwrap(layers: WrapperLayer[]): LineReading | null {
  if (layers.length === 0) return null;
  if (layers.length === 1) {
    // One layer (most lines): its own fields object, fresh from its parse, is this reading's.
    const { id, parsed } = layers[0] as WrapperLayer;
    const { time, origin, body, source } = parsed;
    return { time, origin, body, source, fields: parsed.fields ?? {}, formats: [id] };
  }
  const body = (layers[layers.length - 1] as WrapperLayer).parsed.body;
  const timed = layers.find((layer) => layer.parsed.time !== null)?.parsed;
  const fields: Record<string, string> = {};
  for (let index = layers.length - 1; index >= 0; index--)
    Object.assign(fields, (layers[index] as WrapperLayer).parsed.fields);
  return {
    time: timed?.time ?? null,
    origin: timed?.origin ?? (layers[0] as WrapperLayer).parsed.origin,
    body,
    source:
      layers.length === 1
        ? (layers[0] as WrapperLayer).parsed.source
        : layers.map((layer) => layer.parsed.source).join('/'),
    fields,
    formats: layers.map((layer) => layer.id),
  };
}
