/**
 * Packages that only some inputs need, loaded on first use rather than when howchain starts:
 * start-up is paid by every run, and `events` on a log reads no YAML, CSV, tar or SQLite (loading
 * these four took ~90 ms of it). Each is CommonJS (csv-parse has a CommonJS build beside its ESM
 * one), so `require` loads it inside the synchronous parsers that use it.
 */
import { createRequire } from 'node:module';
import type SQLite from 'better-sqlite3';

const require = createRequire(import.meta.url);

function onFirstUse<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(name) as T);
}

export const yaml = onFirstUse<typeof import('yaml')>('yaml');
export const csvParse = onFirstUse<typeof import('csv-parse/sync')>('csv-parse/sync');
export const tarStream = onFirstUse<typeof import('tar-stream')>('tar-stream');
export const betterSqlite3 = onFirstUse<typeof SQLite>('better-sqlite3');
