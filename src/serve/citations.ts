/**
 * Every `file:line` the page cites — in the PIR's code spans and in the findings' evidence — made a
 * link to an excerpt of that file: the cited line with EXCERPT_CONTEXT lines around it, read back
 * from the evidence the case recorded (for `serve`, the uploads stored beside the case, never a
 * path the user's machine had), with its sha256 and whether the file is still as ingested.
 */
import { readExcerpts, type Excerpt, type ExcerptRequest } from '../bundle/excerpt.js';
import type { AnalysisResult, ManifestEntry } from '../types/index.js';

/** Excerpts kept for one page: enough for every citation of a PIR, bounded for a huge one. */
const MAX_CITATIONS = 400;

export interface Citation {
  /** The element id of the excerpt (`ev-3`). */
  id: string;
  file: string;
  line: number;
  excerpt: Excerpt;
}

export interface CitationIndex {
  /** `#ev-3` for a cited file and line, or null when it is not one of the excerpts. */
  link(file: string, line: number): string | null;
  /** The same for a code span's text (`kubectl/nodes.json:56`). */
  linkText(text: string): string | null;
  all: Citation[];
}

const CODE_SPAN_CITATION = /`([^`\n]+?):(\d+)`/g;

export const noCitations: CitationIndex = { link: () => null, linkText: () => null, all: [] };

function splitCitation(text: string): { file: string; line: number } | null {
  const match = /^(.+):(\d+)$/.exec(text);
  return match ? { file: match[1]!, line: Number(match[2]) } : null;
}

/** Finds the cited lines, reads their excerpts (one walk per bundle) and indexes them. */
export async function collectCitations(
  analysis: AnalysisResult,
  markdown: string | null,
  manifest: ManifestEntry[],
): Promise<CitationIndex> {
  const entries = new Map<string, ManifestEntry>();
  for (const entry of manifest) if (!entries.has(entry.path)) entries.set(entry.path, entry);
  const cited: { file: string; line: number }[] = [];
  const seen = new Set<string>();
  const add = (file: string, line: number) => {
    const key = `${file}:${line}`;
    if (seen.has(key) || !entries.has(file) || cited.length >= MAX_CITATIONS) return;
    seen.add(key);
    cited.push({ file, line });
  };
  for (const match of (markdown ?? '').matchAll(CODE_SPAN_CITATION)) add(match[1]!, Number(match[2]));
  for (const finding of analysis.findings)
    for (const ref of finding.evidence) if (ref.line !== undefined) add(ref.file, ref.line);

  const requests = new Map<string, Map<string, ExcerptRequest>>();
  for (const { file, line } of cited) {
    const entry = entries.get(file)!;
    const forBundle = requests.get(entry.bundle) ?? new Map<string, ExcerptRequest>();
    const request = forBundle.get(file) ?? {
      bundle: entry.bundle,
      path: file,
      sha256: entry.sha256,
      lines: [],
    };
    request.lines.push(line);
    forBundle.set(file, request);
    requests.set(entry.bundle, forBundle);
  }
  const excerpts = new Map<string, Excerpt>();
  for (const [bundle, files] of requests)
    for (const excerpt of await readExcerpts(bundle, [...files.values()]))
      excerpts.set(excerpt.path, excerpt);

  const all = cited.map(({ file, line }, index) => ({
    id: `ev-${index + 1}`,
    file,
    line,
    excerpt: excerpts.get(file)!,
  }));
  const byKey = new Map(all.map((citation) => [`${citation.file}:${citation.line}`, citation]));
  const link = (file: string, line: number) => {
    const citation = byKey.get(`${file}:${line}`);
    return citation ? `#${citation.id}` : null;
  };
  return {
    all,
    link,
    linkText: (text) => {
      const parts = splitCitation(text);
      return parts ? link(parts.file, parts.line) : null;
    },
  };
}
