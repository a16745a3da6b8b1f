import { describe, expect, it } from 'vitest';
import { parseFixture } from '../_parse-file.js';

const brief = (
  events: { line: number; ts: string | null; tsSource: string; attrs?: Record<string, unknown> }[],
) => events.map((event) => [event.line, event.ts, event.tsSource, event.attrs?.name, event.attrs?.bytes]);

describe('backend folder listings', () => {
  it('ls -l --full-time: one snapshot event per snapshot file (not .meta, not segments) at the listed time', () => {
    const { type, events } = parseFixture('inventory/backend-ls-full-time.txt');
    expect(type).toBe('ls-listing');
    expect(brief(events)).toEqual([
      [4, '2026-03-31T21:58:38.603Z', 'line', 'snapshot-4-183402625-1709071603', 225375458],
      [6, '2026-03-31T22:00:45.912Z', 'line', 'snapshot-4-183403131-1709198912', 225653596],
    ]);
    expect(events[0]).toMatchObject({
      kind: 'snapshot',
      severity: 'info',
      source: 'ls',
      attrs: { term: 4, index: 183402625 },
    });
  });

  it('ls -lh (microk8s inspect dqlite/list.out): human sizes, year from context or in the line', () => {
    const { events } = parseFixture('inventory/list.out', { anchorMs: Date.parse('2026-04-01T10:00:00Z') });
    expect(brief(events)).toEqual([
      [
        5,
        '2026-04-01T07:58:00.000Z',
        'year-zone-assumed',
        'snapshot-4-183402625-1709071603',
        215 * 1024 * 1024,
      ],
      [7, '2025-12-30T00:00:00.000Z', 'zone-assumed', 'snapshot-3-170000000-1500000000', 205 * 1024 * 1024],
    ]);
    expect(events[0]?.attrs?.approximateSize).toBe(true);
  });

  it('find -printf in either field order, ISO or epoch times', () => {
    const { type, events } = parseFixture('inventory/find-printf.txt');
    expect(type).toBe('find-listing');
    expect(brief(events)).toEqual([
      [1, '2026-03-31T21:58:38.603Z', 'line', 'snapshot-4-183402625-1709071603', 225375458],
      [3, '2026-03-31T22:00:45.912Z', 'line', 'snapshot-4-183403131-1709198912', 225653596],
    ]);
  });
});
