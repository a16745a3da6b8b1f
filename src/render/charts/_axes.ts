import { el, text, colors, font } from './_svg.js';
import { timeTicks, type Scale } from './_scale.js';
import { maxOf, minOf } from '../../bounded.js';

/** A UTC time axis along `y`, with tick labels below and faint grid lines up to `gridTop`. */
export function timeAxis(x: Scale, y: number, gridTop: number, maxTicks?: number): string[] {
  const [start, end] = x.domain;
  const parts: string[] = [];
  const ticks = timeTicks(start, end, maxTicks);
  // A stretch too short for a round tick still says when it is.
  if (ticks.length === 0)
    ticks.push({
      value: (start + end) / 2,
      label: new Date((start + end) / 2).toISOString().slice(5, 16).replace('T', ' '),
    });
  for (const tick of ticks) {
    const px = x(tick.value);
    parts.push(el('line', { x1: px, x2: px, y1: gridTop, y2: y, stroke: colors.grid, 'stroke-width': 1 }));
    parts.push(el('line', { x1: px, x2: px, y1: y, y2: y + 4, stroke: colors.muted }));
    // A label centred on a tick near the right end would be cut off by the frame: end it at the tick.
    const anchor = px + tick.label.length * 3.5 > x(end) + 16 ? 'end' : 'middle';
    parts.push(
      text(px, y + 16, tick.label, { 'text-anchor': anchor, 'font-size': font.small, fill: colors.muted }),
    );
  }
  const range = [x(start), x(end)];
  parts.push(el('line', { x1: range[0], x2: range[1], y1: y, y2: y, stroke: colors.muted }));
  parts.push(
    text(range[1] ?? 0, y + 32, 'time (UTC)', {
      'text-anchor': 'end',
      'font-size': font.small,
      fill: colors.muted,
    }),
  );
  return parts;
}

/** A value axis at `x` with horizontal grid lines across to `right`. */
export function valueAxis(
  y: Scale,
  ticks: number[],
  x: number,
  right: number,
  label: (value: number) => string,
): string[] {
  const parts: string[] = [];
  for (const value of ticks) {
    const py = y(value);
    parts.push(el('line', { x1: x, x2: right, y1: py, y2: py, stroke: colors.grid }));
    parts.push(
      text(x - 6, py + 4, label(value), {
        'text-anchor': 'end',
        'font-size': font.small,
        fill: colors.muted,
      }),
    );
  }
  return parts;
}

/** Pads a time domain so marks at its ends are not drawn on the frame. */
export function paddedDomain(times: number[]): [number, number] {
  const start = minOf(times);
  const end = maxOf(times);
  const pad = Math.max((end - start) * 0.02, 30_000);
  return [start - pad, end + pad];
}

/** Shortens a label to `max` characters with an ellipsis; the full text goes in a tooltip. */
export function clip(label: string, max: number): string {
  return label.length <= max ? label : `${label.slice(0, max - 1)}…`;
}
