import { describe, expect, it } from 'vitest';
import { detectors } from '../../src/analyze/detectors/index.js';
import { howchain } from './_howchain.js';

describe('howchain detectors', () => {
  it('lists every registered detector with its role, reads, thresholds and links as JSON', async () => {
    const { code, stdout } = await howchain('detectors', '--json');
    expect(code).toBe(0);
    const catalog = JSON.parse(stdout) as {
      id: string;
      role: string;
      thresholds: unknown[];
      explains: string[];
    }[];
    expect(catalog.map((d) => d.id)).toEqual(detectors.map((d) => d.id));
    expect(catalog.find((d) => d.id === 'snapshot-storm')).toMatchObject({
      role: 'mechanism',
      explains: ['apiserver-unavailable'],
    });
    for (const entry of catalog) expect(entry.thresholds.length, entry.id).toBeGreaterThan(0);
  });

  it('prints a readable block per detector', async () => {
    const { code, stdout } = await howchain('detectors');
    expect(code).toBe(0);
    expect(stdout).toContain('ipam-gc-disabled (cause): Calico IPAM garbage collection disabled');
    expect(stdout).toContain('  can explain: ipam-handle-buildup, datastore-bloat');
  });
});
