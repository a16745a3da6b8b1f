import { rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { ingest } from '../../src/pipeline/ingest.js';
import { makeBundle } from './_bundle.js';

const cleanup: string[] = [];
afterEach(() => {
  for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const ROTATED = 'var-log-pods/kube-system_csi-nfs-controller_0b1c/csi-provisioner/0.log.20260331-220000.gz';

function criLines(count: number): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const second = String(i % 60).padStart(2, '0');
    lines.push(
      i % 100 === 7
        ? `2026-03-31T21:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${second}.5Z stderr F I0331 21:00:${second}.500000       1 leaderelection.go:297] failed to renew lease kube-system/csi-nfs: context deadline exceeded`
        : `2026-03-31T21:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${second}.5Z stdout F ordinary line ${i} ${Math.sin(i)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

describe('compressed members (rotated logs)', () => {
  it('are hashed as stored and parsed as what they hold', async () => {
    const { root, dir } = makeBundle('evidence', { files: { [ROTATED]: gzipSync(criLines(1000)) } });
    cleanup.push(root);
    const data = await ingest([dir]);
    expect(data.manifest[0]).toMatchObject({ path: ROTATED, type: 'cri+gzip' });
    expect(data.problems).toEqual([]);
    expect(data.events).toHaveLength(10);
    expect(data.events.at(0)).toMatchObject({
      file: ROTATED,
      line: 8,
      kind: 'lease_renew_failure',
      tsSource: 'cri',
    });
  });

  it('a truncated one keeps the lines before the cut and says so', async () => {
    const whole = gzipSync(criLines(20000));
    const { root, dir } = makeBundle('evidence', {
      files: { [ROTATED]: whole.subarray(0, Math.floor(whole.length / 2)) },
    });
    cleanup.push(root);
    const data = await ingest([dir]);
    expect(data.manifest[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(data.problems.map((problem) => problem.problem)).toEqual([
      'compressed data not read to the end (unexpected end of file); lines before that were read',
    ]);
    expect(data.events.length).toBeGreaterThan(10);
    expect(data.events.length).toBeLessThan(200);
  });

  it('one that expands too far is stopped', async () => {
    const { root, dir } = makeBundle('evidence', {
      files: { 'zeros.log.gz': gzipSync(Buffer.alloc(16 * 1024 * 1024, '\n')) },
    });
    cleanup.push(root);
    const data = await ingest([dir], { limits: { ratioFloorBytes: 1024 * 1024, maxRatio: 50 } });
    expect(data.problems[0]?.problem).toMatch(
      /^compressed data not read to the end \(expands more than 50:1/,
    );
  });
});
