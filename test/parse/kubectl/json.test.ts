import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, parseBytes } from '../_parse-file.js';

describe('broken kubectl dumps', () => {
  it('a JSON dump cut short is a problem of the file, with the line where the cut document starts', () => {
    const whole = readFileSync(join(FIXTURES, 'kubectl/pods.json'));
    const { type, result } = parseBytes('pods.json', whole.subarray(0, 900));
    expect(type).toBe('kubectl-json');
    expect(result.facts).toEqual([]);
    expect(result.problems).toEqual(['JSON document is cut short (line 1)']);
  });

  it('documents before a broken one are kept', () => {
    const good = '{"apiVersion":"v1","kind":"Node","metadata":{"name":"k8s01"},"status":{"conditions":[]}}\n';
    const { result } = parseBytes('nodes.json', Buffer.from(`${good}{"apiVersion": "v1", "kind": oops}\n`));
    expect(result.facts.map((fact) => fact.kind)).toEqual(['node']);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatch(/^invalid JSON: .* \(line 2\)$/);
  });

  it('invalid YAML is a problem, not a crash', () => {
    const { type, result } = parseBytes(
      'leases.yaml',
      Buffer.from('apiVersion: v1\nkind: List\nitems:\n  - a: [1, 2\n'),
    );
    expect(type).toBe('kubectl-yaml');
    expect(result.facts).toEqual([]);
    expect(result.problems[0]).toMatch(/^invalid YAML: /);
  });
});

describe('kubectl JSON Lists, item by item', () => {
  const pod = (name: string, restarts: number) =>
    `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"${name}","namespace":"ns"},"status":{"phase":"Running","containerStatuses":[{"name":"c","restartCount":${restarts},"ready":true}]}}`;

  it("reads each item of a List on the line it starts, with the List's item kind", () => {
    const text = `{"apiVersion":"v1","kind":"PodList","items":[\n${pod('a', 1)},\n\n${pod('b', 2)}\n],"metadata":{"resourceVersion":"9"}}\n`;
    const { result } = parseBytes('pods.json', Buffer.from(text));
    expect(result.problems).toEqual([]);
    expect(result.facts.map((fact) => [fact.kind, fact.line, fact.kind === 'pod' && fact.restarts])).toEqual([
      ['pod', 2, 1],
      ['pod', 4, 2],
    ]);
  });

  it('an item that is not JSON is a problem naming its line; the other items are kept', () => {
    const text = `{"apiVersion":"v1","kind":"List","items":[\n${pod('a', 1)},\n{"kind":"Pod","metadata":{"name":"b"}, oops},\n${pod('c', 3)}\n]}\n`;
    const { result } = parseBytes('pods.json', Buffer.from(text));
    expect(result.facts.map((fact) => fact.line)).toEqual([2, 4]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatch(/^invalid JSON in the item at line 3: /);
  });

  it('an object whose "items" field is not a List\'s is read whole', () => {
    // Not a List kind: the object itself is the item, its own "items" field left as it is.
    const node = `{"apiVersion":"v1","kind":"Node","metadata":{"name":"k8s01"},"items":[{"x":1}],"status":{"conditions":[]},"extra":["s"]}\n`;
    const { result } = parseBytes('nodes.json', Buffer.from(node));
    expect(result.problems).toEqual([]);
    expect(result.facts.map((fact) => [fact.kind, fact.line, fact.kind === 'node' && fact.name])).toEqual([
      ['node', 1, 'k8s01'],
    ]);
  });

  it('a top-level array of objects is read item by item too', () => {
    const { result } = parseBytes('pods.json', Buffer.from(`[\n${pod('a', 0)},\n${pod('b', 5)}\n]\n`));
    expect(result.facts.map((fact) => fact.line)).toEqual([2, 3]);
  });
});
