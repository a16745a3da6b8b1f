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
/** Leases drawn, and failures drawn per lease: the most a reader can take in within one chart. */
export const MAX_LEASES_DRAWN = 20;
const MAX_MARKS_PER_LEASE = 200;

export function mermaidTimeline(
  correlation: Correlation,
): { chart: string; from: string; to: string; leasesNotDrawn: number } | null {
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
  const bySubject = new Map<string, { count: number; drawn: typeof failures }>();
  for (const f of failures) {
    const subject = f.subject ?? f.evidence.file;
    const lease = bySubject.get(subject) ?? { count: 0, drawn: [] };
    lease.count++;
    if (lease.drawn.length < MAX_MARKS_PER_LEASE) lease.drawn.push(f);
    bySubject.set(subject, lease);
  }
  // The leases that failed most, in name order: a chart of thousands of rows says nothing.
  const shown = [...bySubject.keys()]
    .sort((a, b) => bySubject.get(b)!.count - bySubject.get(a)!.count || a.localeCompare(b))
    .slice(0, MAX_LEASES_DRAWN)
    .sort();
  for (const subject of shown) {
    lines.push(`    section ${label(subject)}`);
    for (const f of bySubject.get(subject)!.drawn) {
      lines.push(
        `    lost${f.withinWindow ? '' : ' (outside)'} :${f.withinWindow ? 'crit, ' : ''}milestone, ${mermaidTime(Date.parse(f.ts))}, 0s`,
      );
    }
  }
  return {
    chart: lines.join('\n'),
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    leasesNotDrawn: bySubject.size - shown.length,
  };
}
