import { describe, expect, it } from 'vitest';
import { goDurationMs } from '../../../src/parse/classify/_duration.js';

describe('goDurationMs', () => {
  it('reads Go time.Duration text of one part and of several, in milliseconds', () => {
    expect(goDurationMs('5004ms')).toBe(5004);
    expect(goDurationMs('2.098765s')).toBe(2098.765);
    expect(goDurationMs('612.4ms')).toBe(612.4);
    expect(goDurationMs('2m')).toBe(120_000);
    expect(goDurationMs('1h')).toBe(3_600_000);
    expect(goDurationMs('253ns')).toBe(0);
    expect(goDurationMs('8µs')).toBe(0.008);
    expect(goDurationMs('8μs')).toBe(0.008);
    expect(goDurationMs('1500us')).toBe(1.5);
    expect(goDurationMs('2m40s')).toBe(160_000);
    expect(goDurationMs('1h0m5.5s')).toBe(3_605_500);
    expect(goDurationMs('1m0.000001s')).toBe(60_000.001);
  });

  it('gives null for what is not a duration', () => {
    for (const text of [undefined, '', 'ms', '5', '5 ms', '5msx', '-5s', '5s ', 'abc', '1.s', '.5s'])
      expect(goDurationMs(text), String(text)).toBeNull();
  });
});
