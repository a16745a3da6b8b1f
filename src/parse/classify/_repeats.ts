/**
 * During an incident a controller logs the same failure over and over: the same klog line but for
 * its clocks (`2026-03-31T22:00:53.434656312Z stderr F E0331 22:00:53.434658       1
 * leaderelection.go:330] error retrieving resource lock …`). Reading such a line — its wrapper, its
 * klog header and fields — and running the rules on it is most of what an event costs, and gives the
 * same answer every time, so the answer is kept for lines equal to it but for their two clocks.
 *
 * A line is cut as `<wrapper clock><middle><klog severity><klog clock><rest>`: the wrapper clock is
 * one the fast wrapper readers read (`leadingClock`; none for a bare klog line), the middle is the
 * wrapper's text after it (` stderr F `, ` host unit[pid]: `), then a klog header. A line is
 * answered from a kept one when its rest (the lookup key), its needle mask, the places of its cuts,
 * its wrapper clock's shape and its middle with the severity letter are all equal: then the lines
 * differ only inside the two clocks. The kept line was read in full and its cuts checked against
 * that reading (one wrapper, its clock where `leadingClock` says, its body where the cut says, a klog
 * message); with clocks that are valid again (`leadingClock`, `klogClock` check them as the readers
 * do), the readers would take the same path through the new line, and rules see only the message
 * and fields, never the time. So the kept wrapper and message readings are reused with the new
 * line's clocks, and the kept classification as it is.
 *
 * A line not found costs its lookup and a copy, about half of what a line found saves; lines that
 * never repeat (apiserver `Trace[…]` headers carry a random id) would cost more than they save, so
 * when fewer than half the lookups of a stretch found their line, the table is emptied and the next
 * `PAUSE` lines are not looked up. At most `MAX_ENTRIES` lines are kept, as fresh strings (a slice
 * would keep its whole 64 KiB piece of the log alive); a full table starts over.
 */
import { isCriStream, leadingClock } from '../line-reader.js';
import { readingClock, type LineReading, type MessageReading, type WrapperLayer } from '../logs/index.js';
import { klogClock } from '../logs/klog.js';
import type { LogFormat } from '../logs/types.js';
import type { PartialTime, TimeOrigin } from '../time.js';

const MAX_ENTRIES = 1024;
/** Lines with the same rest but another mask, cut or middle kept side by side, at most. */
const MAX_CHAIN = 4;
/** Lookups per stretch, and lines passed over after a stretch that found too little. */
const STRETCH = 1024;
const PAUSE = 65536;
/** A klog header's clock is its characters 1–20; the rest starts at 21. */
const AFTER_CLOCK = 21;

/** Where a line is cut, and its wrapper clock. */
export interface LineCuts {
  /** Where the wrapper clock ends (the space after it), 0 for a bare klog line. */
  clockEnd: number;
  /** Where the klog header starts. */
  bodyStart: number;
  clock: { time: PartialTime; shape: number } | null;
  key: string;
}

interface Entry<T> {
  key: string;
  mask: number;
  clockEnd: number;
  bodyStart: number;
  shape: number;
  /** The text between the wrapper clock and the klog clock (with the severity letter). */
  middle: string;
  /** The wrapper's origin; null for a bare klog line. */
  wrapperOrigin: TimeOrigin | null;
  /** The line's reading, its time aside. */
  reading: LineReading;
  format: LogFormat;
  answer: T;
}

export interface Recalled<T> {
  reading: LineReading;
  answer: T;
}

export class RepeatedLines<T> {
  private readonly table = new Map<string, Entry<T>[]>();
  private size = 0;
  private lookups = 0;
  private hits = 0;
  private paused = 0;

  /**
   * The kept readings of a line equal to `line` (its needle mask `mask`) but for its clocks, with
   * this line's clocks; else the line's cuts to `remember` it by (or null: not a klog line in a
   * wrapper these cuts know, or lookups paused).
   */
  recall(line: string, mask: number): Recalled<T> | LineCuts | null {
    if (this.paused > 0) {
      this.paused--;
      return null;
    }
    const cuts = cutsOf(line);
    if (!cuts) return null;
    const chain = this.table.get(cuts.key);
    let found: Entry<T> | undefined;
    for (let index = 0; chain && index < chain.length; index++) {
      const entry = chain[index] as Entry<T>;
      if (
        entry.mask === mask &&
        entry.clockEnd === cuts.clockEnd &&
        entry.bodyStart === cuts.bodyStart &&
        entry.shape === (cuts.clock?.shape ?? -1) &&
        entry.middle === line.slice(cuts.clockEnd, cuts.bodyStart + 1)
      ) {
        found = entry;
        break;
      }
    }
    this.count(found !== undefined);
    const time = found ? klogClock(line, cuts.bodyStart) : null;
    if (!found || !time) return cuts;
    const { reading: kept } = found;
    const clock = readingClock(
      found.wrapperOrigin && cuts.clock ? { time: cuts.clock.time, origin: found.wrapperOrigin } : null,
      found.format,
      { time, origin: 'line' },
    );
    // Fresh fields and formats per line, as a reading of its own would give: readers may keep them.
    const reading: LineReading = {
      time: clock.time,
      origin: clock.origin,
      body: kept.body,
      level: kept.level,
      source: kept.source,
      fields: { ...kept.fields },
      formats: [...kept.formats],
    };
    return { reading, answer: found.answer };
  }

  /**
   * Keeps the reading of the line cut as `cuts` (read through `layers` and `message`) with `answer`,
   * when the reading agrees with the cuts.
   */
  remember(
    line: string,
    mask: number,
    cuts: LineCuts,
    layers: WrapperLayer[],
    message: MessageReading,
    reading: LineReading,
    answer: T,
  ): void {
    const wrapper = layers[0];
    const agrees =
      message.format.id === 'klog' &&
      message.inner.origin === 'line' &&
      (wrapper === undefined
        ? cuts.clock === null && cuts.bodyStart === 0
        : layers.length === 1 &&
          cuts.clock !== null &&
          wrapper.parsed.body.length === line.length - cuts.bodyStart);
    if (!agrees) return;
    if (this.size >= MAX_ENTRIES) this.clear();
    const fields: Record<string, string> = {};
    for (const name in reading.fields) fields[name] = fresh(reading.fields[name] as string);
    const entry: Entry<T> = {
      key: fresh(cuts.key),
      mask,
      clockEnd: cuts.clockEnd,
      bodyStart: cuts.bodyStart,
      shape: cuts.clock?.shape ?? -1,
      middle: fresh(line.slice(cuts.clockEnd, cuts.bodyStart + 1)),
      wrapperOrigin: wrapper ? wrapper.parsed.origin : null,
      reading: {
        ...reading,
        time: null,
        body: fresh(reading.body),
        source: fresh(reading.source),
        fields,
        formats: [...reading.formats],
      },
      format: message.format,
      answer,
    };
    const chain = this.table.get(entry.key);
    if (!chain) this.table.set(entry.key, [entry]);
    else {
      if (chain.length >= MAX_CHAIN) {
        chain.shift();
        this.size--;
      }
      chain.push(entry);
    }
    this.size++;
  }

  private count(hit: boolean): void {
    this.lookups++;
    if (hit) this.hits++;
    if (this.lookups < STRETCH) return;
    if (this.hits * 2 < STRETCH) {
      this.paused = PAUSE;
      this.clear();
    }
    this.lookups = 0;
    this.hits = 0;
  }

  private clear(): void {
    this.table.clear();
    this.size = 0;
  }
}

/**
 * The cuts of a line the fast wrapper readers would read as a klog line, or null. Most lines that are
 * not are told apart before their clock is read (a space, then a klog header where the middle would
 * end): candidates of other formats pay a few character checks, not a clock.
 */
function cutsOf(line: string): LineCuts | null {
  if (mayBeKlog(line, 0)) return { clockEnd: 0, bodyStart: 0, clock: null, key: line.slice(AFTER_CLOCK) };
  // An ISO stamp ends at the first space; journald short's `Mon DD HH:MM:SS` at 15 or after its fraction.
  const first = line.charCodeAt(0);
  const clockEnd =
    first >= 48 && first <= 57 ? line.indexOf(' ') : line.charCodeAt(15) === 46 ? line.indexOf(' ', 16) : 15;
  if (clockEnd < 0) return null;
  const after = clockEnd + 1;
  let bodyStart: number;
  if (isCriStream(line, after)) bodyStart = after + 9;
  else if (mayBeKlog(line, after)) bodyStart = after;
  else {
    const colon = line.indexOf(': ', after);
    if (colon < 0) return null;
    bodyStart = colon + 2;
  }
  if (!mayBeKlog(line, bodyStart)) return null;
  const clock = leadingClock(line);
  if (!clock || clock.end !== clockEnd) return null;
  return {
    clockEnd,
    bodyStart,
    clock: { time: clock.time, shape: clock.shape },
    key: line.slice(bodyStart + AFTER_CLOCK),
  };
}

/** A klog severity letter at `at` and the clock's fixed punctuation; no colour codes (removed before reading). */
function mayBeKlog(line: string, at: number): boolean {
  const severity = line.charCodeAt(at);
  return (
    (severity === 73 || severity === 87 || severity === 69 || severity === 70) &&
    line.charCodeAt(at + 5) === 32 &&
    line.charCodeAt(at + 8) === 58 &&
    line.charCodeAt(at + 14) === 46 &&
    !line.includes('\u001b')
  );
}

/**
 * A copy of `text` that does not keep the string it was sliced from alive: V8 flattens a joined
 * string into new memory before slicing it.
 */
function fresh(text: string): string {
  return `\u0000${text}`.slice(1);
}
