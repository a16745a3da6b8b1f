import { describe, expect, it } from 'vitest';
import { chartData } from '../../../src/render/charts/data.js';
import { snapshotSize } from '../../../src/render/charts/snapshot-size.js';
import { elements, emptyCase, snapshotEvent, tagsBalance } from './_case.js';

describe('snapshot size chart', () => {
  it('plots each snapshot at its time and size, left to right', () => {
    const data = emptyCase();
    const sizes = [215, 220, 40].map((mb) => mb * 1e6);
    sizes.forEach((bytes, i) =>
      data.events.push(
        snapshotEvent(new Date(Date.UTC(2026, 3, 1, 9, 2 * i)).toISOString(), bytes, `snapshot-1-${i}-${i}`),
      ),
    );
    const svg = snapshotSize.render(chartData(data));
    const points = elements(svg, 'circle', 'snapshot');
    expect(points).toHaveLength(3);
    expect(points[0]!.cx! < points[1]!.cx! && points[1]!.cx! < points[2]!.cx!).toBe(true);
    // SVG y grows downwards: the 40 MiB snapshot sits lowest; heights above the baseline scale with size.
    const baseline = points[0]!.cy! + (points[0]!.cy! - points[1]!.cy!) * (215 / (220 - 215));
    expect((baseline - points[2]!.cy!) / (baseline - points[0]!.cy!)).toBeCloseTo(40 / 215, 2);
    expect(svg).toContain('3 snapshot writes, 40.0 MB to 220 MB');
    expect(tagsBalance(svg)).toBe(true);
  });

  it('joins writes with a line but breaks it across a gap in the evidence', () => {
    const data = emptyCase();
    const minutes = [0, 2, 4, 6, 600, 602];
    minutes.forEach((m, i) =>
      data.events.push(
        snapshotEvent(
          new Date(Date.UTC(2026, 3, 1, 9, m)).toISOString(),
          2 ** 20 * (i + 1),
          `snapshot-1-${i}-${m}`,
        ),
      ),
    );
    const svg = snapshotSize.render(chartData(data));
    const lines = [...svg.matchAll(/<polyline points="([^"]*)"/g)].map((m) => m[1]!.split(' ').length);
    expect(lines).toEqual([4, 2]);
  });

  it('says there are no snapshots when there are none', () => {
    expect(snapshotSize.render(chartData(emptyCase()))).toContain('No snapshot writes in the evidence.');
  });
});
