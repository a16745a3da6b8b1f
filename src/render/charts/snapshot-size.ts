import type { Chart } from './index.js';
import { describeWrite, type ChartData, type SnapshotWrite } from './data.js';
import { el, emptyChart, svgDocument, text, tooltip, colors, font } from './_svg.js';
import { formatBytes } from '../format.js';
import { byteTicks, formatInstant, linearScale } from './_scale.js';
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
  const x = linearScale(...paddedDomain(snapshots.map((s) => s.at)), left, right);
  const { ticks, top: yTop } = byteTicks(largest);
  const y = linearScale(0, yTop, bottom, top);

  const body: string[] = [
    text(16, 42, `${snapshots.length} snapshot writes, ${formatBytes(smallest)} to ${formatBytes(largest)}`, {
      'font-size': font.small,
      fill: colors.muted,
    }),
    ...valueAxis(y, ticks, left, right, formatBytes),
    ...timeAxis(x, bottom, top),
    ...runs(snapshots).map((run) =>
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
        { class: 'snapshot', cx: x(snapshot.at), cy: y(snapshot.bytes), r: 3, fill: colors.snapshot },
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
