import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCUMENT_READERS } from '../../src/parse/documents.js';
import { LOG_FORMATS } from '../../src/parse/logs/index.js';
import { EVENT_KINDS } from '../../src/types/index.js';

const docs = join(import.meta.dirname, '../../docs');

describe('docs cover what the parsers know', () => {
  it('docs/formats.md names every log format and document type', () => {
    const text = readFileSync(join(docs, 'formats.md'), 'utf8');
    const types = [
      ...LOG_FORMATS.map((format) => format.id),
      ...Object.keys(DOCUMENT_READERS),
      ...['dqlite-snapshot', 'dqlite-snapshot-meta', 'dqlite-segment', 'dqlite-metadata', 'gzip', 'link'],
      ...['empty', 'text', 'unknown'],
    ];
    for (const type of types) expect(text, type).toContain(`| \`${type}\``);
  });

  it('docs/events.md defines every event kind', () => {
    const text = readFileSync(join(docs, 'events.md'), 'utf8');
    for (const kind of EVENT_KINDS) expect(text, kind).toContain(`| \`${kind}\` |`);
  });
});
