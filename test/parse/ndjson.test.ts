import { describe, expect, it } from 'vitest';
import { finalizeEvent, TimeResolver } from '../../src/parse/event.js';
import { eventFromLine, logScan } from '../../src/parse/log-scan.js';
import { NdjsonWriter } from '../../src/parse/ndjson.js';
import { writeRepeat } from './_repeat-lines.js';
import { sampleLogLines } from './_sample-logs.js';

const text = (views: Uint8Array[]) => Buffer.concat(views).toString('utf8');

/**
 * `lines` scanned as a scan worker scans them, each event written by `writer` (a repeat from its
 * template and its clocks' bytes) under the file name `nameOf(line)`; and what JSON.stringify of
 * each finished event gives.
 */
function scanAndWrite(lines: string[], writer: NdjsonWriter, nameOf: (line: number) => string) {
  const context = { year: 2026 };
  const resolver = new TimeResolver(context);
  let repeated = 0;
  const scan = logScan(
    'c.log',
    { id: 'text-log' } as never,
    { maxLineBytes: 1 << 20, maxDocumentBytes: 1 << 20 },
    (event) =>
      writer.event(nameOf(event.line), event.line, event, resolver.resolve(event.time, event.origin)),
    {
      onRepeat(hit, _text, line, bytes, start) {
        repeated++;
        writeRepeat(writer, resolver, nameOf(line), hit, line, bytes, start);
      },
    },
  );
  scan.push(Buffer.from(`${lines.join('\n')}\n`));
  scan.end();
  const expected = lines.map((line, index) => {
    const pending = eventFromLine(line, 'c.log', index + 1);
    return `${JSON.stringify({ ...finalizeEvent(pending as never, context), file: nameOf(index + 1) })}\n`;
  });
  return { repeated, expected };
}

describe('NdjsonWriter', () => {
  it('keeps every line whole and in order across chunks, multi-byte characters included', () => {
    const writer = new NdjsonWriter({ chunkBytes: 64 });
    const lines = Array.from({ length: 300 }, (_, i) => `{"n":${i},"m":"${'é…😀'.repeat(i % 7)}x"}\n`);
    const views: Uint8Array[] = [];
    lines.forEach((line, i) => {
      writer.add(line);
      if (i % 5 === 4) views.push(...writer.take());
    });
    views.push(...writer.take());
    expect(text(views)).toBe(lines.join(''));
    // A chunk is started when the next lines might not fit; no view crosses two.
    expect(new Set(views.map((view) => view.buffer)).size).toBeGreaterThan(5);
  });

  it('gives lines larger than a chunk a chunk of their own size', () => {
    const writer = new NdjsonWriter({ chunkBytes: 16 });
    const long = `{"m":"${'ü'.repeat(100)}"}\n`;
    writer.add('{"a":1}\n');
    expect(text(writer.take())).toBe('{"a":1}\n');
    writer.add(long);
    const views = writer.take();
    expect(text(views)).toBe(long);
    expect(views[0]?.byteLength).toBe(Buffer.byteLength(long));
  });

  it('hands over the memory written to, and writes later lines to new chunks', () => {
    const writer = new NdjsonWriter({ transfer: true, chunkBytes: 1024 });
    writer.add('{"a":1}\n');
    const first = writer.take();
    expect(writer.release()).toEqual([first[0]?.buffer]);
    writer.add('{"b":2}\n');
    const second = writer.take();
    expect(text(second)).toBe('{"b":2}\n');
    expect(second[0]?.buffer).not.toBe(first[0]?.buffer);
    expect(writer.take()).toEqual([]);
    expect(writer.release()).toEqual([second[0]?.buffer]);
  });

  it('writes each event of the samples as JSON.stringify of its finished object, under any file name', () => {
    const context = { anchorMs: Date.parse('2026-04-01T00:00:00Z') };
    const resolver = new TimeResolver(context);
    const writer = new NdjsonWriter();
    const files = ['logs/x.log', 'a "quoted"\\name.log', 'kubectl/événements.log'];
    const expected: string[] = [];
    sampleLogLines().forEach((line, index) => {
      const pending = eventFromLine(line, 'member', index + 1);
      if (!pending) return;
      const file = files[Math.floor(index / 50) % files.length] as string;
      const lineNumber = index + 1000;
      writer.event(file, lineNumber, pending, resolver.resolve(pending.time, pending.origin));
      expected.push(`${JSON.stringify({ ...finalizeEvent(pending, context), file, line: lineNumber })}\n`);
    });
    expect(expected.length).toBeGreaterThan(500);
    expect(text(writer.take())).toBe(expected.join(''));
  });

  it('writes repeated lines from their template, in order with other events, across chunks', () => {
    const lines: string[] = [];
    for (let second = 10; second < 60; second++) {
      lines.push(
        `2026-03-31T22:00:${second}.123456Z stderr F E0331 22:00:${second}.434658       1 leaderelection.go:330] error retrieving resource lock kube-system/kube-scheduler: Get "https://10.152.183.1:443/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler?timeout=5s": context deadline exceeded`,
        `2026-03-31T22:00:${second}.223456Z stderr F {"level":"error","ts":"2026-03-31T22:00:${second}.2Z","msg":"failed to renew lease ns/l${second}: timed out waiting for the condition"}`,
      );
    }
    // Chunks of 700 bytes hold one event or two: most start a chunk.
    const writer = new NdjsonWriter({ chunkBytes: 700 });
    const { repeated, expected } = scanAndWrite(lines, writer, () => 'c/"x".log');
    expect(repeated).toBeGreaterThan(40);
    expect(text(writer.take())).toBe(expected.join(''));
  });

  it('writes a repeat over the last line of its template: minutes, line numbers, files and chunks changing', () => {
    // One klog line 1,200 times, two seconds apart (a new minute every 30 lines, mostly inside a
    // chunk): most events are the one before copied and written over, only their seconds when in the
    // same minute; not when the line number gains a digit, the file changes or a chunk fills.
    const two = (value: number) => String(value).padStart(2, '0');
    const lines = Array.from({ length: 1200 }, (_, index) => {
      const fraction = String(index * 7919)
        .padStart(6, '0')
        .slice(-6);
      const clock = `${two(Math.floor(index / 30) % 60)}:${two((index * 2) % 60)}.${fraction}`;
      return `2026-03-31T22:${clock}Z stderr F E0331 22:${clock}       1 leaderelection.go:330] error retrieving resource lock kube-system/kube-scheduler: context deadline exceeded`;
    });
    const writer = new NdjsonWriter({ chunkBytes: 5000 });
    const nameOf = (line: number) => (Math.floor(line / 100) % 2 === 0 ? 'a.log' : 'b/"c".log');
    const { repeated, expected } = scanAndWrite(lines, writer, nameOf);
    expect(repeated).toBeGreaterThan(1000);
    expect(text(writer.take())).toBe(expected.join(''));
  });

  it('writes a repeat over the last line of its template across hours and UTC dates', () => {
    // Seven minutes apart in a +05:30 zone: the hour changes every few lines, the UTC date every 205;
    // two leases in turn, so a template's last line is often on the date before the resolver's.
    const lines = Array.from({ length: 600 }, (_, index) => {
      const at = new Date(Date.UTC(2026, 2, 30, 20, 0) + index * 7 * 60_000 + 5.5 * 3_600_000);
      const local = at.toISOString().slice(0, 19);
      return `${local}.123456+05:30 k8s02 microk8s.daemon-kubelite[2290]: E${local.slice(5, 7)}${local.slice(8, 10)} ${local.slice(11)}.123457    2290 leaderelection.go:330] error retrieving resource lock kube-system/kube-${index % 2 === 0 ? 'scheduler' : 'controller-manager'}: context deadline exceeded`;
    });
    const writer = new NdjsonWriter();
    const { repeated, expected } = scanAndWrite(lines, writer, () => 'a.log');
    expect(repeated).toBeGreaterThan(500);
    expect(text(writer.take())).toBe(expected.join(''));
  });
});
