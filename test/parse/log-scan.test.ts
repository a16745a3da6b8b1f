import { describe, expect, it, vi } from 'vitest';
import { REPEAT_CORPUS, variants, writeRepeat } from './_repeat-lines.js';

/**
 * A log where lines repeat in bursts, as during an incident: each line of the corpus and its
 * variants, five times in a row, with the klog and wrapper clocks' seconds moving on.
 */
function burstLog(): string[] {
  const lines: string[] = [];
  for (let at = 0; at < 200; at++)
    lines.push(
      `E0331 22:${String(Math.floor(at / 60)).padStart(2, '0')}:${String(at % 60).padStart(2, '0')}.434658       1 leaderelection.go:330] error retrieving resource lock ns/l: context deadline exceeded`,
    );
  for (const line of REPEAT_CORPUS.flatMap(variants)) {
    if (line.includes('\n') || line.includes('\r')) continue;
    for (let second = 10; second < 15; second++)
      lines.push(line.replace(/:(\d\d)\.(\d{6})/g, (_, __, fraction: string) => `:${second}.${fraction}`));
  }
  return lines;
}

describe('logScan', () => {
  it('gives every event of a bursty log as a line-by-line first reading does, message and NDJSON too', async () => {
    // Modules of their own: a repeats table that no other test filled or paused.
    vi.resetModules();
    const { logScan, repeatedPending } = await import('../../src/parse/log-scan.js');
    const { eventFromLine } = await import('../../src/parse/log-scan.js');
    const { EVENT_NEEDLE_SET, recallEvent } = await import('../../src/parse/classify/index.js');
    const { finalizeEvent, TimeResolver } = await import('../../src/parse/event.js');
    const { NdjsonWriter } = await import('../../src/parse/ndjson.js');
    const lines = burstLog();
    const text = `${lines.join('\n')}\n`;
    const events: ReturnType<typeof eventFromLine>[] = [];
    const ndjson: string[] = [];
    let repeated = 0;
    const context = { year: 2026 };
    const resolver = new TimeResolver(context);
    // Each event's NDJSON written as it comes, as a scan worker writes it.
    const writer = new NdjsonWriter();
    const scan = logScan(
      'burst.log',
      { id: 'text-log' } as never,
      { maxLineBytes: 1 << 20, maxDocumentBytes: 1 << 26 },
      (event) => {
        events.push(event);
        writer.event('burst.log', event.line, event, resolver.resolve(event.time, event.origin));
        ndjson.push(Buffer.concat(writer.take()).toString());
      },
      {
        // As a scan worker does: a repeat's NDJSON from its template and its clocks' bytes.
        onRepeat(hit, text, line, bytes, start) {
          repeated++;
          events.push(repeatedPending(hit, 'burst.log', text, line));
          writeRepeat(writer, resolver, 'burst.log', hit, line, bytes, start);
          ndjson.push(Buffer.concat(writer.take()).toString());
        },
      },
    );
    const bytes = Buffer.from(text);
    // The log opens with one klog line a hundred times: by then the table answers it without a search.
    const opening = lines.findIndex((line) => line.startsWith('E0331 ')) + 100;
    const openingBytes = Buffer.byteLength(`${lines.slice(0, opening).join('\n')}\n`);
    scan.push(bytes.subarray(0, openingBytes));
    expect(recallEvent(lines[opening] as string, undefined, EVENT_NEEDLE_SET)).toHaveProperty('answer');
    for (let at = openingBytes; at < bytes.length; at += 65536) scan.push(bytes.subarray(at, at + 65536));
    expect(scan.end().lines).toBe(lines.length);
    // A first reading of each line alone: no needles given, so nothing is remembered or recalled.
    const fresh = lines
      .map((line, index) =>
        eventFromLine(line, 'burst.log', index + 1, null, { mask: EVENT_NEEDLE_SET.maskOf(line) }),
      )
      .filter((event) => event !== null);
    expect(events.length).toBe(fresh.length);
    expect(events.length).toBeGreaterThan(1000);
    // Not a test of nothing: over a thousand were written from their repeat's template.
    expect(repeated).toBeGreaterThan(1000);
    events.forEach((event, index) => {
      const line = lines[(event?.line ?? 0) - 1];
      expect(event, line).toEqual(fresh[index]);
      expect(ndjson[index], line).toBe(`${JSON.stringify(finalizeEvent(fresh[index] as never, context))}\n`);
    });
  });

  it('counts the events of a bursty log and of the samples by kind, in order, as their scan gives them', async () => {
    vi.resetModules();
    const { logCount, logScan } = await import('../../src/parse/log-scan.js');
    const { sampleLogLines } = await import('./_sample-logs.js');
    const limits = { maxLineBytes: 1 << 20, maxDocumentBytes: 1 << 26 };
    // The samples three times over, then the burst: lines answered afresh, recalled with a mask, and asked before their search.
    const lines = [...sampleLogLines(), ...sampleLogLines(), ...sampleLogLines(), ...burstLog()];
    const bytes = Buffer.from(`${lines.join('\n')}\n`);
    const read = (scan: { push(chunk: Buffer): void; end(): { lines: number } }) => {
      for (let at = 0; at < bytes.length; at += 65536) scan.push(bytes.subarray(at, at + 65536));
      return scan.end().lines;
    };
    const scanned: string[] = [];
    expect(
      read(
        logScan('x.log', { id: 'text-log' } as never, limits, (event) => scanned.push(event.kind), {
          messages: false,
        }),
      ),
    ).toBe(lines.length);
    const counted: string[] = [];
    expect(read(logCount({ id: 'text-log' } as never, limits, (kind) => counted.push(kind)))).toBe(
      lines.length,
    );
    expect(counted.length).toBeGreaterThan(2000);
    expect(new Set(counted).size).toBeGreaterThan(5);
    expect(counted).toEqual(scanned);
  });
});
