import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isInside } from '../src/paths.js';

describe('isInside', () => {
  const evidence = resolve('/cases/evidence');

  it('counts the folder itself and anything below it', () => {
    expect(isInside(evidence, evidence)).toBe(true);
    expect(isInside(join(evidence, 'logs', 'case.db'), evidence)).toBe(true);
    expect(isInside(join(evidence, '..data', 'case.db'), evidence)).toBe(true);
  });

  it('does not count the parent, a sibling or a sibling sharing the prefix', () => {
    expect(isInside(resolve('/cases'), evidence)).toBe(false);
    expect(isInside(resolve('/cases/other/case.db'), evidence)).toBe(false);
    expect(isInside(resolve('/cases/evidence-copy/case.db'), evidence)).toBe(false);
  });
});
