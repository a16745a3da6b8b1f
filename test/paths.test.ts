import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evidenceAround, isInside } from '../src/paths.js';

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

describe('evidenceAround', () => {
  it('is the highest folder above a file that holds neither the working, home nor temp folder', () => {
    const cwd = process.cwd();
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'howchain-paths-')));
    try {
      const data = join(root, 'case/ev/node1/data');
      mkdirSync(data, { recursive: true });
      writeFileSync(join(data, 'snapshot-1-2-3'), '');
      symlinkSync(join(data, 'snapshot-1-2-3'), join(root, 'case/link'));
      process.chdir(join(root, 'case'));
      expect(evidenceAround('ev/node1/data/snapshot-1-2-3')).toEqual([join(root, 'case/ev')]);
      // A link in the working folder: its own folder (the working one) and the bundle it points into.
      expect(evidenceAround('link')).toEqual([join(root, 'case'), join(root, 'case/ev')]);
      process.chdir(data);
      expect(evidenceAround('snapshot-1-2-3')).toEqual([data]);
    } finally {
      process.chdir(cwd);
      rmSync(root, { recursive: true, force: true });
    }
  });
});
