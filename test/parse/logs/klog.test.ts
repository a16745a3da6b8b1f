import { describe, expect, it } from 'vitest';
import { klogHeader } from '../../../src/parse/logs/klog.js';
import { sampleLogLines } from '../_sample-logs.js';

/** The regex the hand reader replaced. */
const HEADER = /^([IWEF])(\d\d)(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{6})\s+(\d+) ([^\s:\]]+:\d+)\] ?(.*)$/s;
function byRegex(line: string) {
  const match = HEADER.exec(line);
  if (!match) return null;
  return {
    severity: match[1],
    time: {
      month: Number(match[2]),
      day: Number(match[3]),
      hour: Number(match[4]),
      minute: Number(match[5]),
      second: Number(match[6]),
      ms: Number(match[7]) / 1000,
    },
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
      for (let at = 0; at < line.length; at++) {
        for (const replacement of replacements) {
          const changed = line.slice(0, at) + replacement + line.slice(at + 1);
          expect(klogHeader(changed), JSON.stringify(changed)).toEqual(byRegex(changed));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });
});
