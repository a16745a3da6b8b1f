import { describe, expect, it } from 'vitest';
import { goDurationMs } from '../../../src/parse/classify/_duration.js';

describe('goDurationMs', () => {
  it('reads Go time.Duration text of one part and of several, in milliseconds', () => {
    const cases: [string, number][] = [
      ['5004ms', 5004],
      ['2.098765s', 2098.765],
      ['612.4ms', 612.4],
      ['2m', 120_000],
      ['1h', 3_600_000],
      ['253ns', 0],
      ['8µs', 0.008],
      ['8μs', 0.008],
      ['1500us', 1.5],
      ['2m40s', 160_000],
      ['1h0m5.5s', 3_605_500],
      ['1m0.000001s', 60_000.001],
    ];
    for (const [text, ms] of cases) expect(goDurationMs(text), text).toBe(ms);
  });

  it('reads whole milliseconds by hand as the general path does', () => {
    for (const [text, ms] of [
      ['0ms', 0],
      ['007ms', 7],
      ['999999999999ms', 999_999_999_999],
      ['9999999999999ms', 9_999_999_999_999],
      ['12345678901234567890ms', 12_345_678_901_234_567_890],
    ] as [string, number][])
      expect(goDurationMs(text), text).toBe(ms);
    for (const text of ['5 ms', '5mss', '5Ms', '-5ms', '5.ms', 'x5ms', '٣ms'])
      expect(goDurationMs(text), text).toBeNull();
  });

  it('gives null for what is not a duration', () => {
    for (const text of [undefined, '', 'ms', '5', '5 ms', '5msx', '-5s', '5s ', 'abc', '1.s', '.5s'])
      expect(goDurationMs(text), String(text)).toBeNull();
  });
});
