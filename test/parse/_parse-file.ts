import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { finalizeEvent } from '../../src/parse/event.js';
import { createFileParser, type FileResult } from '../../src/parse/file.js';
import { detectFileType } from '../../src/parse/sniff.js';
import type { EvidenceEvent } from '../../src/types/index.js';
import type { TimeContext } from '../../src/parse/time.js';

export const FIXTURES = join(import.meta.dirname, '../fixtures');

/** Detects and parses a fixture the way ingest does, in chunks of `chunkSize` bytes. */
export function parseFixture(
  relativePath: string,
  context: TimeContext = {},
  chunkSize = 4096,
): { type: string; result: FileResult; events: EvidenceEvent[] } {
  const data = readFileSync(join(FIXTURES, relativePath));
  return parseBytes(relativePath, data, context, chunkSize);
}

export function parseBytes(
  name: string,
  data: Buffer,
  context: TimeContext = {},
  chunkSize = 4096,
): { type: string; result: FileResult; events: EvidenceEvent[] } {
  const type = detectFileType(name, data.subarray(0, 64 * 1024));
  const parser = createFileParser(name, type);
  for (let at = 0; at < data.length; at += chunkSize) parser.push(data.subarray(at, at + chunkSize));
  const result = parser.end();
  return { type: type.id, result, events: result.events.map((event) => finalizeEvent(event, context)) };
}
