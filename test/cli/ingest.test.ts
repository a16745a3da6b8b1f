import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCase } from '../../src/store/case-db.js';
import { fingerprint, makeBundle } from '../bundle/_bundle.js';
import { runCli } from './snapshot-helpers.js';

const cleanup: string[] = [];
afterEach(() => {
  for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('howchain ingest', () => {
  it('prints the manifest and writes the case; exit 0 when every file was read', async () => {
    const { root, dir } = makeBundle('evidence', { from: 'bundle/basic' });
    cleanup.push(root);
    rmSync(join(dir, 'logs/manager.json.log'));
    const before = fingerprint(dir);
    const casePath = join(root, 'case.db');
    const run = await runCli(['ingest', dir, '--case', casePath]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^journal\/snap\.microk8s\.daemon-kubelite\.log +\d[\d,]* +journald-short +[0-9a-f]{64}$/m,
    );
    expect(run.stdout).toMatch(/^7 files; \d+ events \(/m);
    expect(run.leftovers).toEqual([]);
    expect(loadCase(casePath).manifest).toHaveLength(7);
    expect(fingerprint(dir)).toEqual(before);
  });

  it('--json: manifest, counts and problems; bad files give one line each on stderr and exit 2', async () => {
    const { root, dir } = makeBundle('evidence', { from: 'bundle/basic' });
    cleanup.push(root);
    writeFileSync(join(dir, 'junk.log'), Buffer.from([0, 1, 2, 3, 255, 254, 0, 7]));
    const casePath = join(root, 'case.db');
    const run = await runCli(['ingest', dir, '--case', casePath, '--json']);
    expect(run.code).toBe(2);
    const output = JSON.parse(run.stdout) as {
      manifest: unknown[];
      events: Record<string, number>;
      problems: { file: string }[];
    };
    expect(output.manifest).toHaveLength(9);
    expect(output.events.lease_renew_failure).toBe(4);
    expect(output.problems.map((problem) => problem.file).sort()).toEqual([
      'junk.log',
      'logs/manager.json.log',
    ]);
    expect(run.stderr.trim().split('\n').sort()).toEqual([
      `warning: ${dir}/junk.log: binary data where text was expected; not parsed`,
      `warning: ${dir}/logs/manager.json.log: 1 of 5 lines are cut-off JSON objects (first: line 3); read as text`,
    ]);
    // Nothing already ingested is lost: the case holds the good files.
    expect(loadCase(casePath).events.length).toBeGreaterThan(10);
  });

  it('a bad bundle path is a one-line usage error, exit 2', async () => {
    const run = await runCli(['ingest', '/nonexistent/evidence']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('howchain: /nonexistent/evidence: cannot open bundle: ENOENT');
  });
});
