import { describe, expect, it } from 'vitest';
import { chartData } from '../../../src/render/charts/data.js';
import { snapshotTimeline } from '../../../src/render/charts/snapshot-timeline.js';
import {
  correlation,
  elements,
  emptyCase,
  leaseFailure,
  snapshotEvent,
  tagsBalance,
  withEvents,
} from './_case.js';

const base = Date.parse('2026-04-01T09:00:00Z');
const at = (seconds: number) => new Date(base + seconds * 1000).toISOString();

function incident() {
  let data = emptyCase();
  data = withEvents(
    data,
    snapshotEvent(at(0), 100 * 2 ** 20, 'snapshot-3-1-0'),
    snapshotEvent(at(120), 200 * 2 ** 20, 'snapshot-3-2-120'),
    snapshotEvent(at(240), 50 * 2 ** 20, 'snapshot-3-3-240'),
    leaseFailure(at(125), 'kube-system/csi-nfs'),
    leaseFailure(at(245), 'kube-system/csi-nfs'),
    leaseFailure(at(126), 'awx/awx-operator'),
    leaseFailure(at(2), 'ops/early-controller'),
  );
  return data;
}

describe('snapshot timeline chart', () => {
  it('draws one bar per snapshot, its height proportional to the size, on the shared time axis', () => {
    const svg = snapshotTimeline.render(chartData(incident()));
    const bars = elements(svg, 'rect', 'snapshot');
    expect(bars).toHaveLength(3);
    const heights = bars.map((b) => b.height!);
    expect(heights[1]! / heights[0]!).toBeCloseTo(2, 1);
    expect(heights[2]! / heights[0]!).toBeCloseTo(0.5, 1);
    const centres = bars.map((b) => b.x! + b.width! / 2);
    expect(centres[2]! - centres[1]!).toBeCloseTo(centres[1]! - centres[0]!, 1);
    expect(tagsBalance(svg)).toBe(true);
  });

  it('marks each lease failure in its controller lane, at its time on the same axis as the bars', () => {
    const svg = snapshotTimeline.render(chartData(incident()));
    const bars = elements(svg, 'rect', 'snapshot').map((b) => b.x! + b.width! / 2);
    const marks = elements(svg, 'line', 'lease-failure');
    expect(marks).toHaveLength(4);
    const pxPerSecond = (bars[1]! - bars[0]!) / 120;
    // Lanes are drawn busiest first: csi-nfs (125 s, 245 s) in the first lane, awx (126 s) one lane below.
    const [first, second, awx] = marks;
    expect(first!.x1! - bars[1]!).toBeCloseTo(5 * pxPerSecond, 1);
    expect(second!.x1! - bars[2]!).toBeCloseTo(5 * pxPerSecond, 1);
    expect(awx!.x1! - bars[1]!).toBeCloseTo(6 * pxPerSecond, 1);
    expect(first!.y1).toBe(second!.y1);
    expect(awx!.y1! - first!.y1!).toBe(22);
    expect(svg).toContain('kube-system/csi-nfs (2)');
    expect(svg).toContain('awx/awx-operator (1)');
  });

  it('shades the correlation window after each write, and draws writes of unknown size as guides without a bar', () => {
    const analysis = {
      correlation: correlation(
        [
          { ts: at(0), name: 'snapshot-3-1-0', bytes: 2 ** 20 },
          { ts: at(120), name: 'snapshot-3-2-120', bytes: null },
        ],
        [{ ts: at(125), lease: 'kube-system/csi-nfs', file: 'logs/csi.log', line: 4 }],
      ),
    };
    const svg = snapshotTimeline.render(chartData(emptyCase(), analysis));
    const windows = elements(svg, 'rect', 'window');
    expect(windows).toHaveLength(2);
    const [mark] = elements(svg, 'line', 'lease-failure');
    // The failure 5 s after the second write lies inside that write's 10 s window.
    expect(mark!.x1! > windows[1]!.x! && mark!.x1! < windows[1]!.x! + windows[1]!.width!).toBe(true);
    expect(windows[1]!.width! / (mark!.x1! - windows[1]!.x!)).toBeCloseTo(2, 1);
    expect(elements(svg, 'rect', 'snapshot')).toHaveLength(1);
    expect(svg).toContain('shaded: the 10 s after each');
  });

  it('draws each failure’s lag after the latest write on a strip where the window is wide enough to see', () => {
    const analysis = {
      correlation: correlation(
        [
          { ts: at(0), name: 'snapshot-3-1-0', bytes: 2 ** 20 },
          { ts: at(3600), name: 'snapshot-3-2-3600', bytes: 2 ** 20 },
        ],
        [
          { ts: at(4), lease: 'kube-system/csi-nfs', file: 'logs/csi.log', line: 4 },
          { ts: at(3609), lease: 'kube-system/csi-nfs', file: 'logs/csi.log', line: 5 },
          { ts: at(3630), lease: 'ci/awx-operator', file: 'logs/awx.log', line: 9 },
        ],
      ),
    };
    const svg = snapshotTimeline.render(chartData(emptyCase(), analysis));
    // On the hour-long axis the 10 s window is about 2 px; on the lag strip it is a sixth of the width.
    expect(elements(svg, 'rect', 'window')[0]!.width!).toBeLessThan(3);
    const [band] = elements(svg, 'rect', 'lag-window');
    expect(band!.width!).toBeGreaterThan(100);
    const within = elements(svg, 'circle', 'lag within');
    const outside = elements(svg, 'circle', 'lag');
    expect(within.map((c) => Math.round(((c.cx! - band!.x!) / band!.width!) * 10))).toEqual([4, 9]);
    expect(outside).toHaveLength(1);
    expect(outside[0]!.cx! - band!.x!).toBeCloseTo(3 * band!.width!, 0);
    expect(tagsBalance(svg)).toBe(true);
  });

  it('within the correlation’s span, draws and counts exactly the writes the correlation counts', () => {
    const c = correlation(
      [
        { ts: at(-20), name: 'snapshot-3-0-0', bytes: 2 ** 20 },
        { ts: at(0), name: 'snapshot-3-1-20', bytes: 2 ** 20 },
        { ts: at(1800), name: 'snapshot-3-2-1820', bytes: 2 ** 20 },
      ],
      [{ ts: at(5), lease: 'kube-system/csi-nfs', file: 'logs/csi.log', line: 4 }],
    );
    c.span = { start: at(0), end: at(1800) };
    const svg = snapshotTimeline.render(chartData(emptyCase(), { correlation: c }));
    // 20 s before the span lies inside the drawing's padding, but outside what the correlation counts.
    expect(elements(svg, 'rect', 'snapshot')).toHaveLength(2);
    expect(svg).toContain('2 snapshot writes (bar height');
    expect(svg).toContain('outside it, not drawn: 1 snapshot writes, 0 lease failures.');
  });

  it('zooms to where writes and failures overlap, and says what it left out', () => {
    let data = incident();
    data = withEvents(data, snapshotEvent(at(86_400), 10 * 2 ** 20, 'snapshot-4-9-86400'));
    const svg = snapshotTimeline.render(chartData(data));
    expect(elements(svg, 'rect', 'snapshot')).toHaveLength(3);
    expect(svg).toContain('outside it, not drawn: 1 snapshot writes, 0 lease failures.');
    // Without the zoom a day-long axis would put the three writes within a few pixels of each other.
    const bars = elements(svg, 'rect', 'snapshot').map((b) => b.x!);
    expect(bars[2]! - bars[0]!).toBeGreaterThan(400);
  });

  it('escapes names from the evidence', () => {
    let data = incident();
    data = withEvents(data, leaseFailure(at(60), '<script>alert("x")</script>&'));
    const svg = snapshotTimeline.render(chartData(data));
    expect(svg).not.toContain('<script');
    expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;');
    expect(tagsBalance(svg)).toBe(true);
  });

  it('folds controllers past the twelfth into one lane', () => {
    let data = emptyCase();
    for (let i = 0; i < 15; i++) {
      for (let n = 0; n <= i; n++)
        data = withEvents(data, leaseFailure(at(i * 10 + n), `ns/controller-${String(i).padStart(2, '0')}`));
    }
    const svg = snapshotTimeline.render(chartData(data));
    expect(svg).toContain('4 other controllers (10)');
    expect(elements(svg, 'line', 'lease-failure')).toHaveLength(120);
    expect(new Set(elements(svg, 'line', 'lease-failure').map((m) => m.y1)).size).toBe(12);
  });

  it('draws failures on one pixel of a lane as one mark whose tooltip counts them', () => {
    // 5,000 failures of one lease within an hour: more than the axis has pixels.
    const failures = Array.from({ length: 5000 }, (_, i) =>
      leaseFailure(at(i * 0.72), 'ns/busy', 'logs/busy.log', i + 1),
    );
    const svg = snapshotTimeline.render(chartData(withEvents(emptyCase(), ...failures)));
    const marks = elements(svg, 'line', 'lease-failure');
    expect(marks.length).toBeGreaterThan(100);
    expect(marks.length).toBeLessThan(1500);
    expect(new Set(marks.map((m) => Math.round(m.x1!))).size).toBe(marks.length);
    const counted = [...svg.matchAll(/<title>(\d+) lease renewals failed from /g)].reduce(
      (n, m) => n + Number(m[1]),
      0,
    );
    const single = [...svg.matchAll(/<title>ns\/busy: lease renewal failed at /g)].length;
    expect(counted + single).toBe(5000);
    expect(svg).toContain('ns/busy (5000)');
    expect(tagsBalance(svg)).toBe(true);
  });

  it('says what is missing instead of drawing an empty frame', () => {
    let data = emptyCase();
    data = withEvents(data, snapshotEvent(null, 10, 'snapshot-1-1-1'));
    const svg = snapshotTimeline.render(chartData(data));
    expect(svg).toContain(
      'No dated snapshot writes or lease failures in the evidence (1 snapshots and 0 lease failures have no time).',
    );
    expect(elements(svg, 'rect', 'snapshot')).toHaveLength(0);
  });
});
