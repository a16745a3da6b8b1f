/**
 * During an incident a controller logs the same failure over and over: the same klog, JSON or
 * logfmt line but for its clocks (`2026-03-31T22:00:53.434656312Z stderr F E0331 22:00:53.434658
 * 1 leaderelection.go:330] error retrieving resource lock …`). Reading such a line — its wrapper, its
 * message and fields — and running the rules on it is most of what an event costs, and gives the
 * same answer every time, so the answer is kept for lines equal to it but for their clocks.
 *
 * A line is cut as `<wrapper clock><middle><message clock><rest>`: the wrapper clock is one the fast
 * wrapper readers read (`leadingClock`; none for a bare message), the middle is the text up to the
 * message's own clock (` stderr F E`, ` host unit[pid]: {"level":"error","ts":"`), and the message
 * clock is a klog header's clock, a JSON line's time value or a logfmt line's leading `time=` value.
 * A line is answered from a kept one when its rest (the lookup key), its needle mask, the places of
 * its cuts, its wrapper clock's shape and its middle are all equal: then the lines differ only
 * inside the two clocks. The kept line was read in full and its cuts checked against that reading
 * (one wrapper, its clock where `leadingClock` says, its body where the cut says, a klog message, or
 * a JSON or logfmt message whose time is the value in the cut); with clocks that are valid again
 * (`leadingClock`, `klogClock`, `jsonClockValue`, `parseIsoPartial` check them as the readers do),
 * the readers would take the same path through the new line, and rules see only the message and
 * fields, never the time. So the kept reading is reused with the new line's clocks, and the kept
 * classification as it is. A caller may keep in an entry's memo what else it derives from the line
 * and holds for every repeat whose clocks differ only in digits (`Repeat.digitsOnly`): src/parse/
 * event.ts keeps the message's JSON there, src/parse/ndjson.ts the event's NDJSON template.
 *
 * After a line found here the scanner offers the next line before searching it for needles (in a
 * burst most lines are repeats, and the search is a third of a repeat's cost); such a line has no
 * mask yet. It is answered when its clocks differ from the kept line's only in digits
 * (`sameButDigits`): then its needles are the kept line's but for needles with a digit found over a
 * clock, and it is answered when the same of those are found over its clocks (`nearClocks`). Only
 * ASCII lines are kept: a line offered is the latin1 view of its bytes, which is its text when it
 * equals a kept line. Most often it is the line found after the same kept line last time but for
 * the digits of its clocks: that is told, and its clocks read, from its bytes (`echo`, see
 * _clock-places.ts), without cutting it or reading it as text.
 *
 * A line not found costs its lookup and a copy, about half of what a line found saves, and the
 * copies outlive young-generation collections: lines that never repeat (apiserver `Trace[…]` headers
 * carry a random id) or repeat once (300,000 leases failing twice: 38 MB more peak RSS at one hit in
 * two) cost more than they save, so when fewer than three in four lookups of a stretch found their
 * line, the table is emptied and the next `PAUSE` lines are not looked up. At most `MAX_ENTRIES`
 * lines of at most `MAX_LINE` characters are kept (a few MB whatever the log holds), as fresh strings
 * (a slice would keep its whole 64 KiB piece of the log alive); a full table starts over.
 */
import { isCriStream, leadingClock } from '../line-reader.js';
import { readingClock, type LineReading, type MessageReading, type WrapperLayer } from '../logs/index.js';
import { JSON_TIME_KEYS, jsonClockAt, jsonClockValue } from '../logs/json.js';
import { parseKeyValues } from '../logs/_kv.js';
import { isKlogSeverity, klogClock } from '../logs/klog.js';
import type { LogFormat } from '../logs/types.js';
import type { NeedleSet } from '../scan.js';
import { ClockPlaces, type ClockCut } from './_clock-places.js';
import { parseIsoPartial, type PartialTime, type TimeOrigin } from '../time.js';

const MAX_ENTRIES = 1024;
/** Lines with the same rest but another mask, cut or middle kept side by side, at most. */
const MAX_CHAIN = 4;
/** Longer lines are read afresh: they are rare, and 1,024 of them could hold a lot of memory. */
const MAX_LINE = 2048;
/** Lookups per stretch, and lines passed over after a stretch that found too little. */
const STRETCH = 1024;
const PAUSE = 65536;
/** Bits in the table's filter of key prints (see `keyPrint`): a few kept keys set few of them. */
const PRINTS = 1 << 16;
/** A klog header's clock is its characters 1–20; the rest starts at 21. */
const AFTER_CLOCK = 21;
/** journald short's day (`Mar  1`, `Mar 31`): its first place may be a space. */
const JOURNALD_DAY = 4;

/** Where a line's message clock is, and its message's format. */
type MessageCut = Pick<LineCuts, 'message' | 'bodyStart' | 'messageClock' | 'messageClockEnd'>;

/** A kept line's cut as its clock places keep it: also what `messageClockRead` needs. */
type PlacesCut = ClockCut & MessageCut;

/** Where a line is cut, and its wrapper clock. */
export interface LineCuts {
  /** Where the wrapper clock ends (the space after it), 0 for a bare message. */
  clockEnd: number;
  /** Where the message starts. */
  bodyStart: number;
  /** Where the message's own clock starts: a klog header's clock, a JSON or logfmt line's time value. */
  messageClock: number;
  /** Where it ends: the rest of the line, `key`, starts there. */
  messageClockEnd: number;
  /** The message's format, and for JSON the time value's key and whether it is quoted. */
  message: 'klog' | 'logfmt' | { key: string; quoted: boolean };
  clock: { time: PartialTime; shape: number } | null;
  /** The line after the message's clock. */
  key: string;
}

interface Entry<T> {
  key: string;
  /** The scanner's needles and the line's mask in them. */
  needles: NeedleSet;
  mask: number;
  /** The needles with a digit found over the line's clocks (`nearClocks`). */
  nearClocks: number;
  /** Where the line's clocks are not pinned by their readers' checks, and its characters there. */
  pins: Int32Array;
  pinned: Uint8Array;
  messageClockLength: number;
  clockEnd: number;
  bodyStart: number;
  shape: number;
  /** The text between the wrapper clock and the message's clock (a klog severity letter, a JSON line's keys before its time). */
  middle: string;
  /** For a JSON line, the time value's key (its field) and whether it is quoted. */
  json: { key: string; quoted: boolean } | null;
  /** The wrapper's origin; null for a bare klog line. */
  wrapperOrigin: TimeOrigin | null;
  /**
   * Its clocks' places, to answer the line after a repeat from its bytes (see `echo`); null too
   * once it is pushed out of the table.
   */
  places: ClockPlaces<PlacesCut> | null;
  /** The line's reading, its time aside. */
  reading: LineReading;
  format: LogFormat;
  answer: T;
  memo: Record<string, unknown>;
  /** The kept lines with its key (`table`'s value), and the one found after it last time. */
  chain: Entry<T>[];
  next: Entry<T> | null;
}

/**
 * A line answered from a kept one: where its clocks are, and the kept line's memo — what a caller
 * derives from the line that is the same for every line equal to it but for digits in its clocks.
 */
export interface Repeat {
  /** The wrapper clock is `line[0, clockEnd)`, the message's `line[messageClock, messageClockEnd)`. */
  clockEnd: number;
  messageClock: number;
  messageClockEnd: number;
  /**
   * The line's clocks differ from the kept line's only where both have a digit (see `sameButDigits`);
   * else a reader read them alike but a needle or a redaction pattern might not.
   */
  digitsOnly: boolean;
  memo: Record<string, unknown>;
}

export interface Recalled<T> {
  reading: LineReading;
  answer: T;
  repeat: Repeat;
}

/**
 * `Recalled` without its reading: the line's time and origin as its reading would have them, and the
 * kept reading (its time aside), whose body, level, source and formats are the line's too.
 */
export interface RecalledClock<T> {
  time: PartialTime | null;
  origin: TimeOrigin;
  kept: LineReading;
  answer: T;
  repeat: Repeat;
}

export class RepeatedLines<T> {
  private readonly table = new Map<string, Entry<T>[]>();
  /**
   * A bit per `keyPrint` of the keys kept since the table was last emptied: a line whose print has no
   * bit is not looked up. Most lookups that find nothing are of lines that never can (lines with no
   * needle, asked after a known one), and a Map lookup hashes their whole key (~0.35 µs a line).
   */
  private readonly prints = new Int32Array(PRINTS / 32);
  /** The kept line found or kept last. */
  private last: Entry<T> | null = null;
  /**
   * The kept line with clock places found or kept last, by its length: lines of one kind are as long
   * as each other (their clocks have fixed widths), so the line offered after a repeat is most often
   * as long as the kept line it repeats, whether or not that is the one predicted (`next`).
   */
  private readonly byLength: (Entry<T> | undefined)[] = Array.from({ length: MAX_LINE + 1 }, () => undefined);
  /**
   * 1 for a length of line asked before its search that was not known, since a line that long was
   * last found: such a line is most often one no kept line answers (a line with no needle after an
   * event: 13 % of the bench's bundle log's lines), and cutting it to look it up was about 5 % of a
   * worker's instructions there, before it was searched anyway. A line of such a length is not
   * looked up before its search (`declines`); found after it, its length is known again.
   */
  private readonly unknownLengths = new Uint8Array(MAX_LINE + 1);
  private size = 0;
  private lookups = 0;
  private hits = 0;
  private paused = 0;

  /** `keep`: a copy of an answer that holds no string sliced from the line (see `fresh`). */
  constructor(private readonly keep: (answer: T) => T) {}

  /**
   * The kept readings of a line equal to `line` (searched with `needles`; its mask, when the search
   * found one) but for its clocks, with this line's clocks; else the line's cuts to `remember` it by
   * (or null: not a klog, JSON or logfmt line in a wrapper these cuts know, or lookups paused).
   */
  recall(line: string, mask: number | undefined, needles: NeedleSet): Recalled<T> | LineCuts | null {
    const found = this.find(line, mask, needles);
    if (!found || !('entry' in found)) return found;
    const { entry, cuts } = found;
    const message = messageClockRead(line, entry, cuts);
    if (!message) return cuts;
    const clock = clockOf(entry, cuts.clock?.time ?? null, message.time);
    // A klog line's fields are the kept ones (frozen: readers may keep them, none changes them); a
    // JSON or logfmt line's time is one of its fields (logfmt's is `time`).
    const { reading: kept } = entry;
    const fields = kept.fields as Record<string, string>;
    const reading: LineReading = {
      time: clock.time,
      origin: clock.origin,
      body: kept.body,
      level: kept.level,
      source: kept.source,
      fields: cuts.message === 'klog' ? fields : { ...fields, [entry.json?.key ?? 'time']: message.field },
      formats: kept.formats,
    };
    this.follow(entry);
    return { reading, answer: entry.answer, repeat: repeatOf(line, mask, entry, cuts, undefined, 0) };
  }

  /**
   * `recall` without the reading: a scan worker writing a repeat's NDJSON needs its time alone, and
   * the reading's objects (its fields copied for a JSON line) were a tenth of such an event's cost.
   */
  recallClock(
    line: string,
    mask: number | undefined,
    needles: NeedleSet,
    bytes?: Uint8Array,
    start = 0,
  ): RecalledClock<T> | LineCuts | null {
    if (this.declines(line, mask)) return null;
    const echo = bytes ? this.echo(line, needles, bytes, start, true) : null;
    if (echo) {
      const { entry, wrapperTime, messageTime } = echo;
      // Its clocks differ from the kept line's only in digits.
      const clock = clockOf(entry, wrapperTime, messageTime);
      return {
        time: clock.time,
        origin: clock.origin,
        kept: entry.reading,
        answer: entry.answer,
        repeat: repeatAt(echo.cut, true, entry.memo),
      };
    }
    const found = this.find(line, mask, needles, bytes, start);
    if (!found || !('entry' in found)) return found;
    const { entry, cuts } = found;
    const message = messageClockRead(line, entry, cuts);
    if (!message) return cuts;
    const clock = clockOf(entry, cuts.clock?.time ?? null, message.time);
    this.follow(entry);
    return {
      time: clock.time,
      origin: clock.origin,
      kept: entry.reading,
      answer: entry.answer,
      repeat: repeatOf(line, mask, entry, cuts, bytes, start),
    };
  }

  /**
   * `recall`'s answer alone, for the same lines: a count needs no reading, and building one (its
   * clock out of two, its objects) was a tenth of a count's time on the bench's bundle log.
   */
  recallAnswer(
    line: string,
    mask: number | undefined,
    needles: NeedleSet,
    bytes?: Uint8Array,
    start = 0,
  ): { answer: T } | LineCuts | null {
    if (this.declines(line, mask)) return null;
    const echo = bytes ? this.echo(line, needles, bytes, start, false) : null;
    if (echo) return echo.entry;
    const found = this.find(line, mask, needles, bytes, start);
    if (!found || !('entry' in found)) return found;
    if (!messageClockRead(line, found.entry, found.cuts)) return found.cuts;
    this.follow(found.entry);
    return found.entry;
  }

  /**
   * A line, `bytes[start..]` (its text `line`), answered from its bytes when it is the kept line
   * predicted after the last one, or the kept one as long as it, but for digits in its clocks
   * (`ClockPlaces`): what `find` and the clock readers would give, without cutting the line or
   * reading its clocks as text — searched or not: such a line has the kept line's needle mask (no
   * needle with a digit can be found over the clocks of a kept line with places). Null when it is
   * not, or its clocks do not read: the line is then looked up as usual. `times`: the line's time is
   * wanted (its clocks' times: a klog clock's is left null when it cannot be the line's, see
   * `wrapperDecides`); else its clocks are only checked.
   */
  private echo(
    line: string,
    needles: NeedleSet,
    bytes: Uint8Array,
    start: number,
    times: boolean,
  ): {
    entry: Entry<T>;
    cut: ClockCut;
    wrapperTime: PartialTime | null;
    messageTime: PartialTime | null;
  } | null {
    // Paused, `find` asks nothing (a line remembered as the pause began may still be `last`).
    if (this.paused > 0) return null;
    // The predicted line, else the kept one as long as this line. It is the one `find` would find
    // if it answers the line: a kept line with clock places that answers a line is the only one of
    // its key that does (another as long, with the same middle and pins — and so the same mask —
    // would have been found, not kept), and a kept line pushed out of the table loses its places.
    const predicted = this.last?.next;
    const entry = predicted?.places?.length === line.length ? predicted : this.byLength[line.length];
    const places = entry?.places;
    if (!entry || !places || entry.needles !== needles || !places.matches(line, bytes, start)) return null;
    const wrapperTime = places.wrapperTime(bytes, start);
    if (wrapperTime === undefined) return null;
    let messageTime: PartialTime | null = null;
    if (places.cut.klog) {
      if (!times || wrapperDecides(entry, wrapperTime)) {
        if (!places.klogReads(bytes, start)) return null;
      } else {
        const time = places.klogTime(bytes, start);
        if (!time) return null;
        messageTime = time;
      }
    } else {
      const read = messageClockRead(line, entry, places.cut);
      if (!read) return null;
      messageTime = read.time;
    }
    this.count(true);
    this.unknownLengths[line.length] = 0;
    this.follow(entry);
    return { entry, cut: places.cut, wrapperTime, messageTime };
  }

  /**
   * The kept line `recall` answers `line` from, and the line's cuts; else what `recall` gives.
   * `bytes[start..]`: the line's bytes, when the caller has them (see `sameButDigits`).
   */
  private find(
    line: string,
    mask: number | undefined,
    needles: NeedleSet,
    bytes?: Uint8Array,
    start = 0,
  ): { entry: Entry<T>; cuts: LineCuts } | LineCuts | null {
    if (this.paused > 0) {
      this.paused--;
      return null;
    }
    const cuts = cutsOf(line);
    if (!cuts) {
      if (mask === undefined) this.unknownLengths[line.length] = 1;
      return null;
    }
    // The line after a kept one is most often the one found after it last time (a burst repeats a
    // line or a few in turn): comparing its key is cheaper than a Map lookup, which hashes the
    // 100–300 characters of a sliced key anew (0.9 µs a line here, a third of a repeat's cost).
    const predicted = this.last?.next;
    let chain: Entry<T>[] | undefined;
    if (predicted && predicted.key === cuts.key) chain = predicted.chain;
    else if (this.mayHold(keyPrint(line, cuts.messageClockEnd))) chain = this.table.get(cuts.key);
    let found: Entry<T> | undefined;
    const shape = cuts.clock?.shape ?? -1;
    const middle = chain ? line.slice(cuts.clockEnd, cuts.messageClock) : '';
    for (let index = 0; chain && index < chain.length; index++) {
      const entry = chain[index] as Entry<T>;
      if (
        entry.needles === needles &&
        (mask === undefined || entry.mask === mask) &&
        entry.clockEnd === cuts.clockEnd &&
        entry.bodyStart === cuts.bodyStart &&
        entry.shape === shape &&
        entry.middle === middle &&
        entry.format.id === formatOf(cuts.message) &&
        (mask !== undefined ||
          (sameButDigits(line, entry, cuts, bytes, start) &&
            nearClocks(line, cuts, needles) === entry.nearClocks))
      ) {
        found = entry;
        break;
      }
    }
    // A line asked before its search may be no candidate at all: only its finds are counted (a
    // candidate not found is looked up again with its mask).
    if (mask !== undefined || found) this.count(found !== undefined);
    if (found) this.unknownLengths[line.length] = 0;
    else if (mask === undefined) this.unknownLengths[line.length] = 1;
    if (!found) return cuts;
    return { entry: found, cuts };
  }

  /**
   * Keeps the reading of the line cut as `cuts` (read through `layers` and `message`) with `answer`,
   * when the reading agrees with the cuts.
   */
  remember(
    line: string,
    mask: number,
    needles: NeedleSet,
    cuts: LineCuts,
    layers: WrapperLayer[],
    message: MessageReading,
    reading: LineReading,
    answer: T,
  ): void {
    const wrapper = layers[0];
    const agrees =
      message.format.id === formatOf(cuts.message) &&
      message.inner.origin === 'line' &&
      (cuts.message === 'klog' ||
        (cuts.message === 'logfmt'
          ? logfmtCutAgrees(line, cuts)
          : jsonCutAgrees(line, cuts, cuts.message))) &&
      (wrapper === undefined
        ? cuts.clock === null && cuts.bodyStart === 0
        : layers.length === 1 &&
          cuts.clock !== null &&
          wrapper.parsed.body.length === line.length - cuts.bodyStart);
    // Only ASCII lines (as long in UTF-8 as in characters), so that a line asked by the latin1 view
    // of its bytes is its text when it equals a kept one. None with a colour code (readMessage reads
    // the line without them, so the cuts are not its reading's): checked here, once per kept line,
    // since a line found equals a kept one but inside its clocks, and no valid clock holds one.
    if (
      !agrees ||
      Buffer.byteLength(line) !== line.length ||
      line.includes('\u001b') ||
      needles.digitNeedles.length > 31
    )
      return;
    if (this.size >= MAX_ENTRIES) this.clear();
    const fields: Record<string, string> = {};
    for (const name in reading.fields) fields[name] = fresh(reading.fields[name] as string);
    const key = fresh(cuts.key);
    const middle = fresh(line.slice(cuts.clockEnd, cuts.messageClock));
    const entry: Entry<T> = {
      key,
      needles,
      mask,
      nearClocks: nearClocks(line, cuts, needles),
      ...pinsOf(line, cuts),
      clockEnd: cuts.clockEnd,
      bodyStart: cuts.bodyStart,
      shape: cuts.clock?.shape ?? -1,
      middle,
      json: typeof cuts.message === 'string' ? null : cuts.message,
      wrapperOrigin: wrapper ? wrapper.parsed.origin : null,
      places: ClockPlaces.of<PlacesCut>(
        line,
        { middle, key },
        {
          clockEnd: cuts.clockEnd,
          bodyStart: cuts.bodyStart,
          messageClock: cuts.messageClock,
          messageClockEnd: cuts.messageClockEnd,
          message: cuts.message,
          shape: cuts.clock?.shape ?? -1,
          klog: cuts.message === 'klog',
        },
        needles.digitNeedles,
      ),
      reading: {
        ...reading,
        time: null,
        body: fresh(reading.body),
        source: fresh(reading.source),
        fields: Object.freeze(fields),
        formats: Object.freeze([...reading.formats]) as string[],
      },
      format: message.format,
      answer: this.keep(answer),
      memo: {},
      chain: [],
      next: null,
    };
    const print = keyPrint(entry.key, 0);
    this.prints[print >>> 5] = (this.prints[print >>> 5] as number) | (1 << (print & 31));
    const chain = this.table.get(entry.key);
    if (!chain) {
      entry.chain.push(entry);
      this.table.set(entry.key, entry.chain);
    } else {
      if (chain.length >= MAX_CHAIN) {
        // A kept line's `next` may still name it; its own `next` goes, so no run of them is kept.
        const dropped = chain.shift() as Entry<T>;
        dropped.next = null;
        if (dropped.places && this.byLength[dropped.places.length] === dropped)
          this.byLength[dropped.places.length] = undefined;
        dropped.places = null;
        this.size--;
      }
      chain.push(entry);
      entry.chain = chain;
    }
    this.size++;
    this.unknownLengths[line.length] = 0;
    this.follow(entry);
  }

  private follow(entry: Entry<T>): void {
    if (this.last) this.last.next = entry;
    this.last = entry;
    if (entry.places) this.byLength[entry.places.length] = entry;
  }

  /** A line asked before its search is not looked up when its length is one not known (`unknownLengths`). */
  private declines(line: string, mask: number | undefined): boolean {
    return mask === undefined && this.unknownLengths[line.length] === 1;
  }

  private count(hit: boolean): void {
    this.lookups++;
    if (hit) this.hits++;
    if (this.lookups < STRETCH) return;
    if (this.hits * 4 < STRETCH * 3) {
      this.paused = PAUSE;
      this.clear();
    }
    this.lookups = 0;
    this.hits = 0;
  }

  private mayHold(print: number): boolean {
    return ((this.prints[print >>> 5] as number) & (1 << (print & 31))) !== 0;
  }

  private clear(): void {
    this.table.clear();
    this.prints.fill(0);
    this.byLength.fill(undefined);
    this.unknownLengths.fill(0);
    this.last = null;
    this.size = 0;
  }
}

/**
 * A number in [0, PRINTS) for the key `text[from..]`, from its length and a few of its characters
 * (near its start: a pid, a file's name; near its end: a message's last words): equal keys have
 * equal prints, and most different keys different ones. Read in place, without slicing the key.
 */
function keyPrint(text: string, from: number): number {
  const end = text.length;
  let print = end - from;
  print = mixCharAt(print, text, from + 6, from, end);
  print = mixCharAt(print, text, from + 12, from, end);
  print = mixCharAt(print, text, from + 20, from, end);
  print = mixCharAt(print, text, end - 1, from, end);
  print = mixCharAt(print, text, end - 3, from, end);
  print = mixCharAt(print, text, end - 7, from, end);
  return print & (PRINTS - 1);
}

function mixCharAt(print: number, text: string, at: number, from: number, end: number): number {
  return (print * 31 + (at >= from && at < end ? text.charCodeAt(at) : 0)) | 0;
}

/**
 * Whether a line's time is its wrapper's clock whatever its klog clock says: a wrapper time with a
 * year, a zone and a fraction says more than a klog clock (no year, no zone) can, and keeps its own
 * fraction (`readingClock`, `refine`); its klog clock need only read as its reader would take it.
 */
function wrapperDecides<T>(entry: Entry<T>, wrapperTime: PartialTime | null): boolean {
  return (
    wrapperTime !== null &&
    entry.wrapperOrigin !== null &&
    entry.format.ownClockWins !== true &&
    wrapperTime.year !== undefined &&
    wrapperTime.offsetMinutes !== undefined &&
    wrapperTime.ms !== 0
  );
}

/** The time a found line's reading takes from its wrapper's clock and its message's, as `readLine`'s. */
function clockOf<T>(
  entry: Entry<T>,
  wrapperTime: PartialTime | null,
  messageTime: PartialTime | null,
): { time: PartialTime | null; origin: TimeOrigin } {
  return readingClock(
    entry.wrapperOrigin && wrapperTime ? { time: wrapperTime, origin: entry.wrapperOrigin } : null,
    entry.format,
    { time: messageTime, origin: 'line' },
  );
}

function repeatOf<T>(
  line: string,
  mask: number | undefined,
  entry: Entry<T>,
  cuts: LineCuts,
  bytes: Uint8Array | undefined,
  start: number,
): Repeat {
  return repeatAt(cuts, mask === undefined || sameButDigits(line, entry, cuts, bytes, start), entry.memo);
}

function repeatAt(
  cut: Pick<LineCuts, 'clockEnd' | 'messageClock' | 'messageClockEnd'>,
  digitsOnly: boolean,
  memo: Record<string, unknown>,
): Repeat {
  const { clockEnd, messageClock, messageClockEnd } = cut;
  return { clockEnd, messageClock, messageClockEnd, digitsOnly, memo };
}

/**
 * The time of a found line's message as its reader reads it, and for a JSON or logfmt line the
 * value its time field takes; null when the reader would not take this line's clock (the line is
 * then read afresh).
 */
function messageClockRead<T>(
  line: string,
  entry: Entry<T>,
  cuts: MessageCut,
): { time: PartialTime | null; field: string } | null {
  if (cuts.message === 'klog') {
    const time = klogClock(line, cuts.bodyStart);
    return time && { time, field: '' };
  }
  const value = line.slice(cuts.messageClock, cuts.messageClockEnd);
  // As logfmt reads it: `time` is a field, and its value the time.
  if (!entry.json) return { time: parseIsoPartial(value), field: value };
  const read = jsonClockValue(value, entry.json.quoted);
  return read && { time: read.time, field: read.field };
}

/**
 * The places of a line's clocks that their readers' checks leave free, and the line's characters
 * there. `leadingClock` and `klogClock` require a digit at every digit place of their stamps, but
 * not which sign a zone has, which month journald names, or whether its day is ` 1` or `11`; a JSON
 * time value may be any stamp or number.
 */
function pinsOf(
  line: string,
  cuts: LineCuts,
): { pins: Int32Array; pinned: Uint8Array; messageClockLength: number } {
  const { messageClockEnd } = cuts;
  const pins: number[] = [];
  for (let at = 0; at < cuts.clockEnd; at++)
    if (!isDigit(line.charCodeAt(at)) || (at === JOURNALD_DAY && (cuts.clock?.shape ?? 0) >= 100))
      pins.push(at);
  // A JSON or logfmt time value: any stamp or number its reader takes.
  if (cuts.message !== 'klog') for (let at = cuts.messageClock; at < messageClockEnd; at++) pins.push(at);
  return {
    pins: Int32Array.from(pins),
    pinned: Uint8Array.from(pins, (at) => line.charCodeAt(at)),
    messageClockLength: messageClockEnd - cuts.messageClock,
  };
}

/**
 * The line's clocks are as long as the kept line's and differ from them only where both have a
 * digit: a reader reads such lines alike, and so do needles without a digit and redaction, which
 * tells no digit from another. (Clocks a reader reads alike may still differ in a zone's sign or a
 * month's name, which a needle or a redaction pattern could tell apart.)
 */
function sameButDigits<T>(
  line: string,
  entry: Entry<T>,
  cuts: LineCuts,
  bytes: Uint8Array | undefined,
  start: number,
): boolean {
  if (cuts.messageClockEnd - cuts.messageClock !== entry.messageClockLength) return false;
  const { pins, pinned } = entry;
  // Read from the line's bytes when the scanner gave them (a line answered here is ASCII; one that
  // is not fails a reader's check of its clocks): a typed array's element costs a fifth of a
  // sliced string's character, and this was a twentieth of a scan worker's time on the bundle log.
  if (bytes) {
    for (let index = 0; index < pins.length; index++) {
      const kept = pinned[index] as number;
      const code = bytes[start + (pins[index] as number)] as number;
      if (code !== kept && !(isDigit(code) && isDigit(kept))) return false;
    }
    return true;
  }
  for (let index = 0; index < pins.length; index++) {
    const kept = pinned[index] as number;
    const code = line.charCodeAt(pins[index] as number);
    if (code !== kept && !(isDigit(code) && isDigit(kept))) return false;
  }
  return true;
}

const isDigit = (code: number) => code >= 48 && code <= 57;

/**
 * Which of the needles with a digit are found over the line's clocks (bit i for
 * `needles.digitNeedles[i]`). Two lines equal but for digits in their clocks have the same needle
 * hits but for hits of needles with a digit over a changed digit: if the same needles are found over
 * the clocks of both, the lines' needle masks are the same, and so is whether they have a needle.
 */
function nearClocks(line: string, cuts: LineCuts, needles: NeedleSet): number {
  const { messageClockEnd } = cuts;
  let found = 0;
  needles.digitNeedles.forEach((needle, index) => {
    // Searched in the line up to the needles that start before the message clock's end: the rest of
    // a line (most of it) cannot hold one over a clock.
    const head = line.slice(0, messageClockEnd + needle.length - 1);
    for (let at = head.indexOf(needle); at >= 0; at = head.indexOf(needle, at + 1)) {
      if (at < cuts.clockEnd || at + needle.length > cuts.messageClock) found |= 1 << index;
    }
  });
  return found;
}

/**
 * The cuts of a line the fast wrapper readers would read as a klog, JSON or logfmt message, or
 * null. Most lines that are not are told apart before their clock is read (a space, then a klog
 * header, `{` or `time=` where the middle would end): candidates of other formats pay a few
 * character checks, not a clock.
 */
function cutsOf(line: string): LineCuts | null {
  if (line.length > MAX_LINE) return null;
  let clockEnd = 0;
  let bodyStart = 0;
  if (!mayBeMessage(line, 0)) {
    // An ISO stamp ends at the first space; journald short's `Mon DD HH:MM:SS` at 15 or after its fraction.
    const first = line.charCodeAt(0);
    clockEnd =
      first >= 48 && first <= 57
        ? line.indexOf(' ')
        : line.charCodeAt(15) === 46
          ? line.indexOf(' ', 16)
          : 15;
    if (clockEnd < 0) return null;
    const after = clockEnd + 1;
    if (isCriStream(line, after)) bodyStart = after + 9;
    else if (mayBeMessage(line, after)) bodyStart = after;
    else {
      const colon = line.indexOf(': ', after);
      if (colon < 0) return null;
      bodyStart = colon + 2;
    }
  }
  let messageClock: number;
  let messageClockEnd: number;
  let message: LineCuts['message'];
  if (mayBeKlog(line, bodyStart)) {
    messageClock = bodyStart + 1;
    messageClockEnd = bodyStart + AFTER_CLOCK;
    message = 'klog';
  } else if (line.charCodeAt(bodyStart) === 123) {
    const value = jsonClockAt(line, bodyStart);
    if (!value) return null;
    messageClock = value.start;
    messageClockEnd = value.end;
    message = { key: value.key, quoted: value.quoted };
  } else if (mayBeLogfmt(line, bodyStart)) {
    // `time="<stamp>" ` or `time=<stamp> `: the stamp's characters, then its quote or a space.
    const quoted = line.charCodeAt(bodyStart + 5) === 34;
    messageClock = bodyStart + (quoted ? 6 : 5);
    messageClockEnd = messageClock;
    while (isStampChar(line.charCodeAt(messageClockEnd))) messageClockEnd++;
    if (messageClockEnd === messageClock || line.charCodeAt(messageClockEnd) !== (quoted ? 34 : 32))
      return null;
    message = 'logfmt';
  } else return null;
  let clock: LineCuts['clock'] = null;
  if (clockEnd > 0) {
    const read = leadingClock(line);
    if (!read || read.end !== clockEnd) return null;
    clock = { time: read.time, shape: read.shape };
  }
  return {
    clockEnd,
    bodyStart,
    messageClock,
    messageClockEnd,
    message,
    clock,
    key: line.slice(messageClockEnd),
  };
}

/**
 * A JSON line's cut agrees with what `json-log` read when the line with another value there still
 * parses and has its time in it: then it is the value of the line's own key (not a nested one, not
 * one that a later key of the same name or a key read before it replaces, whatever the spacing or
 * escapes).
 */
function jsonCutAgrees(line: string, cuts: LineCuts, json: { key: string; quoted: boolean }): boolean {
  const end = cuts.messageClockEnd;
  const text = line.slice(cuts.messageClock, end);
  if (!jsonClockValue(text, json.quoted)) return false;
  const other = text === '1' ? '2' : '1';
  let record: unknown;
  try {
    record = JSON.parse(`${line.slice(cuts.bodyStart, cuts.messageClock)}${other}${line.slice(end)}`);
  } catch {
    return false;
  }
  if (!record || typeof record !== 'object') return false;
  const fields = record as Record<string, unknown>;
  for (const key of JSON_TIME_KEYS) {
    if (key === json.key) return json.quoted ? fields[key] === other : fields[key] === Number(other);
    if (fields[key] != null) return false;
  }
  return false;
}

/** A klog header, a JSON object or a logfmt line at `at`. */
function mayBeMessage(line: string, at: number): boolean {
  return line.charCodeAt(at) === 123 || mayBeKlog(line, at) || mayBeLogfmt(line, at);
}

/** `time=` at `at`: how logrus' and slog's text lines start. */
function mayBeLogfmt(line: string, at: number): boolean {
  return (
    line.charCodeAt(at) === 116 &&
    line.charCodeAt(at + 1) === 105 &&
    line.charCodeAt(at + 2) === 109 &&
    line.charCodeAt(at + 3) === 101 &&
    line.charCodeAt(at + 4) === 61
  );
}

/** An RFC 3339 stamp's characters: digits and `-:.+TZ`. */
function isStampChar(code: number): boolean {
  return (
    (code >= 48 && code <= 58) || code === 45 || code === 46 || code === 43 || code === 84 || code === 90
  );
}

/** The message format that reads a line cut as `message`. */
function formatOf(message: LineCuts['message']): string {
  return message === 'klog' ? 'klog' : message === 'logfmt' ? 'logfmt' : 'json-log';
}

/**
 * A logfmt line's cut agrees with what `logfmt` read when the line with another value there has
 * that value as its `time` field: then it is the field's only value (no later `time=` replaces it).
 * The stamp has no quote, backslash or space, so the pairs around it read the same.
 */
function logfmtCutAgrees(line: string, cuts: LineCuts): boolean {
  const end = cuts.messageClockEnd;
  return parseKeyValues(`${line.slice(cuts.bodyStart, cuts.messageClock)}1${line.slice(end)}`).time === '1';
}

/** A klog severity letter at `at` and the clock's fixed punctuation. */
function mayBeKlog(line: string, at: number): boolean {
  return (
    isKlogSeverity(line.charCodeAt(at)) &&
    line.charCodeAt(at + 5) === 32 &&
    line.charCodeAt(at + 8) === 58 &&
    line.charCodeAt(at + 14) === 46
  );
}

/**
 * A copy of `text` that does not keep the string it was sliced from alive: V8 flattens a joined
 * string into new memory before slicing it.
 */
export function fresh(text: string): string {
  return `\u0000${text}`.slice(1);
}
