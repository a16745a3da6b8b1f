import { describe, expect, it } from 'vitest';
import { columnRows, Numbered, plain } from '../../src/model/column-rows.js';

interface Record {
  name: string;
  count: number;
  window: { start: string } | null;
  flag?: boolean;
}

class Columns {
  readonly names = ['a', 'b'];
  readonly counts = new Uint32Array([3, 5]);
  readonly flags: (boolean | undefined)[] = [];
}

const row = columnRows<Columns, Record>({
  name: { get: (c, i) => c.names[i]! },
  count: { get: (c, i) => c.counts[i]! },
  window: { get: (_, i) => (i === 0 ? null : { start: `t${i}` }) },
  flag: { get: (c, i) => c.flags[i], set: (c, i, value) => (c.flags[i] = value) },
});

describe('column rows', () => {
  it('read their fields from the columns, and write the fields given a setter', () => {
    const columns = new Columns();
    const [a, b] = [row(columns, 0), row(columns, 1)];
    expect([a.name, a.count, b.name, b.window]).toEqual(['a', 3, 'b', { start: 't1' }]);
    columns.counts[1] = 6;
    expect(b.count).toBe(6);
    // Object.assign onto a row goes through its setters, as the correlation gives failures their fields.
    Object.assign(b, { flag: true });
    expect(columns.flags[1]).toBe(true);
    expect(() => ((a as { count: number }).count = 1)).toThrow(TypeError);
  });

  it('serialise and copy as plain records, fields in their declared order, unset ones left out', () => {
    const columns = new Columns();
    columns.flags[1] = false;
    const rows = [row(columns, 0), row(columns, 1)];
    expect(JSON.stringify(rows)).toBe(
      '[{"name":"a","count":3,"window":null},{"name":"b","count":5,"window":{"start":"t1"},"flag":false}]',
    );
    const copy = plain(rows[1]!);
    expect(Object.keys(copy)).toEqual(['name', 'count', 'window', 'flag']);
    columns.counts[1] = 9;
    expect(copy.count).toBe(5);
    // Any other object is copied field by field.
    const other = { name: 'c', count: 1, window: null };
    expect(plain(other)).toEqual(other);
    expect(plain(other)).not.toBe(other);
  });

  it('read nothing when asked of their prototype (a test runner printing one walks it)', () => {
    const prototype = Object.getPrototypeOf(row(new Columns(), 0)) as Record;
    expect(prototype.name).toBeUndefined();
  });
});

describe('Numbered', () => {
  it('numbers values in the order first met, each once', () => {
    const numbered = new Numbered<string>();
    expect(['x', 'x', 'y', 'x', 'z', 'y'].map((v) => numbered.idOf(v))).toEqual([0, 0, 1, 0, 2, 1]);
    expect(numbered.values).toEqual(['x', 'y', 'z']);
  });
});
