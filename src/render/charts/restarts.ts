import type { Chart } from './index.js';
import type { ChartData } from './data.js';
import { el, emptyChart, svgDocument, text, tooltip, colors, font } from './_svg.js';
import { countTicks, linearScale } from './_scale.js';
import { clip } from './_axes.js';
import { maxOf } from '../../bounded.js';

const id = 'restarts';
const title = 'Restarts per controller';
/** Rows shown; the rest are summed in a note so the chart keeps a readable height. */
const maxRows = 15;

/** Container restarts summed per workload (from the pods in the kubectl dumps), most first. */
function render(data: ChartData): string {
  const { restarts } = data;
  if (restarts.length === 0) return emptyChart(id, title, 'No pod in the evidence has restarted.');
  const rows = restarts.slice(0, maxRows);
  const hidden = restarts.slice(maxRows);
  const width = 960;
  const left = 300;
  const right = width - 70;
  const top = 56;
  const rowHeight = 24;
  const bottom = top + rows.length * rowHeight;
  const height = bottom + (hidden.length > 0 ? 52 : 34);
  const { ticks, top: xTop } = countTicks(maxOf(rows.map((r) => r.restarts)));
  const x = linearScale(0, xTop, left, right);

  const body: string[] = [
    text(
      16,
      42,
      `${restarts.reduce((sum, r) => sum + r.restarts, 0)} restarts in ${restarts.length} controllers`,
      {
        'font-size': font.small,
        fill: colors.muted,
      },
    ),
  ];
  for (const tick of ticks) {
    const px = x(tick);
    body.push(el('line', { x1: px, x2: px, y1: top - 4, y2: bottom, stroke: colors.grid }));
    body.push(
      text(px, bottom + 16, String(tick), {
        'text-anchor': 'middle',
        'font-size': font.small,
        fill: colors.muted,
      }),
    );
  }
  rows.forEach((row, index) => {
    const y = top + index * rowHeight;
    const detail = `${row.controller}: ${row.restarts} restarts in ${row.pods} pod${row.pods === 1 ? '' : 's'}`;
    body.push(
      text(
        left - 8,
        y + 16,
        clip(row.controller, 44),
        { 'text-anchor': 'end', 'font-size': font.small },
        detail,
      ),
    );
    body.push(
      el(
        'rect',
        {
          class: 'restarts',
          x: left,
          y: y + 4,
          width: Math.max(x(row.restarts) - left, 1),
          height: rowHeight - 8,
          fill: '#d55e00',
        },
        tooltip(detail),
      ),
    );
    body.push(text(x(row.restarts) + 6, y + 16, String(row.restarts), { 'font-size': font.small }));
  });
  if (hidden.length > 0) {
    body.push(
      text(
        left,
        bottom + 36,
        `and ${hidden.length} more controllers with ${hidden.reduce((sum, r) => sum + r.restarts, 0)} restarts`,
        { 'font-size': font.small, fill: colors.muted },
      ),
    );
  }
  return svgDocument({
    id,
    width,
    height,
    title,
    description: restarts
      .slice(0, maxRows)
      .map((r) => `${r.controller} ${r.restarts}`)
      .join(', '),
    body,
  });
}

export const restartsPerController: Chart = { name: id, title, render };
