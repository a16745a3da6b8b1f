import { describe, expect, it } from 'vitest';
import { EVENT_RULES } from '../../src/parse/classify/index.js';
import { FAST_WRAPPERS, leadingClock, wrapperLayers } from '../../src/parse/line-reader.js';
import { LOG_FORMATS, readLine } from '../../src/parse/logs/index.js';
import { expectChangesReadAlike, leadingClockByRegex } from './_clock-references.js';
import { sampleLogLines } from './_sample-logs.js';

/** Shapes next to the fast path's edges: each must read as the formats read it. */
const EDGES = [
  '2024-01-12T10:00:31.001377123Z stdout X not a CRI tag',
  '2024-01-12T10:00:31.001377123+0000 body after a colon-less zone',
  '2024-01-12T10:00:31.0013771234Z ten fraction digits',
  '2024-01-12T10:00:31.Z no fraction digits',
  '2024-13-12T10:00:31.001377123Z month 13',
  '2024-01-12T10:00:31+00:00 node-1 kubelite[12]:',
  '2024-01-12T10:00:31+00:00 node-1 kubelite[12]:x',
  '2024-01-12T10:00:31+00:00 node-1 kubelite[]: empty pid',
  '2024-01-12T10:00:31+00:00 node\t1 kubelite: tab in host',
  '2024-01-12T10:00:31.001377123Z 2024-01-12T10:00:31.001377Z stderr F E0112 10:00:31.001377       1 a.go:1] nested',
  '2024-01-12T10:00:31.001377123Z [pod/p/c] I0112 10:00:31.001377       1 a.go:1] prefix inside timestamps',
  'Jan 12 10:00:31.1234567 node-1 kubelite[1]: seven fraction digits',
  'Feb 30 10:00:31 node-1 kubelite[1]: day 30 of February',
  'Foo 12 10:00:31 node-1 kubelite[1]: not a month',
  'Jan  2 10:00:31 node-1 kubelite[1]: {"__REALTIME_TIMESTAMP":"1705053631001377","MESSAGE":"x"}',
  '{"log":"E0112 10:00:31.001377 1 a.go:1] docker\\n","stream":"stderr","time":"2024-01-12T10:00:31.001377Z"}',
  '2024-01-12T10:00:31.123-07:00 node-1 kubelite[1]: zone west',
  '2024-01-12T10:00:31-0700 node-1 kubelite: colon-less zone, no pid',
  '2024-01-12T10:00:31.001377123-00:00 minus zero',
  '2024-01-12T10:00:31.5+05:30 stderr P partial line',
  '2024-01-12T23:59:60Z node-1 kubelite[1]: leap second',
  '2024-01-12T10:00:31+24:00 node-1 kubelite[1]: zone hour 24',
  '2024-01-12T10:00:31.123456789+23:59 I0112 10:00:31.001377       1 a.go:1] zone 23:59',
  '2024-01-12T10:00:31.123456+00:60 stderr F zone minute 60',
  '2024-01-12T10:00:31.123456789-0099 stdout F colon-less zone minute 99',
  'Jan',
  '',
];

describe('event fast path: wrapper reading', () => {
  it('is on for the current wrapper list (a new wrapper needs line-reader.ts checked and KNOWN_WRAPPERS updated)', () => {
    expect(FAST_WRAPPERS).toBe(true);
  });

  const corpus = [
    ...LOG_FORMATS.flatMap((format) => format.samples.map((sample) => sample.line)),
    ...EVENT_RULES.flatMap((rule) => [...rule.samples.map((sample) => sample.line), ...rule.negatives]),
    ...EDGES,
    ...sampleLogLines().filter(Boolean),
  ];

  it('reads every format sample, rule sample and sample-bundle line as the formats do', () => {
    let fast = 0;
    for (const line of corpus) {
      const layers = wrapperLayers(line);
      if (layers !== undefined) fast++;
      expect(readLine(line, layers), line).toEqual(readLine(line));
    }
    // Most lines take the fast path; the rest fall back, which is also checked above.
    expect(fast).toBeGreaterThan(corpus.length * 0.9);
  });
});

describe('leadingClock', () => {
  // The stamps the sample bundle's wrapped lines start with and the space after them, and journald
  // short's clocks (the samples have none).
  const starts = [
    ...new Set(
      sampleLogLines()
        .filter((line) => /^\d/.test(line))
        .map((line) => `${line.slice(0, line.indexOf(' ') + 1)}x`),
    ),
  ];
  const shortStarts = [
    'Jan 12 10:00:31 x',
    'Mar  1 00:00:00.123456 x',
    'Feb 29 23:59:60.5 x',
    'Dec 31 23:59:59.000001 x',
  ];

  it('reads a clock as the wrapper regexes do, for every stamp in the samples and journald short clocks', () => {
    expect(starts.length).toBeGreaterThan(20);
    for (const line of [...starts, ...shortStarts])
      expect(leadingClock(line), line).toEqual(leadingClockByRegex(line));
    expect(leadingClock('Mar-31 22:00:17 x')).toBeNull();
  });

  it('reads every one-character change of a clock as the regexes do, whatever was read before it', () => {
    const checked = expectChangesReadAlike(
      [...starts.slice(0, 40), ...shortStarts],
      (line) => line.length - 1,
      leadingClock,
      leadingClockByRegex,
      '1999-12-31T23:59:59Z x',
    );
    expect(checked).toBeGreaterThan(5000);
  });
});
