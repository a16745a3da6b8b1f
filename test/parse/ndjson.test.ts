import { describe, expect, it } from 'vitest';
import { NdjsonBytes } from '../../src/parse/ndjson.js';

const text = (views: Uint8Array[]) => Buffer.concat(views).toString('utf8');

describe('NdjsonBytes', () => {
  it('keeps every line whole and in order across chunks, multi-byte characters included', () => {
    const writer = new NdjsonBytes(64);
    const lines = Array.from({ length: 40 }, (_, i) => `{"n":${i},"m":"${'é…😀'.repeat(i % 7)}x"}\n`);
    const views: Uint8Array[] = [];
    lines.forEach((line, i) => {
      writer.write(line);
      if (i % 5 === 4) views.push(...writer.take());
    });
    views.push(...writer.take());
    expect(text(views)).toBe(lines.join(''));
    // A chunk is started when the next piece might not fit; no view crosses two.
    expect(new Set(views.map((view) => view.buffer)).size).toBeGreaterThan(5);
  });

  it('gives a piece larger than a chunk a chunk of its own size', () => {
    const writer = new NdjsonBytes(16);
    const long = `{"m":"${'ü'.repeat(100)}"}\n`;
    writer.write('{"a":1}\n');
    writer.write(long);
    const views = writer.take();
    expect(text(views)).toBe(`{"a":1}\n${long}`);
    expect(views[1]?.byteLength).toBe(Buffer.byteLength(long));
  });

  it('hands over the memory written to, and writes later lines to new chunks', () => {
    const writer = new NdjsonBytes(1024);
    writer.write('{"a":1}\n');
    const first = writer.take();
    const memory = writer.release();
    expect(memory).toEqual([first[0]?.buffer]);
    writer.write('{"b":2}\n');
    const second = writer.take();
    expect(text(second)).toBe('{"b":2}\n');
    expect(second[0]?.buffer).not.toBe(first[0]?.buffer);
    expect(writer.take()).toEqual([]);
    expect(writer.release()).toEqual([second[0]?.buffer]);
  });
});
