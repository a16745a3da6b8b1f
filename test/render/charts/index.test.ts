import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { charts, writeCharts } from '../../../src/render/charts/index.js';
import { emptyCase, leaseFailure, pod, snapshotEvent, withEvents } from './_case.js';

const chartsDir = fileURLToPath(new URL('../../../src/render/charts/', import.meta.url));

describe('chart registry', () => {
  it('lists every chart module in src/render/charts', async () => {
    const files = readdirSync(chartsDir).filter(
      (f) => f.endsWith('.ts') && !['index.ts', 'data.ts'].includes(f) && !f.startsWith('_'),
    );
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const module = (await import(join(chartsDir, file))) as Record<string, unknown>;
      const exported = Object.values(module).filter((v) => charts.includes(v as (typeof charts)[number]));
      expect(exported, `${file} exports no chart registered in charts/index.ts`).toHaveLength(1);
    }
    expect(new Set(charts.map((c) => c.name)).size).toBe(charts.length);
  });
});

describe('writeCharts', () => {
  let dir: string | null = null;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes one standalone SVG per chart and returns their file names', async () => {
    dir = await mkdtemp(join(tmpdir(), 'howchain-charts-'));
    let data = emptyCase();
    data = withEvents(
      data,
      snapshotEvent('2026-04-01T09:00:00.000Z', 2 ** 20, 'snapshot-1-1-1'),
      leaseFailure('2026-04-01T09:00:04.000Z', 'kube-system/csi-nfs'),
    );
    data.facts.push(pod('kube-system', 'csi-nfs-controller-0', 3));
    const target = join(dir, 'nested', 'charts');
    const written = await writeCharts(data, target);
    expect(written.map((c) => c.file)).toEqual(charts.map((c) => `${c.name}.svg`));
    expect((await readdir(target)).sort()).toEqual(written.map((c) => c.file).sort());
    for (const chart of written) {
      const onDisk = await readFile(join(target, chart.file), 'utf8');
      expect(onDisk).toBe(chart.svg);
      expect(onDisk.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    }
  });
});
