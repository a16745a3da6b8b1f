import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const folder = fileURLToPath(new URL('../../../src/parse/dqlite/', import.meta.url));

describe('src/parse/dqlite/index.ts', () => {
  it('lists every module of the decoder', () => {
    const index = readFileSync(`${folder}index.ts`, 'utf8');
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.ts') && f !== 'index.ts')) {
      expect(index, `${file} is not listed in src/parse/dqlite/index.ts`).toContain(
        `from './${file.replace(/\.ts$/, '.js')}'`,
      );
    }
  });

  it('every module has a test beside the others', () => {
    const tests = new Set(readdirSync(fileURLToPath(new URL('.', import.meta.url))));
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.ts') && f !== 'index.ts')) {
      expect(tests.has(file.replace(/\.ts$/, '.test.ts')), `${file} has no test`).toBe(true);
    }
  });
});
