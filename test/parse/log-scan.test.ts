import { describe, expect, it, vi } from 'vitest';
import { REPEAT_CORPUS, variants } from './_repeat-lines.js';

/**
 * A log where lines repeat in bursts, as during an incident: each line of the corpus and its
 * variants, five times in a row, with the klog and wrapper clocks' seconds moving on.
 */
function burstLog(): string[] {
  const lines: string[] = [];
  for (const line of REPEAT_CORPUS.flatMap(variants)) {
    if (line.includes('\n') || line.includes('\r')) continue;
    for (let second = 10; second < 15; second++)
      lines.push(line.replace(/:(\d\d)\.(\d{6})/g, (_, __, fraction: string) => `:${second}.${fraction}`));
  }
  return lines;
}

describe('logScan', () => {
  it('gives every event of a bursty log as a line-by-line first reading does, message and JSON too', async () => {
    // Modules of their own: a repeats table that no other test filled or paused.
    vi.resetModules();
    const { logScan } = await import('../../src/parse/log-scan.js');
    const { eventFromLine } = await import('../../src/parse/log-scan.js');
    const { EVENT_NEEDLE_SET } = await import('../../src/parse/classify/index.js');
    const { eventJsonTail, TimeResolver } = await import('../../src/parse/event.js');
    const lines = burstLog();
    const text = `${lines.join('\n')}\n`;
    const events: Parameters<typeof eventJsonTail>[0][] = [];
    const scan = logScan(
      'burst.log',
      { id: 'text-log' } as never,
      { maxLineBytes: 1 << 20, maxDocumentBytes: 1 << 26 },
      (event) => events.push(event),
    );
    const bytes = Buffer.from(text);
    for (let at = 0; at < bytes.length; at += 65536) scan.push(bytes.subarray(at, at + 65536));
    expect(scan.end().lines).toBe(lines.length);
    // A first reading of each line alone: no needles given, so nothing is remembered or recalled.
    const fresh = lines
      .map((line, index) =>
        eventFromLine(line, 'burst.log', index + 1, null, { mask: EVENT_NEEDLE_SET.maskOf(line) }),
      )
      .filter((event) => event !== null);
    expect(events.length).toBe(fresh.length);
    expect(events.length).toBeGreaterThan(1000);
    const resolver = new TimeResolver({ year: 2026 });
    let withJson = 0;
    events.forEach((event, index) => {
      const { messageJson, ...rest } = event;
      expect(rest, lines[event.line - 1]).toEqual(fresh[index]);
      if (messageJson !== undefined) {
        withJson++;
        expect(messageJson).toBe(JSON.stringify(event.message));
      }
      const resolved = resolver.resolve(event.time, event.origin);
      expect(eventJsonTail(event, resolved)).toBe(eventJsonTail(fresh[index] as never, resolved));
    });
    // Not a test of nothing: thousands of events were answered from kept lines (the corpus is
    // mostly other formats, read afresh, and lines that repeat too seldom pause the table).
    expect(withJson).toBeGreaterThan(1000);
  });
});
