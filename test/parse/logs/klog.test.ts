import { describe, expect, it } from 'vitest';
import { klogClock, klogHeader } from '../../../src/parse/logs/klog.js';
import {
  expectChangesReadAlike,
  klogClockByRegex,
  klogTimeOf,
  oneCharChanges,
} from '../_clock-references.js';
import { sampleLogLines } from '../_sample-logs.js';

/** The regex the hand reader replaced. */
const HEADER = /^([IWEF])(\d\d)(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{6})\s+(\d+) ([^\s:\]]+:\d+)\] ?(.*)$/s;
function byRegex(line: string) {
  const match = HEADER.exec(line);
  if (!match) return null;
  return {
    severity: match[1],
    time: klogTimeOf(match.slice(2, 8)),
    caller: match[9],
    message: match[10],
  };
}

describe('klog header', () => {
  // Every place a header could start in the samples' log lines (after any wrapper).
  const headers = sampleLogLines().flatMap((line) =>
    [...line.matchAll(/[IWEF]\d{4} /g)].map((match) => line.slice(match.index)),
  );

  it('is read as the regex reads it, at every header in the samples', () => {
    expect(headers.length).toBeGreaterThan(500);
    for (const line of headers) expect(klogHeader(line), line).toEqual(byRegex(line));
  });

  it('is read as the regex reads it with any one character changed or removed', () => {
    const replacements = ['0', '9', ' ', '\t', '\n', '\u00a0', '\u2028', ':', ']', '.', 'x', 'I', ''];
    const lines = [...new Set(headers.map((line) => line.slice(0, 60)))].slice(0, 40);
    let checked = 0;
    for (const line of lines) {
      for (const changed of oneCharChanges(line, line.length, replacements)) {
        expect(klogHeader(changed), JSON.stringify(changed)).toEqual(byRegex(changed));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });
});

describe('klogClock', () => {
  const headers = [...new Set(sampleLogLines().flatMap((line) => line.match(/[IWEF]\d{4} .{16}/g) ?? []))];

  it('reads a header clock as the regex does, with any one character of it changed, whatever was read before', () => {
    expect(headers.length).toBeGreaterThan(100);
    const checked = expectChangesReadAlike(
      headers.slice(0, 60),
      (header) => header.length,
      (header) => klogClock(header),
      klogClockByRegex,
      'W1231 23:59:59.999999',
    );
    expect(checked).toBeGreaterThan(10_000);
  });

  it('keeps what the header says: no calendar check (no year), a leap second, a 13th month refused', () => {
    expect(klogClock('E0229 10:00:00.000001')).toEqual({
      month: 2,
      day: 29,
      hour: 10,
      minute: 0,
      second: 0,
      ms: 0.001,
    });
    expect(klogClock('E0231 23:59:60.999999')).toMatchObject({ day: 31, second: 60, ms: 999.999 });
    expect(klogClock('E1301 10:00:00.000000')).toBeNull();
    expect(klogClock('E0101 10:00:00.00000x')).toBeNull();
  });

  it('reads a header at an offset in the line', () => {
    const line =
      '2026-03-31T22:00:17.000005+00:00 k8s01 kubelite[2271]: I0331 22:00:17.000005    2271 a.go:1] x';
    expect(klogClock(line, line.indexOf('I0331'))).toEqual(klogClockByRegex('I0331 22:00:17.000005'));
  });
});
