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
