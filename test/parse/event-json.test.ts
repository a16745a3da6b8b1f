import { describe, expect, it } from 'vitest';
import { eventFromLine } from '../../src/parse/log-scan.js';
import { eventJsonTail, finalizeEvent, jsonString, TimeResolver } from '../../src/parse/event.js';
import { sampleLogLines } from './_sample-logs.js';

describe('jsonString', () => {
  const strings = [
    '',
    'kube-system/kube-scheduler',
    'journald:microk8s.daemon-kubelite/klog',
    'err="context deadline exceeded" lock="kube-system/x"',
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
