import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { finalizeEvent, TimeResolver, type PendingEvent } from '../../src/parse/event.js';
import { DEFAULT_LIMITS, logScan, type ParseLimits } from '../../src/parse/file.js';
import { PooledLogScan, scanFileInParallel } from '../../src/parse/parallel-scan.js';
import { detectFileType } from '../../src/parse/sniff.js';

const dir = mkdtempSync(join(tmpdir(), 'howchain-parallel-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sampleLogs(folder: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(folder).sort()) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) found.push(...sampleLogs(path));
    else if (name.endsWith('.log')) found.push(path);
  }
  return found;
}

/** The one-thread scan of the whole file: what the workers' merged result must equal. */
function scanWhole(path: string, limits: ParseLimits) {
  const content = readFileSync(path);
  const type = detectFileType('all.log', content.subarray(0, 64 * 1024));
  const events: PendingEvent[] = [];
  const scan = logScan('all.log', type, limits, (event) => events.push(event));
  scan.push(content);
  return { type, events, summary: scan.end() };
}

async function scanParallel(path: string, limits: ParseLimits, type: ReturnType<typeof detectFileType>) {
  const events: PendingEvent[] = [];
  const result = await scanFileInParallel({
    path,
    size: statSync(path).size,
    file: 'all.log',
    type,
    limits,
    mode: 'events',
    onEvents: (batch) => events.push(...batch),
    // Runs of a few lines, so the file is cut hundreds of times, also inside Trace blocks and JSON.
    runBytes: 1024,
  });
  return { events, summary: result.summary, counts: result.counts };
}

describe('parallel scan', () => {
  it('gives the events, order, line numbers and summary of the one-thread scan (sample bundle logs)', async () => {
    const path = join(dir, 'all.log');
    const logs = sampleLogs(join(import.meta.dirname, '../../samples/bundle'));
    writeFileSync(path, Buffer.concat(logs.map((file) => readFileSync(file))));
    const whole = scanWhole(path, DEFAULT_LIMITS);
    expect(whole.events.length).toBeGreaterThan(500);
    const parallel = await scanParallel(path, DEFAULT_LIMITS, whole.type);
    expect(JSON.stringify(parallel.events)).toBe(JSON.stringify(whole.events));
    expect(parallel.summary).toEqual(whole.summary);
  });

  it('merges problems as one scan reports them: first over-long line, cut-off JSON lines, last line unterminated', async () => {
    const path = join(dir, 'json.log');
    const good =
      '{"level":"info","ts":"2026-03-31T22:04:37.027Z","msg":"failed to renew lease ci/awx-operator: context deadline exceeded"}';
    const lines: string[] = [];
    for (let i = 0; i < 300; i++) {
      if (i === 40 || i === 250) lines.push(`{"msg":"deadline exceeded ${'x'.repeat(3000)}"}`);
      else if (i % 37 === 5) lines.push('{"level":"info","ts":"2026-03-31T22:04:37.027Z","msg":"cut off');
      else lines.push(good);
    }
    writeFileSync(path, lines.join('\n'));
    const limits = { ...DEFAULT_LIMITS, maxLineBytes: 2048 };
    const whole = scanWhole(path, limits);
    expect(whole.summary.overlong?.line).toBe(41);
    expect(whole.summary.notJson).toBeGreaterThan(5);
    const parallel = await scanParallel(path, limits, whole.type);
    expect(JSON.stringify(parallel.events)).toBe(JSON.stringify(whole.events));
    expect(parallel.summary).toEqual(whole.summary);
  });

  it('finishes events in the workers as the main thread would, leaving year-less ones pending in their place', async () => {
    const path = join(dir, 'mixed.log');
    const logs = sampleLogs(join(import.meta.dirname, '../../samples/bundle'));
    const yearless =
      'Mar 31 22:04:43 k8s02 microk8s.daemon-kubelite[2290]: I0331 22:04:43.000100    2290 leaderelection.go:283] failed to renew lease kube-system/kube-scheduler: timed out waiting for the condition\n';
    writeFileSync(path, Buffer.concat(logs.flatMap((file) => [readFileSync(file), Buffer.from(yearless)])));
    const whole = scanWhole(path, DEFAULT_LIMITS);
    const context = { tz: '+02:00' };
    const resolver = new TimeResolver(context);
    const expected = whole.events.map((event) =>
      event.time === null || event.time.year !== undefined
        ? `${JSON.stringify({ ...finalizeEvent(event, context, resolver), file: 'named' })}\n`
        : `pending ${event.line}\n`,
    );
    const got: string[] = [];
    const scanned = await scanFileInParallel({
      path,
      size: statSync(path).size,
      file: 'all.log',
      type: whole.type,
      limits: DEFAULT_LIMITS,
      mode: 'events',
      runBytes: 2048,
      finish: { context, name: 'named', kinds: null },
      // Copied at once: the memory goes back to the workers and is written into again.
      onNdjson: (bytes) => {
        got.push(Buffer.from(bytes).toString('utf8'));
        return false;
      },
      onEvents: (events) => got.push(...events.map((event) => `pending ${event.line}\n`)),
    });
    expect(expected.filter((line) => line.startsWith('pending')).length).toBe(logs.length);
    // Finished lines come in stretches (one string per run between pending events): compare the text.
    expect(got.join('')).toBe(expected.join(''));
    // The latest year-bearing time among them (the collection anchor's fallback), out of file order.
    const times = whole.events
      .filter((event) => event.time?.year !== undefined)
      .map((event) => finalizeEvent(event, context).ts as string);
    const latest = times.reduce((max, ts) => (Date.parse(ts) > Date.parse(max) ? ts : max));
    expect(times.indexOf(latest)).toBeLessThan(times.length - 1);
    expect(scanned.latest).toBe(latest);
  });

  it('counts by kind without handing events over', async () => {
    const path = join(dir, 'all.log');
    const whole = scanWhole(path, DEFAULT_LIMITS);
    const byKind: Record<string, number> = {};
    for (const event of whole.events) byKind[event.kind] = (byKind[event.kind] ?? 0) + 1;
    const counted = await scanFileInParallel({
      path,
      size: statSync(path).size,
      file: 'all.log',
      type: whole.type,
      limits: DEFAULT_LIMITS,
      mode: 'count',
      runBytes: 4096,
    });
    expect(counted.counts).toEqual(byKind);
  });

  it('shares its workers between scans running at once, each getting its own results in order', async () => {
    const sample = join(dir, 'all.log');
    const other = join(dir, 'json.log');
    const [first, second] = await Promise.all([
      scanParallel(sample, DEFAULT_LIMITS, scanWhole(sample, DEFAULT_LIMITS).type),
      scanParallel(other, DEFAULT_LIMITS, scanWhole(other, DEFAULT_LIMITS).type),
    ]);
    expect(JSON.stringify(first.events)).toBe(JSON.stringify(scanWhole(sample, DEFAULT_LIMITS).events));
    expect(JSON.stringify(second.events)).toBe(JSON.stringify(scanWhole(other, DEFAULT_LIMITS).events));
    expect(second.events.length).toBeGreaterThan(100);
  });

  it('fails the scan when a worker fails, and the pool serves the next scan', async () => {
    const path = join(dir, 'all.log');
    const type = scanWhole(path, DEFAULT_LIMITS).type;
    // A task the worker cannot run (its kinds are not a list): its error rejects the scan.
    await expect(
      scanFileInParallel({
        path,
        size: statSync(path).size,
        file: 'all.log',
        type,
        limits: DEFAULT_LIMITS,
        mode: 'events',
        runBytes: 4096,
        finish: { context: {}, name: 'x', kinds: 5 as never },
      }),
    ).rejects.toThrow(/not iterable/);
    const again = await scanParallel(path, DEFAULT_LIMITS, type);
    expect(JSON.stringify(again.events)).toBe(JSON.stringify(scanWhole(path, DEFAULT_LIMITS).events));
  });
});

describe('pooled scan of a stream', () => {
  /** `content` pushed in chunks of `size` bytes, to the one-thread scan and to PooledLogScan. */
  async function both(content: Buffer, size: number, limits: ParseLimits, mode: 'count' | 'events') {
    const type = detectFileType('all.log', content.subarray(0, 64 * 1024));
    const chunks: Buffer[] = [];
    for (let at = 0; at < content.length; at += size) chunks.push(content.subarray(at, at + size));
    const oneEvents: PendingEvent[] = [];
    const one = logScan('all.log', type, limits, (event) => oneEvents.push(event), {
      messages: mode === 'events',
    });
    for (const chunk of chunks) one.push(chunk);
    const pooledEvents: PendingEvent[] = [];
    const pooled = new PooledLogScan(
      { file: 'all.log', type, limits, mode, messages: mode === 'events', runBytes: 1024 },
      (event) => pooledEvents.push(event),
    );
    for (const chunk of chunks) {
      pooled.push(chunk);
      await pooled.ready();
    }
    const summary = await pooled.end();
    const counts: Record<string, number> = {};
    for (const event of oneEvents) counts[event.kind] = (counts[event.kind] ?? 0) + 1;
    for (const event of pooledEvents) counts[event.kind] = (counts[event.kind] ?? 0) - 1;
    return {
      one: { events: oneEvents, summary: one.end() },
      pooled: { events: pooledEvents, summary, counts: pooled.counts },
      counts,
    };
  }

  const sample = () =>
    Buffer.concat(
      sampleLogs(join(import.meta.dirname, '../../samples/bundle')).map((file) => readFileSync(file)),
    );

  it('gives the events, order, line numbers and summary of the one-thread scan, cut in runs of a few lines', async () => {
    const { one, pooled } = await both(sample(), 700, DEFAULT_LIMITS, 'events');
    expect(one.events.length).toBeGreaterThan(500);
    expect(JSON.stringify(pooled.events)).toBe(JSON.stringify(one.events));
    expect(pooled.summary).toEqual(one.summary);
  });

  it('reads on from a line over --max-line on this thread, reporting it as the one-thread scan does', async () => {
    const content = sample();
    const middle = content.indexOf('\n', content.length >> 1) + 1;
    const long = Buffer.from(`${'deadline exceeded '.repeat(200)}\n`);
    const withLong = Buffer.concat([content.subarray(0, middle), long, content.subarray(middle)]);
    const limits = { ...DEFAULT_LIMITS, maxLineBytes: 2048 };
    const { one, pooled } = await both(withLong, 700, limits, 'events');
    expect(one.summary.overlong?.bytes).toBeGreaterThan(2048);
    expect(JSON.stringify(pooled.events)).toBe(JSON.stringify(one.events));
    expect(pooled.summary).toEqual(one.summary);
  });

  it('counts in the workers, the events read on this thread handed on', async () => {
    const content = sample();
    const long = Buffer.from(`${'x'.repeat(3000)}\n`);
    const limits = { ...DEFAULT_LIMITS, maxLineBytes: 2048 };
    const { one, pooled, counts } = await both(Buffer.concat([content, long, content]), 900, limits, 'count');
    // Per kind: the one-thread count less the events handed on is what the workers counted.
    expect(pooled.counts).toEqual(
      Object.fromEntries(Object.entries(counts).filter(([, count]) => count !== 0)),
    );
    expect(pooled.events.length).toBeGreaterThan(500);
    expect(pooled.summary).toEqual(one.summary);
  });
});
