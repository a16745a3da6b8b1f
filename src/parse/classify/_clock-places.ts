/**
 * A kept line's clocks as places in its bytes, for the line the scanner offers after a repeat
 * (src/parse/classify/_repeats.ts). A line as long as the kept one, with the same bytes outside its
 * clocks, the same non-digits inside them and a digit wherever the kept line has one, is the kept
 * line but for digits in its clocks: cut where the kept line was cut (every choice of the cut reads a
 * non-digit or asks whether a character is a digit), found by the kept line's key, middle and pins,
 * and read by the same readers along the same path. So its clocks are its digits at the kept line's
 * places, checked as the readers check them (`isValidPartial`, a zone's hours and minutes). Comparing
 * the bytes and reading digits at known places costs a fraction of cutting the line and reading its
 * clocks as text: a sliced string's characters cost twice a typed array's elements, and the cut,
 * the key's slice and compare and the clock readers were most of a repeat's cost.
 *
 * Only clocks with fixed places are read so: a wrapper's ISO stamp (journald short's day may be one
 * digit or two) and a klog header's. A JSON or logfmt time value is read as text by its reader.
 */
import { fractionMs, isValidClock, isValidPartial, zoneMinutes, type PartialTime } from '../time.js';

/** Where a line was cut (see `LineCuts` in _repeats.ts). */
export interface ClockCut {
  clockEnd: number;
  messageClock: number;
  messageClockEnd: number;
  /** The wrapper clock's shape (`leadingClock`), -1 for a bare message. */
  shape: number;
  /** The message clock is a klog header's (`mmdd hh:mm:ss.uuuuuu`). */
  klog: boolean;
}

/** An ISO stamp's fraction digits and zone, from its shape and its characters. */
interface IsoPlaces {
  fraction: number;
  /** Where its zone starts; -1 for `Z`. */
  zone: number;
  colon: boolean;
}

const SHORT_CLOCK_SHAPES = 100;
/** A klog header's clock: month, day, hour, minute, second and microseconds from its start. */
const KLOG = { month: 0, day: 2, hour: 5, minute: 8, second: 11, micros: 14 };

/** `C`: the cut, with whatever else the caller keeps in it (the repeats table: where the message starts). */
export class ClockPlaces<C extends ClockCut = ClockCut> {
  private constructor(
    /** The kept line's bytes (it is ASCII). */
    private readonly kept: Uint8Array,
    /** The kept line between its clocks, and after its message clock, as strings of their own. */
    private readonly middle: string,
    private readonly key: string,
    readonly cut: C,
    private readonly iso: IsoPlaces | null,
    /**
     * The places of the clocks read digit by digit where the kept line has no digit (their digit
     * places are checked as they are read); a JSON or logfmt time value is compared whole.
     */
    private readonly pins: Int32Array,
  ) {}

  /**
   * The places of `line`'s clocks, cut as `cut`; null when a clock has no fixed places, or a needle
   * with a digit (`digitNeedles`) could be found over a clock of a line that matches: then two such
   * lines' needle masks could differ (see `nearClocks`), and the line is looked up as text.
   */
  static of<C extends ClockCut>(
    line: string,
    strings: { middle: string; key: string },
    cut: C,
    digitNeedles: readonly string[],
  ): ClockPlaces<C> | null {
    if (cut.shape >= SHORT_CLOCK_SHAPES) return null;
    const kept = Buffer.from(line, 'latin1');
    const pins: number[] = [];
    const pinEnd = cut.klog ? cut.messageClockEnd : cut.clockEnd;
    for (let at = 0; at < pinEnd; at++)
      if ((at < cut.clockEnd || at >= cut.messageClock) && !isDigit(kept[at] as number)) pins.push(at);
    const iso = cut.shape < 0 ? null : isoPlaces(kept, cut.shape);
    const places = new ClockPlaces(kept, strings.middle, strings.key, cut, iso, Int32Array.from(pins));
    return digitNeedles.some((needle) => places.mayHoldOverClocks(needle)) ? null : places;
  }

  /** The kept line's length. */
  get length(): number {
    return this.kept.length;
  }

  /**
   * `line`, whose bytes start at `bytes[start]`, is the kept line but for digits in its clocks (see
   * the top of the file), as far as can be told before its clocks are read: its rest and middle are
   * compared as strings (a memory compare: a loop over a typed array costs about a nanosecond an
   * element), the non-digits of its clocks by their bytes.
   */
  matches(line: string, bytes: Uint8Array, start: number): boolean {
    const kept = this.kept;
    if (line.length !== kept.length) return false;
    const { clockEnd, messageClock, messageClockEnd, klog } = this.cut;
    if (line.slice(messageClockEnd) !== this.key || line.slice(clockEnd, messageClock) !== this.middle)
      return false;
    const pins = this.pins;
    for (let index = 0; index < pins.length; index++) {
      const at = pins[index] as number;
      if (bytes[start + at] !== kept[at]) return false;
    }
    if (!klog)
      for (let at = messageClock; at < messageClockEnd; at++) {
        const code = bytes[start + at] as number;
        const keptCode = kept[at] as number;
        if (isDigit(keptCode) ? !isDigit(code) : code !== keptCode) return false;
      }
    return true;
  }

  /**
   * The wrapper clock of a line that `matches`, as `leadingClock` reads it: null for a bare message,
   * undefined when its reader would not take it (a digit missing, a 13th month, a zone past 23:59).
   */
  wrapperTime(bytes: Uint8Array, start: number): PartialTime | null | undefined {
    const iso = this.iso;
    if (!iso) return null;
    const year = digitsAt(bytes, start, 4);
    const fraction = iso.fraction === 0 ? 0 : digitsAt(bytes, start + 20, iso.fraction);
    const offsetMinutes =
      iso.zone < 0
        ? 0
        : zoneMinutes(
            bytes[start + iso.zone] as number,
            digitsAt(bytes, start + iso.zone + 1, 2),
            digitsAt(bytes, start + iso.zone + (iso.colon ? 4 : 3), 2),
          );
    // NaN where a place held no digit; month to second are left to isValidPartial, which NaN fails.
    if (offsetMinutes === null || Number.isNaN(year + fraction + offsetMinutes)) return undefined;
    const time: PartialTime = {
      year,
      month: digitsAt(bytes, start + 5, 2),
      day: digitsAt(bytes, start + 8, 2),
      hour: digitsAt(bytes, start + 11, 2),
      minute: digitsAt(bytes, start + 14, 2),
      second: digitsAt(bytes, start + 17, 2),
      ms: iso.fraction === 0 ? 0 : fractionMs(fraction, iso.fraction),
      offsetMinutes,
    };
    return isValidPartial(time) ? time : undefined;
  }

  /**
   * Whether the klog clock of a line that `matches` reads, as `klogClock` would take it: `klogTime`'s
   * checks without building the time, for a caller that needs only to know.
   */
  klogReads(bytes: Uint8Array, start: number): boolean {
    const at = start + this.cut.messageClock;
    return (
      !Number.isNaN(digitsAt(bytes, at + KLOG.micros, 6)) &&
      isValidClock(
        digitsAt(bytes, at + KLOG.month, 2),
        digitsAt(bytes, at + KLOG.day, 2),
        digitsAt(bytes, at + KLOG.hour, 2),
        digitsAt(bytes, at + KLOG.minute, 2),
        digitsAt(bytes, at + KLOG.second, 2),
      )
    );
  }

  /** The klog clock of a line that `matches`, as `klogClock` reads it; undefined when it would not. */
  klogTime(bytes: Uint8Array, start: number): PartialTime | undefined {
    // Read once and checked after (not `klogReads` first): a bare klog line needs its time every time.
    const at = start + this.cut.messageClock;
    const micros = digitsAt(bytes, at + KLOG.micros, 6);
    if (Number.isNaN(micros)) return undefined;
    const time: PartialTime = {
      month: digitsAt(bytes, at + KLOG.month, 2),
      day: digitsAt(bytes, at + KLOG.day, 2),
      hour: digitsAt(bytes, at + KLOG.hour, 2),
      minute: digitsAt(bytes, at + KLOG.minute, 2),
      second: digitsAt(bytes, at + KLOG.second, 2),
      ms: micros / 1000,
    };
    return isValidPartial(time) ? time : undefined;
  }

  /**
   * Whether `needle` could be found starting where `nearClocks` looks (over a clock, or from the line's
   * start) in some line that `matches`: a digit of the kept line's clocks may be any digit there.
   */
  private mayHoldOverClocks(needle: string): boolean {
    const kept = this.kept;
    const { clockEnd, messageClock, messageClockEnd } = this.cut;
    const inClock = (at: number) => at < clockEnd || (at >= messageClock && at < messageClockEnd);
    for (let from = 0; from + needle.length <= kept.length && from < messageClockEnd; from++) {
      if (from >= clockEnd && from + needle.length <= messageClock) continue;
      let fits = true;
      for (let index = 0; fits && index < needle.length; index++) {
        const at = from + index;
        const code = needle.charCodeAt(index);
        fits = inClock(at) && isDigit(kept[at] as number) ? isDigit(code) : code === kept[at];
      }
      if (fits) return true;
    }
    return false;
  }
}

/** An ISO stamp's places from its shape (`leadingClock`: fraction digits × 2, plus 1 for `±hh:mm`). */
function isoPlaces(kept: Uint8Array, shape: number): IsoPlaces {
  const fraction = shape >> 1;
  const zone = fraction === 0 ? 19 : 20 + fraction;
  return { fraction, zone: kept[zone] === 90 ? -1 : zone, colon: (shape & 1) === 1 };
}

/** The number the `count` digits at `at` write, or NaN when one of them is no digit. */
function digitsAt(bytes: Uint8Array, at: number, count: number): number {
  let value = 0;
  for (let index = 0; index < count; index++) {
    const digit = (bytes[at + index] as number) - 48;
    if (digit < 0 || digit > 9) return Number.NaN;
    value = value * 10 + digit;
  }
  return value;
}

const isDigit = (code: number) => code >= 48 && code <= 57;
