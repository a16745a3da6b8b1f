/**
 * What users give the CLI by mistake or by habit: an empty folder, a case database where a bundle
 * was expected, the same evidence twice. Real sample bundle, real `tar`.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tarOf } from '../bundle/_bundle.js';
import { howchain } from './_howchain.js';

const scratch = mkdtempSync(join(tmpdir(), 'howchain-inputs-cli-'));
const casePath = join(scratch, 'case.db');
let archive: string;
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

beforeAll(async () => {
  cpSync('samples/bundle', join(scratch, 'bundle'), { recursive: true });
  archive = tarOf(join(scratch, 'bundle'), join(scratch, 'sample.tar.gz'));
  expect((await howchain('ingest', 'samples/bundle', '--case', casePath)).code).toBe(0);
});

describe('empty and unrecognised inputs', () => {
  it('analyze of an empty folder is an error naming it (exit 2), not a PIR of nothing', async () => {
    const empty = join(scratch, 'empty');
    mkdirSync(empty);
    const { code, stdout, stderr } = await howchain('analyze', empty);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim()).toBe(`howchain: ${empty}: no files in it: nothing to analyse`);
  });

  it('events of an empty folder says so, with the skipped-input exit code', async () => {
    const empty = join(scratch, 'empty-for-events');
    mkdirSync(join(empty, 'logs'), { recursive: true });
    const { code, stdout, stderr } = await howchain('events', empty);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim()).toBe(`warning: ${empty}: no files in it: nothing to read`);
  });

  it('an unrecognised input beside real evidence is a warning, and the exit code says it was skipped', async () => {
    const junk = join(scratch, 'junk');
    mkdirSync(junk);
    writeFileSync(join(junk, 'notes.txt'), 'call the vendor on monday\n');
    const out = join(scratch, 'pir-junk.md');
    const { code, stderr } = await howchain(
      'analyze',
      'samples/bundle',
      junk,
      '-o',
      out,
      '--permutations',
      '9',
    );
    expect(code).toBe(2);
    expect(stderr).toContain(
      `warning: ${junk}: nothing howchain reads in it (1 file of type text, no events); see docs/formats.md; skipped`,
    );
  });

  it('an SQLite file that is not a case is named as such, in one message for every command', async () => {
    const other = join(scratch, 'other.db');
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(other);
    db.exec('CREATE TABLE t (x)');
    db.close();
    const evidence = join(scratch, 'not-a-case-ev');
    mkdirSync(evidence);
    writeFileSync(join(evidence, 'a.log'), 'call the vendor on monday\n');
    // The same line whether the file is an input, the --case written to, or the --case read.
    for (const args of [
      ['events', other],
      ['analyze', other],
      ['correlate', other],
      ['ingest', evidence, '--case', other],
      ['verify', evidence, '--case', other],
    ]) {
      const { code, stderr } = await howchain(...args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr.trim()).toBe(
        `howchain: ${other}: not a howchain case database (an SQLite file without a case's bundles/manifest/events tables); it was left as it was`,
      );
    }
  });
});

describe('a case database is an input', () => {
  it('analyze <case.db> gives the analysis of the bundle it was ingested from', async () => {
    const fromBundle = JSON.parse(
      (await howchain('analyze', 'samples/bundle', '--json', '--permutations', '99')).stdout,
    );
    const fromCase = JSON.parse(
      (await howchain('analyze', casePath, '--json', '--permutations', '99')).stdout,
    );
    expect(fromCase.eventCounts).toEqual(fromBundle.eventCounts);
    expect(fromCase.findings).toEqual(fromBundle.findings);
    expect(fromCase.correlation.withinWindow).toBe(fromBundle.correlation.withinWindow);
  });

  it('events <case.db> prints the case’s events, filtered like any other input', async () => {
    const fromBundle = await howchain(
      'events',
      'samples/bundle',
      '--count',
      '--json',
      '--kind',
      'lease_renew_failure,crashloop',
    );
    const fromCase = await howchain(
      'events',
      casePath,
      '--count',
      '--json',
      '--kind',
      'lease_renew_failure,crashloop',
    );
    expect(fromCase.code).toBe(0);
    expect(JSON.parse(fromCase.stdout)).toEqual(JSON.parse(fromBundle.stdout));
    const csi = await howchain(
      'events',
      casePath,
      '--json',
      '--subject',
      'kube-system/csi-nfs',
      '--kind',
      'lease_renew_failure',
    );
    const lines = csi.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(17);
    expect(
      lines.every(
        (e: { subject: string; bundle: string }) =>
          e.subject === 'kube-system/csi-nfs' && e.bundle.endsWith('samples/bundle'),
      ),
    ).toBe(true);
  });
});

describe('the same evidence twice', () => {
  it('analyze of a folder and its tar.gz counts once and says what it set aside', async () => {
    const once = JSON.parse(
      (await howchain('analyze', 'samples/bundle', '--json', '--permutations', '99')).stdout,
    );
    const twice = await howchain('analyze', 'samples/bundle', archive, '--json', '--permutations', '99');
    expect(twice.code).toBe(0);
    const result = JSON.parse(twice.stdout);
    expect(result.eventCounts).toEqual(once.eventCounts);
    expect(result.correlation.failuresInSpan).toBe(once.correlation.failuresInSpan);
    expect(result.setAside).toHaveLength(once.manifest.length);
    expect(twice.stderr).toContain(
      `warning: ${archive}: ${once.manifest.length} files set aside, copies of files of samples/bundle (same name and sha256); not counted again`,
    );
  });

  it('verify finds a moved copy of an ingested bundle by the paths and sha256 inside it', async () => {
    const moved = join(scratch, 'moved-bundle');
    cpSync('samples/bundle', moved, { recursive: true });
    const { code, stdout } = await howchain('verify', moved, '--case', casePath);
    expect(code).toBe(0);
    expect(stdout).toContain(
      `recorded as ${join(process.cwd(), 'samples/bundle')} (matched by the paths and sha256 inside the bundle)`,
    );
    expect(stdout).toMatch(/\d+ files checked: \d+ unchanged, 0 changed, 0 missing, 0 added/);
  });
});
