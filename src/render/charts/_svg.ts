/**
 * A tiny SVG writer: every attribute value and text node goes through escapeXml, so names taken from
 * evidence (controller names, file names) can never close a tag or start a script. Charts only use
 * presentation attributes (no `style`), so they render the same inline, as <img>, and under a strict CSP.
 */

export type Attrs = Record<string, string | number | null | undefined>;

const xmlEntities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for XML/HTML content and attribute values; drops control characters XML 1.0 forbids. */
function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/[&<>"']/g, (c) => xmlEntities[c] ?? c);
}

/** Numbers in coordinates: at most two decimals, no exponent, no "-0". */
export function num(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

function renderAttrs(attrs: Attrs): string {
  let out = '';
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined) continue;
    out += ` ${name}="${typeof value === 'number' ? num(value) : escapeXml(value)}"`;
  }
  return out;
}

/** An element; `children` are already-rendered markup (from `el`/`text`), never raw evidence text. */
export function el(tag: string, attrs: Attrs, ...children: string[]): string {
  return children.length === 0
    ? `<${tag}${renderAttrs(attrs)}/>`
    : `<${tag}${renderAttrs(attrs)}>${children.join('')}</${tag}>`;
}

/** A <text> element with escaped content, and an optional tooltip (e.g. the unclipped label). */
export function text(x: number, y: number, content: string, attrs: Attrs = {}, hint?: string): string {
  const title = hint === undefined ? '' : tooltip(hint);
  return `<text${renderAttrs({ x, y, ...attrs })}>${title}${escapeXml(content)}</text>`;
}

/** A <title> child: browsers show it as a tooltip when the SVG is inline. */
export function tooltip(content: string): string {
  return `<title>${escapeXml(content)}</title>`;
}

export const font = {
  family: 'system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif',
  // Sized for a 960-wide drawing shown at down to 760 px (the page's narrowest chart): ≥ 9.5 px on screen.
  small: 12,
  normal: 13,
  title: 15,
};

export const colors = {
  ink: '#1f2328',
  muted: '#656d76',
  grid: '#d8dee4',
  snapshot: '#0969da',
  background: '#ffffff',
};

/**
 * Okabe–Ito colours (distinguishable with the common colour-vision deficiencies); controllers beyond
 * eight reuse them, but each has its own labelled lane, so colour is never the only cue.
 */
export const seriesColors = [
  '#d55e00',
  '#009e73',
  '#cc79a7',
  '#e69f00',
  '#56b4e9',
  '#0072b2',
  '#f0e442',
  '#000000',
];

/**
 * A standalone SVG document with an accessible name and description (role="img" + aria-labelledby),
 * usable as a file, as an <img> source and inline in HTML.
 */
export function svgDocument(options: {
  id: string;
  width: number;
  height: number;
  title: string;
  description: string;
  body: string[];
}): string {
  const { id, width, height, title, description, body } = options;
  return (
    el(
      'svg',
      {
        xmlns: 'http://www.w3.org/2000/svg',
        width,
        height,
        viewBox: `0 0 ${num(width)} ${num(height)}`,
        role: 'img',
        'aria-labelledby': `${id}-title ${id}-desc`,
        'font-family': font.family,
        'font-size': font.normal,
        fill: colors.ink,
      },
      el('title', { id: `${id}-title` }, escapeXml(title)),
      el('desc', { id: `${id}-desc` }, escapeXml(description)),
      el('rect', { x: 0, y: 0, width, height, fill: colors.background }),
      text(16, 22, title, { 'font-size': font.title, 'font-weight': 'bold' }),
      // Joined, not spread: a chart of 100,000 marks would pass as many arguments.
      body.join(''),
    ) + '\n'
  );
}

/** The chart drawn when the evidence holds nothing to plot: says so instead of an empty frame. */
export function emptyChart(id: string, title: string, reason: string): string {
  return svgDocument({
    id,
    width: 960,
    height: 90,
    title,
    description: reason,
    body: [text(16, 56, reason, { fill: colors.muted })],
  });
}
