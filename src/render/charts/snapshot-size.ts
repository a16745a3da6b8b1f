import type { Chart } from './index.js';
import { describeWrite, type ChartData, type SnapshotWrite } from './data.js';
import { el, emptyChart, svgDocument, text, tooltip, colors, font } from './_svg.js';
import { formatBytes } from '../format.js';
import { byteRangeTicks, byteTicks, formatInstant, linearScale, type Scale } from './_scale.js';
import { paddedDomain, timeAxis, valueAxis } from './_axes.js';
import { maxOf, minOf } from '../../bounded.js';

const id = 'snapshot-size';
const title = 'Snapshot size over time';

/**
 * Consecutive writes joined by a line, broken where the evidence has a gap (over ten times the usual
 * interval, and over ten minutes): a line across a gap would claim sizes nobody observed.
 */
function runs<T extends { at: number }>(points: T[]): T[][] {
  const gaps = points.slice(1).map((p, i) => p.at - points[i]!.at);
  const median = [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)] ?? 0;
  const limit = Math.max(10 * median, 10 * 60_000);
  const out: T[][] = [];
  points.forEach((point, i) => {
    if (i === 0 || gaps[i - 1]! > limit) out.push([point]);
    else out[out.length - 1]!.push(point);
  });
  return out;
}

const gapWidth = 36;
/** Narrowest a stretch of the axis is drawn, so its time label fits. */
const minSegmentWidth = 96;

interface BrokenTimeScale {
  (at: number): number;
  segments: { scale: Scale; from: number; to: number; gapAfterMs: number | null }[];
}

/**
 * A time axis broken across the gaps in the evidence: each run of writes gets a stretch of its own,
 * as wide as its share of the writes (at least `minSegmentWidth`), so sixty writes in two hours and
 * one a day later are all readable; the breaks are drawn and labelled with the time they leave out.
 */
function brokenTimeScale(segments: { at: number }[][], left: number, right: number): BrokenTimeScale {
  const usable = right - left - gapWidth * (segments.length - 1);
  const small = segments.filter((run) => run.length <= 2).length;
  const large = segments.length - small;
  const smallWidth =
    large === 0 ? usable / segments.length : Math.min(minSegmentWidth, usable / segments.length);
  const largePoints = segments.filter((run) => run.length > 2).reduce((sum, run) => sum + run.length, 0);
  let start = left;
  const placed = segments.map((run, index) => {
    const width = run.length <= 2 ? smallWidth : ((usable - small * smallWidth) * run.length) / largePoints;
    const scale = linearScale(...paddedDomain(run.map((p) => p.at)), start, start + width);
    const next = segments[index + 1];
    const gapAfterMs = next ? next[0]!.at - run[run.length - 1]!.at : null;
    const segment = { scale, from: start, to: start + width, gapAfterMs };
    start += width + gapWidth;
    return segment;
  });
  const scale = ((at: number) => {
    const segment = placed.find((s) => at <= s.scale.domain[1]) ?? placed[placed.length - 1]!;
    return segment.scale(at);
  }) as BrokenTimeScale;
  scale.segments = placed;
  return scale;
}

function brokenTimeAxis(x: BrokenTimeScale, y: number, gridTop: number): string[] {
  const parts: string[] = [];
  x.segments.forEach((segment, index) => {
    const axis = timeAxis(
      segment.scale,
      y,
      gridTop,
      Math.max(1, Math.floor((segment.to - segment.from) / 110)),
    );
    // One 'time (UTC)' caption for the whole axis, under its last stretch.
    parts.push(
      ...(index === x.segments.length - 1 ? axis : axis.filter((part) => !part.includes('time (UTC)'))),
    );
    if (segment.gapAfterMs !== null) {
      const mid = segment.to + gapWidth / 2;
      parts.push(
        el('path', {
          d: `M${mid - 6},${y + 6} l6,-12 M${mid},${y + 6} l6,-12`,
          stroke: colors.muted,
          fill: 'none',
        }),
        text(mid, y - 8, formatGap(segment.gapAfterMs), {
          'text-anchor': 'middle',
          'font-size': font.small,
          fill: colors.muted,
        }),
      );
    }
  });
  return parts;
}

function formatGap(ms: number): string {
  const hours = ms / 3_600_000;
  return hours >= 48
    ? `${Math.round(hours / 24)} d`
    : hours >= 1
      ? `${Math.round(hours)} h`
      : `${Math.round(ms / 60_000)} min`;
}

/** Size of each snapshot write against time: growth (bloat) and the drop after a cleanup show as a line. */
function render(data: ChartData): string {
  const snapshots = data.snapshots.filter((s): s is SnapshotWrite & { bytes: number } => s.bytes !== null);
  const { undated } = data;
  if (snapshots.length === 0) {
    return emptyChart(
      id,
      title,
      undated.snapshots > 0
        ? `No snapshot write in the evidence has a time (${undated.snapshots} without one).`
        : 'No snapshot writes in the evidence.',
    );
  }
  const width = 960;
  const left = 90;
  const right = width - 24;
  const top = 56;
  const bottom = 276;
  const height = bottom + 44;
  const sizes = snapshots.map((s) => s.bytes);
  const smallest = minOf(sizes);
  const largest = maxOf(sizes);
  const segments = runs(snapshots);
  const x = brokenTimeScale(segments, left, right);
  // Sizes within a narrow band (a bloated datastore near its plateau) would lie on one flat line on
  // an axis from 0: the axis then spans the sizes seen, and says so.
  const zoomed = smallest > largest / 2;
  const {
    ticks,
    bottom: yBottom,
    top: yTop,
  } = zoomed ? byteRangeTicks(smallest, largest) : { ...byteTicks(largest), bottom: 0 };
  const y = linearScale(yBottom, yTop, bottom, top);
  // Many points: smaller marks, so 60 writes read as a line with dots, not a blob.
  const radius = snapshots.length > 40 ? 2 : 3;

  const body: string[] = [
    text(
      16,
      42,
      `${snapshots.length} snapshot writes, ${formatBytes(smallest)} to ${formatBytes(largest)}${zoomed ? ` (the size axis starts at ${formatBytes(yBottom)}, not 0)` : ''}`,
      {
        'font-size': font.small,
        fill: colors.muted,
      },
    ),
    ...valueAxis(y, ticks, left, right, formatBytes),
    ...brokenTimeAxis(x, bottom, top),
    ...segments.map((run) =>
      el('polyline', {
        points: run.map((s) => `${x(s.at).toFixed(2)},${y(s.bytes).toFixed(2)}`).join(' '),
        fill: 'none',
        stroke: colors.snapshot,
        'stroke-width': 1.5,
        'stroke-linejoin': 'round',
      }),
    ),
  ];
  for (const snapshot of snapshots) {
    body.push(
      el(
        'circle',
        { class: 'snapshot', cx: x(snapshot.at), cy: y(snapshot.bytes), r: radius, fill: colors.snapshot },
        tooltip(describeWrite(snapshot)),
      ),
    );
  }
  return svgDocument({
    id,
    width,
    height,
    title,
    description:
      `${snapshots.length} snapshot writes from ${formatInstant(snapshots[0]!.at)} to ` +
      `${formatInstant(snapshots[snapshots.length - 1]!.at)}, sizes ${formatBytes(smallest)} to ${formatBytes(largest)}.`,
    body,
  });
}

export const snapshotSize: Chart = { name: id, title, render };
