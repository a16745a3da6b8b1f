import type { Chart } from './index.js';
import { describeWrite, type ChartData, type SnapshotWrite } from './data.js';
import { el, emptyChart, svgDocument, text, tooltip, colors, font } from './_svg.js';
import { byteTicks, formatBytes, formatInstant, linearScale } from './_scale.js';
import { paddedDomain, timeAxis, valueAxis } from './_axes.js';

const id = 'snapshot-size';
const title = 'Snapshot size over time';

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
  const smallest = Math.min(...sizes);
  const largest = Math.max(...sizes);
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
    el('polyline', {
      points: snapshots.map((s) => `${x(s.at).toFixed(2)},${y(s.bytes).toFixed(2)}`).join(' '),
      fill: 'none',
      stroke: colors.snapshot,
      'stroke-width': 1.5,
      'stroke-linejoin': 'round',
    }),
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
