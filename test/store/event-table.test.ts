import { describe, expect, it } from 'vitest';
import { EventTable } from '../../src/store/event-table.js';
import type { Entity, EvidenceEvent } from '../../src/types/index.js';

const event = (line: number, ts: string | null, extra: Partial<EvidenceEvent> = {}): EvidenceEvent => ({
  file: 'logs/a.log',
  line,
  ts,
  tsSource: ts === null ? 'none' : 'line',
  kind: 'lease_renew_failure',
  subject: 'kube-system/csi-nfs',
  source: 'klog',
  severity: 'error',
  message: `line ${line}`,
  ...extra,
});

const plain = (e: EvidenceEvent) => JSON.parse(JSON.stringify(e)) as EvidenceEvent;

describe('EventTable', () => {
  it('gives back every event as it was put in: fields, attributes, message, null time', () => {
    const events = [
      event(1, '2026-03-31T22:04:43.996Z', { attrs: { signal: 'fdatasync', tookMs: 1200 }, bundle: '/b' }),
      event(2, null, { kind: 'crashloop', subject: null }),
      // A time outside toISOString's shape is kept as written.
      event(3, '2026-03-31T22:04:44Z'),
    ];
    const table = EventTable.from(events);
    expect(table).toHaveLength(3);
    expect([...table].map(plain)).toEqual(events);
    expect(table.at(1).message).toBe('line 2');
    expect(table.at(0).attrs).toEqual({ signal: 'fdatasync', tookMs: 1200 });
    expect('bundle' in table.at(1)).toBe(false);
    expect(JSON.parse(JSON.stringify(table))).toEqual(events);
  });

  it('makes only the events of the kinds asked for, and counts kinds without making any', () => {
    const table = EventTable.from([
      event(1, '2026-03-31T22:00:00.000Z'),
      event(2, '2026-03-31T22:00:01.000Z', { kind: 'crashloop' }),
      event(3, '2026-03-31T22:00:02.000Z'),
      event(4, '2026-03-31T22:00:03.000Z', { kind: 'oom_kill' }),
    ]);
    expect(table.ofKind('lease_renew_failure').map((e) => e.line)).toEqual([1, 3]);
    expect(table.ofKind('oom_kill', 'crashloop').map((e) => e.line)).toEqual([2, 4]);
    expect(table.ofKind('dns_failure')).toEqual([]);
    const visited: number[] = [];
    table.eachOf(['crashloop', 'lease_renew_failure'], (e) => visited.push(e.line));
    expect(visited).toEqual([1, 2, 3]);
    expect(Object.fromEntries(table.countByKind())).toEqual({
      lease_renew_failure: 2,
      crashloop: 1,
      oom_kill: 1,
    });
  });

  it('orders by time, then file by localeCompare, then line; undated last — as an array sort would', () => {
    const events = [
      event(9, null),
      event(5, '2026-03-31T22:00:01.000Z', { file: 'b.log' }),
      event(2, '2026-03-31T22:00:01.000Z', { file: 'B.log' }),
      event(1, '2026-03-31T22:00:01.000Z', { file: 'a.log' }),
      event(7, '2026-03-31T21:59:59.999Z'),
      event(3, '2026-03-31T22:00:01.000Z', { file: 'a.log' }),
    ];
    const expected = [...events].sort((a, b) => {
      if (a.ts !== b.ts) {
        if (a.ts === null) return 1;
        if (b.ts === null) return -1;
        return a.ts < b.ts ? -1 : 1;
      }
      return a.file.localeCompare(b.file) || a.line - b.line;
    });
    expect([...EventTable.from(events).byTime()].map(plain)).toEqual(expected);
  });

  it('orders times kept as text by their text', () => {
    const table = EventTable.from([
      event(1, '2026-03-31T22:00:02Z'),
      event(2, '2026-03-31T22:00:01.500Z'),
      event(3, null),
    ]).byTime();
    expect([...table].map((e) => e.line)).toEqual([2, 1, 3]);
  });

  it('keeps a view of the same events: a filtered table, then the model columns on it', () => {
    const table = EventTable.from([
      event(1, '2026-03-31T22:00:00.000Z'),
      event(2, '2026-03-31T22:00:01.000Z', { file: 'logs/b.log' }),
      event(3, null),
    ]);
    const kept = table.where((e) => e.file === 'logs/a.log');
    expect([...kept].map((e) => e.line)).toEqual([1, 3]);
    const lease: Entity[] = [{ kind: 'lease', id: 'kube-system/csi-nfs' }];
    const modelled = kept.withModel({
      quality: (e) => (e.ts === null ? 'none' : 'exact'),
      entities: () => lease,
    });
    expect([...modelled].map((e) => [e.line, e.quality])).toEqual([
      [1, 'exact'],
      [3, 'none'],
    ]);
    // One list per distinct entity set, shared by every event naming it.
    expect(modelled.at(0).entities).toBe(modelled.at(1).entities);
    expect(table.find((e) => e.line === 2)?.file).toBe('logs/b.log');
    expect(table.some((e) => e.ts === null)).toBe(true);
  });

  it('stores a repeated string once, and an event made twice is equal but separate', () => {
    const table = EventTable.from([
      event(1, '2026-03-31T22:00:00.000Z'),
      event(2, '2026-03-31T22:00:00.000Z'),
    ]);
    expect(Object.is(table.at(0).subject, table.at(1).subject)).toBe(true);
    expect(table.at(0)).not.toBe(table.at(0));
    expect(plain(table.at(0))).toEqual(plain(table.at(0)));
  });

  it('numbers each text its events hold once, and gives the text of a number back', () => {
    const table = EventTable.from([event(1, null), event(2, null, { subject: 'kube-system/b' })]);
    const numbers = ['logs/a.log', 'kube-system/csi-nfs', 'kube-system/b', 'lease_renew_failure'].map(
      (text) => table.numberOf(text),
    );
    expect(new Set(numbers).size).toBe(4);
    for (const n of numbers) expect(n).toBeLessThan(table.numbered);
    expect(numbers.map((n) => table.textOf(n))).toEqual([
      'logs/a.log',
      'kube-system/csi-nfs',
      'kube-system/b',
      'lease_renew_failure',
    ]);
    expect(table.numberOf('kube-system/none')).toBe(-1);
  });
});
