import { describe, expect, it } from 'vitest';
import { chartData } from '../../../src/render/charts/data.js';
import { snapshotSize } from '../../../src/render/charts/snapshot-size.js';
import { elements, emptyCase, snapshotEvent, tagsBalance, withEvents } from './_case.js';

describe('snapshot size chart', () => {
  it('plots each snapshot at its time and size, left to right', () => {
    let data = emptyCase();
    const sizes = [215, 220, 40].map((mb) => mb * 1e6);
    sizes.forEach(
      (bytes, i) =>
        (data = withEvents(
          data,
          snapshotEvent(
            new Date(Date.UTC(2026, 3, 1, 9, 2 * i)).toISOString(),
            bytes,
            `snapshot-1-${i}-${i}`,
          ),
        )),
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
    let data = emptyCase();
    const minutes = [0, 2, 4, 6, 600, 602];
    minutes.forEach(
      (m, i) =>
        (data = withEvents(
          data,
          snapshotEvent(
            new Date(Date.UTC(2026, 3, 1, 9, m)).toISOString(),
            2 ** 20 * (i + 1),
            `snapshot-1-${i}-${m}`,
          ),
        )),
    );
    const svg = snapshotSize.render(chartData(data));
    const lines = [...svg.matchAll(/<polyline points="([^"]*)"/g)].map((m) => m[1]!.split(' ').length);
    expect(lines).toEqual([4, 2]);
  });

  it('stays readable at 60+ writes: the axis breaks across gaps, and a narrow size band is zoomed into', () => {
    let data = emptyCase();
    const start = Date.UTC(2026, 2, 31, 22, 0);
    for (let i = 0; i < 60; i++)
      data = withEvents(
        data,
        snapshotEvent(
          new Date(start + i * 120_000).toISOString(),
          225e6 + (i % 3) * 4e5,
          `snapshot-4-${i}-${i}`,
        ),
      );
    // The cleanup a day later: one small write, far right on a plain time axis.
    data = withEvents(
      data,
      snapshotEvent(new Date(start + 31 * 3_600_000).toISOString(), 22e6, 'snapshot-4-99-99'),
    );
    const svg = snapshotSize.render(chartData(data));
    const points = elements(svg, 'circle', 'snapshot');
    expect(points).toHaveLength(61);
    const steps = points.slice(1, 60).map((p, i) => p.cx! - points[i]!.cx!);
    // 60 writes share most of the 846 px width instead of the first 7 % of it.
    expect(Math.min(...steps)).toBeGreaterThan(10);
    expect(svg).toMatch(/>29 h<\/text>/);
    expect(svg).toContain('61 snapshot writes, 22.0 MB to 226 MB');

    let band = emptyCase();
    for (let i = 0; i < 10; i++)
      band = withEvents(
        band,
        snapshotEvent(new Date(start + i * 120_000).toISOString(), 225e6 + i * 1e5, `s-4-${i}-${i}`),
      );
    const zoomed = snapshotSize.render(chartData(band));
    expect(zoomed).toContain('(the size axis starts at 225 MB, not 0)');
    const ys = elements(zoomed, 'circle', 'snapshot').map((p) => p.cy!);
    expect(ys[0]! - ys[9]!).toBeGreaterThan(100);
  });

  it('says there are no snapshots when there are none', () => {
    expect(snapshotSize.render(chartData(emptyCase()))).toContain('No snapshot writes in the evidence.');
  });
});
