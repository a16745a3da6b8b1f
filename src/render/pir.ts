import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { UsageError } from '../errors.js';
import type { AnalysisResult } from '../types/index.js';
import { charts } from './charts/index.js';
import { helpers } from './helpers.js';
import { mermaidTimeline } from './mermaid.js';
import { renderSnapshotDiffMarkdown } from './snapshot-diff.js';

export interface RenderOptions {
  /** A team's own templates: `pir.md.hbs` and/or `partials/*.hbs`, each replacing the default of that name. */
  templateDir?: string;
  /** Relative link base of the SVG charts written by `analyze --charts`; links them when given. */
  chartsDir?: string;
}

/** templates/ ships with the package: ../../templates from both src/render and dist/render. */
const DEFAULT_TEMPLATE_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

function readTemplates(dir: string, into: { main: string | null; partials: Map<string, string> }): void {
  const main = join(dir, 'pir.md.hbs');
  if (existsSync(main)) into.main = readFileSync(main, 'utf8');
  const partialsDir = join(dir, 'partials');
  if (!existsSync(partialsDir)) return;
  for (const file of readdirSync(partialsDir).sort()) {
    if (file.endsWith('.hbs'))
      into.partials.set(basename(file, '.hbs'), readFileSync(join(partialsDir, file), 'utf8'));
  }
}

const RANK = { high: 2, medium: 1, low: 0 } as const;

/**
 * The title and summary follow the chain's conclusion: the symptom and the deepest cause reached by
 * links of medium or high confidence. Without such a cause the title says so, and names the
 * strongest observations instead of telling a story the evidence does not support.
 */
function conclusionView(result: AnalysisResult) {
  const found = result.findings.filter((f) => f.status === 'found');
  const byId = new Map(found.map((f) => [f.id, f]));
  const steps = new Map(result.chain.steps.map((s) => [s.id, s]));
  const { path, cause, symptom, also } = result.chain.conclusion;
  const strongest = [...found]
    .sort((a, b) => RANK[b.confidence] - RANK[a.confidence])
    .slice(0, 3)
    .map((f) => ({ title: f.title, claim: f.claim }));
  if (!cause) {
    const seen = symptom ? byId.get(symptom)!.title : null;
    return {
      title: `No root cause established from this evidence${seen ? `: ${seen}` : strongest.length ? `; strongest observations: ${strongest.map((f) => f.title).join('; ')}` : ''}`,
      established: false,
      symptomSeen: symptom !== null,
      summary: symptom ? [byId.get(symptom)!.claim] : [],
      lastStep: symptom ? (steps.get(symptom) ?? null) : null,
      strongest,
    };
  }
  // Each step of the path: the symptom's claim, then the answer that links the next finding to it.
  const summary = [byId.get(path[0]!)!.claim];
  for (let i = 1; i < path.length; i++) {
    const answer = steps.get(path[i - 1]!)?.answers.find((a) => a.next === path[i]);
    if (answer) summary.push(answer.text);
  }
  // Independent problems: each its own symptom and cause, named in the title after the main one.
  const others = also.map((other) => ({
    symptom: byId.get(other.symptom)!.title,
    cause: byId.get(other.cause)!.title,
    claim: byId.get(other.cause)!.claim,
    steps: other.path.length - 1,
  }));
  return {
    title: [
      `${byId.get(symptom!)!.title}, traced to: ${byId.get(cause)!.title}`,
      ...others.map((other) => `also: ${other.symptom}, traced to: ${other.cause}`),
    ].join('; '),
    established: true,
    summary,
    also: others,
    lastStep: steps.get(cause) ?? null,
    strongest,
  };
}

const LAG_EDGES = [0, 2, 4, 6, 8, 10, 20, 60, 120];
const BAR_WIDTH = 30;

/** How long after the latest snapshot write the failures came, in bins, with a text bar per bin. */
export function lagHistogram(correlation: AnalysisResult['correlation']) {
  const lags = correlation.failures.filter((f) => f.inSpan).map((f) => f.lagSeconds);
  const bins = LAG_EDGES.map((from, i) => {
    const to = LAG_EDGES[i + 1] ?? Infinity;
    const count = lags.filter((l) => l !== null && l >= from && l < to).length;
    const label = to === Infinity ? `≥ ${from} s` : `${from}–${to} s`;
    return { label, count, inWindow: to <= correlation.windowSeconds };
  });
  const max = Math.max(1, ...bins.map((b) => b.count));
  return bins.map((b) => ({ ...b, bar: '█'.repeat(Math.round((b.count / max) * BAR_WIDTH)) }));
}

/** Leases listed in the PIR's correlation table. */
const MAX_LEASE_ROWS = 20;

/** What the templates see: the analysis plus values derived for display. */
function pirView(result: AnalysisResult, options: RenderOptions = {}) {
  const found = result.findings.filter((f) => f.status === 'found');
  const dated = result.timeline.map((t) => t.ts).sort();
  const c = result.correlation;
  const questionOf = new Map(result.chain.steps.map((s) => [s.id, s.question]));
  return {
    ...result,
    ...conclusionView(result),
    evidenceSpan: dated.length ? { start: dated[0], end: dated[dated.length - 1] } : null,
    files: result.manifest.length,
    found,
    failed: result.findings.filter((f) => f.status === 'failed'),
    correlationView: {
      ...c,
      lagHistogram: lagHistogram(c),
      // perSubject comes most failures first; a PIR row per lease of thousands helps no reader.
      perSubjectShown: c.perSubject.slice(0, MAX_LEASE_ROWS),
      perSubjectNotShown: Math.max(0, c.perSubject.length - MAX_LEASE_ROWS),
    },
    mermaid: mermaidTimeline(c),
    snapshotDiffMarkdown: result.snapshotDiff ? renderSnapshotDiffMarkdown(result.snapshotDiff) : null,
    charts: options.chartsDir
      ? charts.map((chart) => ({
          title: chart.title,
          path: `${options.chartsDir!.replace(/\/+$/, '')}/${chart.name}.svg`,
        }))
      : [],
    chainGaps: result.chain.gaps.map((g) => ({
      ...g,
      question: questionOf.get(g.step) ?? g.step,
    })),
    chainSteps: result.chain.steps.map((s) => ({
      ...s,
      answers: s.answers.map((a) => ({
        ...a,
        nextQuestion: a.next ? (questionOf.get(a.next) ?? null) : null,
      })),
    })),
  };
}

/** Renders the PIR draft (Markdown) from the analysis. Deterministic: no clock is read. */
export function renderPir(result: AnalysisResult, options: RenderOptions = {}): string {
  const sources = { main: null as string | null, partials: new Map<string, string>() };
  readTemplates(DEFAULT_TEMPLATE_DIR, sources);
  if (options.templateDir) {
    if (!existsSync(options.templateDir))
      throw new UsageError(`--template: no such folder: ${options.templateDir}`);
    readTemplates(options.templateDir, sources);
  }
  if (sources.main === null)
    throw new UsageError(`no pir.md.hbs in ${options.templateDir ?? DEFAULT_TEMPLATE_DIR}`);
  const hbs = Handlebars.create();
  for (const [name, helper] of Object.entries(helpers)) hbs.registerHelper(name, helper);
  for (const [name, source] of sources.partials) hbs.registerPartial(name, source);
  let template: Handlebars.TemplateDelegate;
  try {
    template = hbs.compile(sources.main, { noEscape: true, strict: false });
    const markdown = template(pirView(result, options));
    // Templates are easier to read with blank lines; the output keeps at most one.
    return `${markdown.replace(/\n{3,}/g, '\n\n').trim()}\n`;
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new UsageError(`template error: ${message}`);
  }
}
