import type { SnapshotDiff, SnapshotDiffEntry, SnapshotDiffSide } from '../types/index.js';
import { escapeMarkdown, inlineCode } from './format.js';

const number = new Intl.NumberFormat('en-US');

/** Database names, table names and key prefixes come from the evidence: shown, never interpreted. */
const cell = escapeMarkdown;

function count(value: number | null): string {
  return value === null ? '–' : number.format(value);
}

/** A side's value; an unknown one (folded there) is shown as its bound, never as 0 or absent. */
function side(e: SnapshotDiffEntry, which: 'before' | 'after'): string {
  return e.unknown === which ? `≤ ${number.format(e.atMost ?? 0)} (folded)` : count(e[which]);
}

function change(e: SnapshotDiffEntry): string {
  if (e.delta === null) return 'unknown';
  return e.delta > 0 ? `+${number.format(e.delta)}` : number.format(e.delta);
}

function percent(e: SnapshotDiffEntry): string {
  if (e.unknown) return 'unknown';
  if (e.before === null) return 'new';
  if (e.after === null) return 'gone';
  if (e.percent === null) return e.delta === 0 ? '0%' : 'n/a';
  return `${e.percent > 0 ? '+' : ''}${e.percent.toFixed(1)}%`;
}

function describe(label: string, s: SnapshotDiffSide): string {
  const when = s.wallClock ? `, written ≈ ${s.wallClock}` : '';
  return `**${label}:** ${inlineCode(s.file)} (term ${s.term}, index ${s.index}${when}; sha256 \`${s.sha256.slice(0, 12)}…\`)`;
}

const SIZE_LABELS: Record<string, string> = {
  fileBytes: 'snapshot file bytes',
  payloadBytes: 'decompressed payload bytes',
  databaseBytes: 'database bytes (pages × page size)',
  pageCount: 'pages',
  freelistCount: 'free pages',
  tableBytes: 'bytes',
};

/**
 * The before/after table a PIR quotes: row counts per table and per kine prefix (largest change
 * first; unchanged rows left out), live keys beside them, then sizes.
 */
export function renderSnapshotDiffMarkdown(diff: SnapshotDiff): string {
  const key = (e: SnapshotDiffEntry) => `${e.database}\u0000${e.kind}\u0000${e.subject}`;
  const live = new Map(
    diff.counts
      .filter((e) => e.metric === 'liveKeys')
      .map((e) => [key(e), `${side(e, 'before')} → ${side(e, 'after')}`]),
  );
  const folded = new Map(
    diff.counts
      .filter((e) => e.kind === 'kine-folded' && e.metric === 'prefixes')
      .map((e) => [key(e), `${count(e.before)} → ${count(e.after)} other prefixes (not listed)`]),
  );
  const subject = (e: SnapshotDiffEntry) =>
    e.kind === 'table'
      ? `table ${inlineCode(e.subject)}`
      : e.kind === 'kine-folded'
        ? (folded.get(key(e)) ?? '')
        : inlineCode(e.subject);
  const rows = diff.counts.filter((e) => e.metric === 'rows');
  // The folded prefixes' line stays even unchanged: it says that not every prefix is listed.
  const changed = rows.filter(
    (e) => e.delta !== 0 || e.before === null || e.after === null || e.kind === 'kine-folded',
  );
  const lines = [
    describe('Before', diff.before),
    '',
    describe('After', diff.after),
    '',
    '| database | table or kine key prefix | rows before | rows after | change | % | live keys |',
    '|---|---|--:|--:|--:|--:|--:|',
    ...changed.map((e) =>
      [
        '',
        cell(e.database ?? ''),
        subject(e),
        side(e, 'before'),
        side(e, 'after'),
        change(e),
        percent(e),
        live.get(key(e)) ?? '',
        '',
      ]
        .join(' | ')
        .trim(),
    ),
  ];
  const unchanged = rows.length - changed.length;
  if (unchanged > 0) lines.push('', `${unchanged} more table or prefix row counts unchanged.`);
  if (folded.size > 0)
    lines.push(
      '',
      'Each side lists the kine prefixes with the most rows, up to `--max-kine-prefixes`; the others are summed as other prefixes.' +
        (rows.some((e) => e.unknown)
          ? ' A value shown as `≤ n (folded)` is not known: that side does not list the prefix, which may be one of its other prefixes (with at most n), and those are counted in its other prefixes.'
          : ''),
    );
  lines.push('', '| size | before | after | change | % |', '|---|--:|--:|--:|--:|');
  for (const e of diff.sizes.filter((s) => s.kind === 'file' || s.kind === 'database')) {
    const what = e.database === null ? SIZE_LABELS[e.metric] : `${e.database}: ${SIZE_LABELS[e.metric]}`;
    lines.push(
      ['', cell(what ?? e.metric), count(e.before), count(e.after), change(e), percent(e), '']
        .join(' | ')
        .trim(),
    );
  }
  return `${lines.join('\n')}\n`;
}
