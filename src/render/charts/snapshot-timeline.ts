import type { Chart } from './index.js';
import { describeWrite, type ChartData, type LeaseFailure, type SnapshotWrite } from './data.js';
import { el, emptyChart, svgDocument, text, tooltip, colors, font, seriesColors } from './_svg.js';
import { formatBytes } from '../format.js';
import { byteTicks, formatInstant, linearScale } from './_scale.js';
import { clip, paddedDomain, timeAxis, valueAxis } from './_axes.js';
import { maxOf, minOf } from '../../bounded.js';

const id = 'snapshot-timeline';
const title = 'Snapshot writes and lease failures';
/** Beyond this many controllers the quietest share one "other" lane, so the chart stays readable. */
const maxLanes = 12;

interface Lane {
  label: string;
  detail: string;
  failures: LeaseFailure[];
}

function lanesOf(failures: LeaseFailure[]): Lane[] {
  const byController = new Map<string, LeaseFailure[]>();
  for (const failure of failures) {
    const list = byController.get(failure.controller) ?? [];
    list.push(failure);
    byController.set(failure.controller, list);
  }
  const ordered = [...byController.entries()].sort(
    (a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]),
  );
  const lanes: Lane[] = ordered
    .slice(0, maxLanes)
    .map(([controller, list]) => ({ label: controller, detail: controller, failures: list }));
  const rest = ordered.slice(maxLanes);
  if (rest.length > 0) {
    lanes[maxLanes - 1] = {
      label: `${rest.length + 1} other controllers`,
      detail: [ordered[maxLanes - 1]![0], ...rest.map(([controller]) => controller)].join(', '),
      failures: [ordered[maxLanes - 1]![1], ...rest.map(([, list]) => list)].flat(),
    };
  }
  return lanes;
}

const lagStripHeight = 36;

/** Seconds from the latest snapshot write at or before each failure (failures before any write have none). */
function lagsAfterWrites(snapshots: SnapshotWrite[], failures: { at: number }[]): number[] {
  const writes = snapshots.map((s) => s.at).sort((a, b) => a - b);
  const lags: number[] = [];
  let next = 0;
  for (const at of failures.map((f) => f.at).sort((a, b) => a - b)) {
    while (next < writes.length && writes[next]! <= at) next++;
    if (next > 0) lags.push((at - writes[next - 1]!) / 1000);
  }
  return lags;
}

/**
 * Each lease failure at its lag after the latest snapshot write, on an axis of a few windows, the
 * window shaded: the share of marks inside the band is the correlation's "within the window", checkable
 * by eye. Lags beyond the axis are drawn at its right end.
 */
function lagStrip(lags: number[], windowSeconds: number, left: number, right: number, top: number): string[] {
  const axisEnd = windowSeconds * 6;
  const lag = linearScale(0, axisEnd, left, right);
  const bottom = top + lagStripHeight;
  const out: string[] = [
    text(
      16,
      top - 12,
      `Lag of each lease failure after the latest snapshot write (shaded: the ${windowSeconds} s window)`,
      {
        'font-size': font.small,
        fill: colors.muted,
      },
    ),
    el('rect', {
      class: 'lag-window',
      x: left,
      y: top,
      width: lag(windowSeconds) - left,
      height: lagStripHeight,
      fill: colors.snapshot,
      'fill-opacity': 0.18,
    }),
    el('line', { x1: left, x2: right, y1: bottom, y2: bottom, stroke: colors.muted }),
  ];
  for (let tick = 0; tick <= axisEnd; tick += windowSeconds) {
    out.push(
      el('line', { x1: lag(tick), x2: lag(tick), y1: bottom, y2: bottom + 4, stroke: colors.muted }),
      text(lag(tick), bottom + 18, `${tick === axisEnd ? '≥ ' : ''}${tick} s`, {
        'text-anchor': 'middle',
        'font-size': font.small,
        fill: colors.muted,
      }),
    );
  }
  // A mark on a pixel another mark already covers adds nothing a reader can see, only bytes (a
  // stall with 100,000 failures drew a 34 MB chart).
  const drawn = new Set<string>();
  lags.forEach((seconds, index) => {
    const px = lag(Math.min(seconds, axisEnd));
    // Spread the marks over the strip's height so coinciding lags stay countable.
    const y = top + 6 + ((index * 7) % (lagStripHeight - 12));
    const at = `${Math.round(px)}|${y}|${seconds <= windowSeconds}`;
    if (drawn.has(at)) return;
    drawn.add(at);
    out.push(
      el('circle', {
        class: seconds <= windowSeconds ? 'lag within' : 'lag',
        cx: px,
        cy: y,
        r: 2.5,
        fill: seconds <= windowSeconds ? colors.snapshot : colors.muted,
        'fill-opacity': 0.8,
      }),
    );
  });
  return out;
}

/**
 * One time axis, two layers: snapshot writes as bars whose height is the snapshot's size, and one lane
 * per controller with a mark for each lease it failed to renew. Failures that cluster just right of
 * the bars are the pattern of the reference incident; faint guides carry each write down through the lanes.
 */
function render(data: ChartData): string {
  const { undated, windowSeconds, focus } = data;
  if (data.snapshots.length === 0 && data.leaseFailures.length === 0) {
    return emptyChart(
      id,
      title,
      'No dated snapshot writes or lease failures in the evidence' +
        (undated.snapshots + undated.leaseFailures > 0
          ? ` (${undated.snapshots} snapshots and ${undated.leaseFailures} lease failures have no time).`
          : '.'),
    );
  }
  const allTimes = [...data.snapshots.map((s) => s.at), ...data.leaseFailures.map((f) => f.at)];
  const [first, last] = focus ? [focus.start, focus.end] : [minOf(allTimes), maxOf(allTimes)];
  const domain = paddedDomain([first, last]);
  // Within the correlation's span exactly what it counts is drawn and counted (the domain's padding
  // only keeps marks off the frame); around a guessed overlap, what falls in the padding too.
  const shown = focus?.exact
    ? (at: number) => at >= first && at <= last
    : (at: number) => at >= domain[0] && at <= domain[1];
  const snapshots = data.snapshots.filter((s) => shown(s.at));
  const leaseFailures = data.leaseFailures.filter((f) => shown(f.at));
  const hiddenWrites = data.snapshots.length - snapshots.length;
  const hiddenFailures = data.leaseFailures.length - leaseFailures.length;

  const lanes = lanesOf(leaseFailures);
  const width = 960;
  const left = 250;
  const right = width - 24;
  const barsTop = hiddenWrites + hiddenFailures > 0 ? 80 : 64;
  const barsBottom = snapshots.some((s) => s.bytes !== null) ? barsTop + 150 : barsTop;
  const laneHeight = 22;
  const lanesTop = barsBottom + 14;
  const axisY = lanesTop + lanes.length * laneHeight + 8;
  // The window is seconds wide on an axis of hours: a strip of its own shows it at a readable scale.
  const lags = windowSeconds === null ? [] : lagsAfterWrites(snapshots, leaseFailures);
  const lagTop = axisY + 64;
  const height = lags.length > 0 ? lagTop + lagStripHeight + 44 : axisY + 44;

  const x = linearScale(...domain, left, right);
  const body: string[] = [];

  const span = `${formatInstant(first)} to ${formatInstant(last)}`;
  if (hiddenWrites + hiddenFailures > 0) {
    body.push(
      text(
        16,
        58,
        `Zoomed to where both overlap; outside it, not drawn: ${hiddenWrites} snapshot writes, ${hiddenFailures} lease failures.`,
        { 'font-size': font.small, fill: colors.muted },
      ),
    );
  }
  body.push(
    text(
      16,
      42,
      `${snapshots.length} snapshot writes (bar height = size${windowSeconds === null ? '' : `, shaded: the ${windowSeconds} s after each`}), ${leaseFailures.length} lease failures, ${span}`,
      { 'font-size': font.small, fill: colors.muted },
    ),
  );

  lanes.forEach((_lane, index) => {
    if (index % 2 === 0) {
      const top = lanesTop + index * laneHeight;
      body.push(el('rect', { x: left, y: top, width: right - left, height: laneHeight, fill: '#f6f8fa' }));
    }
  });

  for (const snapshot of snapshots) {
    const px = x(snapshot.at);
    if (windowSeconds !== null) {
      body.push(
        el('rect', {
          class: 'window',
          x: px,
          y: lanesTop,
          width: Math.max(x(snapshot.at + windowSeconds * 1000) - px, 1),
          height: axisY - lanesTop,
          fill: colors.snapshot,
          'fill-opacity': 0.12,
        }),
      );
    }
    body.push(
      el('line', {
        x1: px,
        x2: px,
        y1: barsBottom,
        y2: axisY,
        stroke: colors.snapshot,
        'stroke-opacity': 0.25,
        'stroke-dasharray': snapshot.bytes === null ? '3 3' : null,
      }),
    );
  }

  const sized = snapshots.filter((s): s is SnapshotWrite & { bytes: number } => s.bytes !== null);
  if (sized.length > 0) {
    const { ticks, top } = byteTicks(maxOf(sized.map((s) => s.bytes)), 4);
    const y = linearScale(0, top, barsBottom, barsTop);
    body.push(...valueAxis(y, ticks, left, right, formatBytes));
    body.push(text(16, barsTop + 4, 'snapshot size', { 'font-size': font.small, fill: colors.muted }));
    const barWidth = Math.max(2, Math.min(8, ((right - left) / sized.length) * 0.6));
    for (const snapshot of sized) {
      const px = x(snapshot.at);
      const top = y(snapshot.bytes);
      body.push(
        el(
          'rect',
          {
            class: 'snapshot',
            x: px - barWidth / 2,
            y: top,
            width: barWidth,
            height: Math.max(barsBottom - top, 1),
            fill: colors.snapshot,
          },
          tooltip(describeWrite(snapshot)),
        ),
      );
    }
  }

  lanes.forEach((lane, index) => {
    const top = lanesTop + index * laneHeight;
    const color = seriesColors[index % seriesColors.length]!;
    body.push(
      text(
        left - 8,
        top + 15,
        `${clip(lane.label, 30)} (${lane.failures.length})`,
        { 'text-anchor': 'end', 'font-size': font.small },
        lane.detail,
      ),
    );
    // Failures on one pixel of a lane are one mark, its tooltip counting them.
    const onPixel = new Map<number, LeaseFailure[]>();
    for (const failure of lane.failures) {
      const pixel = Math.round(x(failure.at));
      const list = onPixel.get(pixel);
      if (list) list.push(failure);
      else onPixel.set(pixel, [failure]);
    }
    for (const group of onPixel.values()) {
      const failure = group[0]!;
      const px = x(failure.at);
      const last = group[group.length - 1]!;
      body.push(
        el(
          'line',
          {
            class: 'lease-failure',
            x1: px,
            x2: px,
            y1: top + 4,
            y2: top + laneHeight - 4,
            stroke: color,
            'stroke-width': 2,
          },
          tooltip(
            group.length === 1
              ? `${failure.controller}: lease renewal failed at ${formatInstant(failure.at)} (${failure.file}:${failure.line})`
              : `${group.length} lease renewals failed from ${formatInstant(failure.at)} to ${formatInstant(last.at)}, the first by ${failure.controller} (${failure.file}:${failure.line})`,
          ),
        ),
      );
    }
  });

  body.push(...timeAxis(x, axisY, barsTop));
  if (lags.length > 0 && windowSeconds !== null)
    // One mark per failure: appended one by one, as spreading 100,000 would overflow the call.
    for (const mark of lagStrip(lags, windowSeconds, left, right, lagTop)) body.push(mark);

  const missing =
    undated.snapshots + undated.leaseFailures > 0
      ? ` Not drawn for lack of a time: ${undated.snapshots} snapshots, ${undated.leaseFailures} lease failures.`
      : '';
  return svgDocument({
    id,
    width,
    height,
    title,
    description:
      `${snapshots.length} snapshot writes and ${leaseFailures.length} lease failures across ` +
      `${lanes.length} controllers, ${span}.${missing}`,
    body,
  });
}

export const snapshotTimeline: Chart = { name: id, title, render };
