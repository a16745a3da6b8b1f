import { describe, expect, it } from 'vitest';
import { classifyLogLine, EVENT_NEEDLE_SET } from '../../src/parse/classify/index.js';
import { eventFromLine } from '../../src/parse/log-scan.js';
import {
  eventJsonTail,
  eventMessage,
  finalizeEvent,
  jsonString,
  repeatedMessage,
  repeatedMessageJson,
  TimeResolver,
} from '../../src/parse/event.js';
import { REPEAT_CORPUS, variants } from './_repeat-lines.js';
import { sampleLogLines } from './_sample-logs.js';

describe('jsonString', () => {
  const strings = [
    '',
    'kube-system/kube-scheduler',
    'journald:microk8s.daemon-kubelite/klog',
    'err="context deadline exceeded" lock="kube-system/x"',
    '"quoted" at both ends"',
    'quotes "and" a backslash \\"',
    'quotes "and" a pair 😀',
    'C:\\path\\to',
    'tab\there, newline\n, NUL \u0000, unit separator \u001f, DEL \u007f',
    'line separators \u2028 \u2029 stay raw',
    'café, 日本語, emoji 😀',
    'lone surrogates \ud800 and \udfff',
    '[redacted] … done',
  ];
  for (const text of strings)
    it(JSON.stringify(text).slice(0, 40), () => expect(jsonString(text)).toBe(JSON.stringify(text)));
});

describe('eventJsonTail', () => {
  it('is JSON.stringify of the finished event on every event of the samples', () => {
    const context = { anchorMs: Date.parse('2026-04-01T00:00:00Z') };
    const resolver = new TimeResolver(context);
    let events = 0;
    sampleLogLines().forEach((line, index) => {
      const pending = eventFromLine(line, 'logs/x.log', index + 1);
      if (!pending) return;
      events++;
      const resolved = resolver.resolve(pending.time, pending.origin);
      const head = `{"file":${JSON.stringify(pending.file)},"line":${pending.line}`;
      expect(`${head}${eventJsonTail(pending, resolved)}`).toBe(
        JSON.stringify(finalizeEvent(pending, context)),
      );
    });
    expect(events).toBeGreaterThan(500);
  });
});

describe('repeatedMessage', () => {
  it("is a repeated line's message, and its JSON around the line's clocks, as a fresh reading gives them, or null where it may not be", () => {
    let plain = 0;
    let redacted = 0;
    // Each line's variants five times: later rounds are answered from the first (and from each other).
    for (const group of REPEAT_CORPUS.map(variants)) {
      for (let round = 0; round < 5; round++) {
        for (const line of group) {
          const { classified } = classifyLogLine(line, EVENT_NEEDLE_SET.maskOf(line), EVENT_NEEDLE_SET);
          if (!classified?.repeat) continue;
          const message = eventMessage(line);
          const repeated = repeatedMessage(line, classified.repeat);
          if (repeated !== null) {
            plain++;
            expect(repeated, line).toBe(message);
            const { clockEnd, messageClock, messageClockEnd } = classified.repeat;
            const { between, after } = repeatedMessageJson(classified.repeat);
            expect(
              `"${line.slice(0, clockEnd)}${between}${line.slice(messageClock, messageClockEnd)}${after}`,
              line,
            ).toBe(JSON.stringify(message));
          } else {
            // Not the line itself, or clocks that differ from the kept line's in more than digits.
            if (message !== line) redacted++;
            else expect(classified.repeat.digitsOnly, line).toBe(false);
          }
        }
      }
    }
    // Not a test of nothing: hundreds of lines were answered both ways.
    expect(plain).toBeGreaterThan(300);
    expect(redacted).toBeGreaterThan(0);
  });
});
