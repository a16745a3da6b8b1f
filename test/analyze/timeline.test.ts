import { describe, expect, it } from 'vitest';
import { buildTimeline } from '../../src/analyze/timeline.js';
import type { Finding } from '../../src/types/index.js';

const finding = (id: string, window: Finding['window'], status: Finding['status'] = 'found'): Finding => ({
  id,
  title: id,
  claim: '',
  evidence: [
    { file: `${id}.log`, line: 1, sha256: 'a' },
    { file: `${id}.log`, line: 9, sha256: 'a' },
  ],
  confidence: 'high',
  window,
  status,
  entities: [],
  data: {},
});

describe('buildTimeline', () => {
  it('places first and last sightings in time order, once for single moments', () => {
    const entries = buildTimeline([
      finding('storm', { start: '2026-03-31T22:00:00Z', end: '2026-04-01T00:00:00Z' }),
      finding('disk', { start: '2026-03-31T23:12:09Z', end: '2026-03-31T23:12:09Z' }),
      finding('undated', null),
      finding('broken', { start: '2026-03-31T21:00:00Z', end: '2026-03-31T21:00:00Z' }, 'failed'),
    ]);
    expect(entries.map((e) => [e.ts, e.what, e.evidence[0]!.line])).toEqual([
      ['2026-03-31T22:00:00Z', 'storm: earliest evidence', 1],
      ['2026-03-31T23:12:09Z', 'disk (one moment)', 1],
      ['2026-04-01T00:00:00Z', 'storm: latest evidence', 9],
    ]);
  });
});

describe('buildTimeline with window evidence', () => {
  it('cites the lines that date each end', () => {
    const f = finding('leases', { start: '2026-03-31T22:00:00Z', end: '2026-03-31T23:58:00Z' });
    f.windowEvidence = {
      start: { file: 'a.log', line: 2, sha256: 'a' },
      end: { file: 'b.log', line: 158, sha256: 'b' },
    };
    expect(buildTimeline([f]).map((e) => `${e.evidence[0]!.file}:${e.evidence[0]!.line}`)).toEqual([
      'a.log:2',
      'b.log:158',
    ]);
  });
});
