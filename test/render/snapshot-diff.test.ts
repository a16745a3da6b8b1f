import { describe, expect, it } from 'vitest';
import { renderSnapshotDiffMarkdown } from '../../src/render/snapshot-diff.js';
import type { SnapshotDiff, SnapshotDiffEntry } from '../../src/types/index.js';

function entry(
  partial: Partial<SnapshotDiffEntry> & Pick<SnapshotDiffEntry, 'subject' | 'before' | 'after'>,
): SnapshotDiffEntry {
  const delta = (partial.after ?? 0) - (partial.before ?? 0);
  return {
    database: 'k8s',
    kind: 'kine-prefix',
    metric: 'rows',
    delta,
    percent: partial.before ? Math.round((delta / partial.before) * 1000) / 10 : null,
    ...partial,
  };
}

const diff: SnapshotDiff = {
  before: {
    file: 'backend/snapshot-4-10-100',
    sha256: 'a'.repeat(64),
    term: 4,
    index: 10,
    timestamp: 100,
    wallClock: '2026-04-01T06:08:40.286Z',
  },
  after: {
    file: 'backend/snapshot-4-20-200',
    sha256: 'b'.repeat(64),
    term: 4,
    index: 20,
    timestamp: 200,
    wallClock: null,
  },
  counts: [
    entry({ subject: '/registry/crd.projectcalico.org/ipamhandles/', before: 6071, after: 599 }),
    entry({
      subject: '/registry/crd.projectcalico.org/ipamhandles/',
      metric: 'liveKeys',
      before: 6071,
      after: 599,
    }),
    entry({ subject: 'a|b', kind: 'table', before: null, after: 3 }),
    entry({ subject: '/registry/pods/', before: 25, after: 25 }),
  ],
  sizes: [
    entry({
      database: null,
      subject: '',
      kind: 'file',
      metric: 'fileBytes',
      before: 225_845_840,
      after: 21_983_440,
    }),
    entry({ subject: '', kind: 'database', metric: 'freelistCount', before: 0, after: 0 }),
  ],
};

describe('renderSnapshotDiffMarkdown', () => {
  const markdown = renderSnapshotDiffMarkdown(diff);

  it('renders the row-count table with live keys, escaping pipes and marking new subjects', () => {
    expect(markdown).toContain(
      '| k8s | `/registry/crd.projectcalico.org/ipamhandles/` | 6,071 | 599 | -5,472 | -90.1% | 6,071 → 599 |',
    );
    expect(markdown).toContain('| k8s | table `a\\|b` | – | 3 | +3 | new |  |');
  });

  it('leaves unchanged counts out but says how many', () => {
    expect(markdown).not.toContain('/registry/pods/');
    expect(markdown).toContain('1 more table or prefix row counts unchanged.');
  });

  it('renders sizes and both sides with their anchors', () => {
    expect(markdown).toContain('| snapshot file bytes | 225,845,840 | 21,983,440 | -203,862,400 | -90.3% |');
    expect(markdown).toContain('| k8s: free pages | 0 | 0 | 0 | 0% |');
    expect(markdown).toContain(
      '**Before:** `backend/snapshot-4-10-100` (term 4, index 10, written ≈ 2026-04-01T06:08:40.286Z;',
    );
    expect(markdown).toMatch(
      /\*\*After:\*\* `backend\/snapshot-4-20-200` \(term 4, index 20; sha256 `bbbbbbbbbbbb…`\)/,
    );
  });
});

describe('renderSnapshotDiffMarkdown with hostile names', () => {
  it('database names and key prefixes from the evidence are shown, never interpreted', async () => {
    const { marked } = await import('marked');
    const evil = '<img src=x onerror=alert(1)>`|[x](javascript:y)';
    const markdown = renderSnapshotDiffMarkdown({
      ...diff,
      counts: diff.counts.map((entry) => ({ ...entry, database: evil, subject: `${evil}/` })),
    });
    const html = marked.parse(markdown) as string;
    expect(html).not.toContain('<img');
    expect(html).not.toContain('href=');
  });
});

describe('renderSnapshotDiffMarkdown with folded kine prefixes', () => {
  const folded: SnapshotDiff = {
    ...diff,
    counts: [
      entry({
        subject: '/registry/pods/',
        before: null,
        after: 41,
        delta: null,
        percent: null,
        unknown: 'before',
        atMost: 11,
      }),
      entry({
        subject: '/registry/pods/',
        metric: 'liveKeys',
        before: null,
        after: 29,
        delta: null,
        percent: null,
        unknown: 'before',
        atMost: 11,
      }),
      entry({ subject: '', kind: 'kine-folded', metric: 'prefixes', before: 999_000, after: 999_001 }),
      entry({ subject: '', kind: 'kine-folded', metric: 'rows', before: 999_000, after: 999_000 }),
    ],
  };
  const markdown = renderSnapshotDiffMarkdown(folded);

  it('shows an unknown side as its bound, never as 0 or as absent', () => {
    expect(markdown).toContain(
      '| k8s | `/registry/pods/` | ≤ 11 (folded) | 41 | unknown | unknown | ≤ 11 (folded) → 29 |',
    );
    expect(markdown).toContain('A value shown as `≤ n (folded)` is not known');
  });

  it('keeps the folded prefixes line even when unchanged, and says what was folded', () => {
    expect(markdown).toContain(
      '| k8s | 999,000 → 999,001 other prefixes (not listed) | 999,000 | 999,000 | 0 | 0.0% |  |',
    );
    expect(markdown).toContain('up to `--max-kine-prefixes`; the others are summed as other prefixes.');
    expect(markdown).not.toContain('more table or prefix row counts unchanged');
  });
});
