import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fingerprint } from '../bundle/_bundle.js';
import { howchain } from './_howchain.js';

const scratch = mkdtempSync(join(tmpdir(), 'howchain-analyze-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('howchain analyze', () => {
  it('writes the PIR, exits 0 by default, and leaves every evidence file as it was', async () => {
    const before = fingerprint('samples/bundle');
    const output = join(scratch, 'pir.md');
    const { code, stderr } = await howchain('analyze', 'samples/bundle', '-o', output);
    expect(code, stderr).toBe(0);
    expect(readFileSync(output, 'utf8')).toContain("## Root causes: the how's chain");
    expect(fingerprint('samples/bundle')).toEqual(before);
  });

  it('gives findings, correlation and chain as JSON', async () => {
    const { code, stdout } = await howchain('analyze', 'samples/bundle', '--json', '--permutations', '199');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.findings.map((f: { id: string }) => f.id)).toContain('ipam-gc-disabled');
    expect(result.correlation.permutations).toBe(199);
    expect(result.chain.roots).toEqual([
      'crashloop',
      'pods-not-starting',
      'apiserver-unavailable',
      'watch-stream',
    ]);
    expect(result.chain.conclusion.cause).toBe('ipam-gc-disabled');
  });

  it('exits 1 when findings reach --fail-on', async () => {
    const { code } = await howchain(
      'analyze',
      'samples/bundle',
      '--fail-on',
      'high',
      '-o',
      join(scratch, 'x.md'),
    );
    expect(code).toBe(1);
  });

  it('refuses to write into the evidence (exit 2, one line)', async () => {
    const { code, stderr } = await howchain('analyze', 'samples/bundle', '-o', 'samples/bundle/pir.md');
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(
      'howchain: --output samples/bundle/pir.md is inside the evidence samples/bundle; write it elsewhere',
    );
  });

  it('rejects a missing template folder before ingesting anything', async () => {
    const { code, stderr } = await howchain('analyze', 'samples/bundle', '--template', join(scratch, 'nope'));
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(`howchain: --template: no such folder: ${join(scratch, 'nope')}`);
  });

  it('says in one line when the PIR cannot be written', async () => {
    const target = join(scratch, 'no-such-folder', 'pir.md');
    const { code, stderr } = await howchain('analyze', 'samples/bundle', '-o', target, '--permutations', '9');
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(`howchain: --output ${target}: ENOENT`);
  });

  it('rejects a bad window (exit 2)', async () => {
    const { code, stderr } = await howchain('analyze', 'samples/bundle', '--renew-deadline', '0');
    expect(code).toBe(2);
    expect(stderr).toContain('--renew-deadline must be a positive number');
  });
});

describe('howchain correlate', () => {
  it('reads a bundle or a case database and gives the same figures', async () => {
    const casePath = join(scratch, 'case.db');
    expect((await howchain('ingest', 'samples/bundle', '--case', casePath)).code).toBe(0);
    const fromBundle = JSON.parse(
      (await howchain('correlate', 'samples/bundle', '--json', '--permutations', '499')).stdout,
    );
    const fromCase = JSON.parse(
      (await howchain('correlate', casePath, '--json', '--permutations', '499')).stdout,
    );
    expect(fromCase.pValue).toBe(fromBundle.pValue);
    expect(fromCase.withinWindow).toBe(fromBundle.withinWindow);
    expect(fromBundle.windowSeconds).toBe(10);
    const text = (await howchain('correlate', casePath, '--renew-deadline', '30', '--permutations', '99'))
      .stdout;
    expect(text).toContain('window: 30 s after each snapshot write');
    expect(text).toMatch(/kube-system\/kube-controller-manager\s+8\s+\d+/);
  });

  it('names a corrupt case database in one line (exit 2)', async () => {
    const bad = join(scratch, 'bad.db');
    writeFileSync(bad, Buffer.concat([Buffer.from('SQLite format 3\u0000'), Buffer.alloc(100, 7)]));
    const { code, stderr } = await howchain('correlate', bad);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(
      `howchain: ${bad}: not a howchain case database (file is not a database); it was left as it was`,
    );
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});
