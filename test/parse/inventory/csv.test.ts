import { describe, expect, it } from 'vitest';
import { parseFixture } from '../_parse-file.js';

describe('CSV files', () => {
  it('a snapshot inventory gives snapshot events with node, size and time', () => {
    const { type, events } = parseFixture('inventory/snapshot-inventory.csv');
    expect(type).toBe('csv');
    expect(events.map((event) => [event.line, event.ts, event.subject, event.attrs])).toEqual([
      [
        2,
        '2026-03-31T21:58:38.603Z',
        'k8s02',
        { bytes: 225375458, name: 'snapshot-4-183402625-1709071603', term: 4, index: 183402625 },
      ],
      [
        3,
        '2026-03-31T22:00:45.912Z',
        'k8s02',
        { bytes: 225653596, name: 'snapshot-4-183403131-1709198912', term: 4, index: 183403131 },
      ],
    ]);
  });

  it('annotations keep their time and text, with secrets redacted', () => {
    const { result } = parseFixture('inventory/annotations.csv');
    expect(result.annotations).toEqual([
      {
        file: 'inventory/annotations.csv',
        line: 2,
        ts: '2026-04-01T00:00:00.000Z',
        text: 'Counted IPAM handles: 6,071',
      },
      {
        file: 'inventory/annotations.csv',
        line: 3,
        ts: '2026-04-01T00:30:00.000Z',
        text: 'Deleted orphaned handles (token=[redacted] used for the API)',
      },
    ]);
  });
});
