import type { Correlation } from '../types/index.js';

/** Mermaid shows a readable stretch, not hours of points; the span's first half hour by default. */
export const MERMAID_WINDOW_MINUTES = 30;

const mermaidTime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
/**
 * Mermaid task and section names cannot hold `:`, `;` or `#`; a line break or backtick from the
 * evidence would end the section or the code fence around the chart.
 */
const label = (text: string) => text.replace(/[:;#`<>\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').trim();

/**
 * A compact Gantt chart: each snapshot write as a bar as long as the correlation window, each lease
 * failure as a milestone on its lease's row. Returns null when there is nothing to draw.
 */
export function mermaidTimeline(
  correlation: Correlation,
): { chart: string; from: string; to: string } | null {
  if (!correlation.span) return null;
  const from = Date.parse(correlation.span.start) - correlation.windowSeconds * 1000;
  const to = Math.min(Date.parse(correlation.span.end), from + MERMAID_WINDOW_MINUTES * 60_000);
  const inRange = (ts: string) => {
    const t = Date.parse(ts);
    return t >= from && t <= to;
  };
  const snapshots = correlation.snapshots.filter((s) => inRange(s.ts));
  const failures = correlation.failures.filter((f) => inRange(f.ts));
  if (snapshots.length === 0 && failures.length === 0) return null;
  const lines = [
    '---',
    'displayMode: compact',
    '---',
    'gantt',
    `    title Lease failures vs snapshot writes (UTC, ${MERMAID_WINDOW_MINUTES} min)`,
    '    dateFormat YYYY-MM-DD HH:mm:ss',
    '    axisFormat %H:%M',
    `    section snapshot + ${correlation.windowSeconds}s`,
    ...snapshots.map((s) => `    write : ${mermaidTime(Date.parse(s.ts))}, ${correlation.windowSeconds}s`),
  ];
  const subjects = [...new Set(failures.map((f) => f.subject ?? f.evidence.file))].sort();
  for (const subject of subjects) {
    lines.push(`    section ${label(subject)}`);
    for (const f of failures.filter((x) => (x.subject ?? x.evidence.file) === subject)) {
      lines.push(
        `    lost${f.withinWindow ? '' : ' (outside)'} :${f.withinWindow ? 'crit, ' : ''}milestone, ${mermaidTime(Date.parse(f.ts))}, 0s`,
      );
    }
  }
  return { chart: lines.join('\n'), from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}
