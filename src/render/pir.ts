import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { UsageError } from '../errors.js';
import type { AnalysisResult, Finding, HowStep, PodFact } from '../types/index.js';
import { actionItems } from './actions.js';
import { formatBytes } from './format.js';
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

/** The main path of the chain: from the first root, always the first answer that leads on. */
function mainPath(result: AnalysisResult): HowStep[] {
  const steps = new Map(result.chain.steps.map((s) => [s.id, s]));
  const path: HowStep[] = [];
  for (let id: string | null = result.chain.roots[0] ?? null; id && steps.has(id) && path.length < 50;) {
    const step = steps.get(id)!;
    path.push(step);
    id = step.answers.find((a) => a.next)?.next ?? null;
  }
  return path;
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

/** What the templates see: the analysis plus values derived for display. */
function pirView(result: AnalysisResult, options: RenderOptions = {}) {
  const found = result.findings.filter((f) => f.status === 'found');
  const byId = new Map(found.map((f) => [f.id, f]));
  const path = mainPath(result);
  const answersLeadingOn = (step: HowStep) =>
    step.answers.filter((a) => a.kind === 'answer' && a.next !== null);
  const pathFindings = path
    .flatMap((s) => answersLeadingOn(s).flatMap((a) => a.findings))
    .flatMap((id) => byId.get(id) ?? []);
  const symptom = pathFindings[0];
  const deepest = pathFindings[pathFindings.length - 1];
  const dated = result.timeline.map((t) => t.ts).sort();
  const crash = byId.get('crashloop');
  const crashPods =
    (crash?.data.pods as
      | (Pick<PodFact, 'namespace' | 'name' | 'restarts' | 'waitingReason' | 'node'> & { workload: string })[]
      | undefined) ?? [];
  const c = result.correlation;
  const questionOf = new Map(result.chain.steps.map((s) => [s.id, s.question]));
  return {
    ...result,
    title: !symptom
      ? 'TODO(author): title'
      : deepest && deepest !== symptom
        ? `${symptom.title}, traced to: ${deepest.title}`
        : symptom.title,
    evidenceSpan: dated.length ? { start: dated[0], end: dated[dated.length - 1] } : null,
    files: result.manifest.length,
    summary: path.flatMap((s) => answersLeadingOn(s).slice(0, 1)).map((a) => a.text),
    lastStep: path[path.length - 1] ?? null,
    found,
    failed: result.findings.filter((f) => f.status === 'failed'),
    crashPods,
    correlationView: {
      ...c,
      lagHistogram: lagHistogram(c),
    },
    mermaid: mermaidTimeline(c),
    snapshotDiffMarkdown: result.snapshotDiff ? renderSnapshotDiffMarkdown(result.snapshotDiff) : null,
    actions: actionItems(result.findings),
    environment: environment(result.findings),
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

function environment(findings: Finding[]): { label: string; value: string }[] {
  const out: { label: string; value: string }[] = [];
  const get = (id: string) => findings.find((f) => f.id === id && f.status === 'found');
  const calico = get('ipam-gc-disabled');
  if (calico?.data.version)
    out.push({ label: 'Calico kube-controllers', value: String(calico.data.version) });
  if (calico?.data.enabledControllers)
    out.push({ label: 'ENABLED_CONTROLLERS', value: String(calico.data.enabledControllers) });
  const storm = get('snapshot-storm');
  if (storm) {
    out.push({ label: 'dqlite snapshots in the record', value: String(storm.data.snapshots) });
    if (typeof storm.data.medianBytes === 'number')
      out.push({ label: 'median snapshot size', value: formatBytes(storm.data.medianBytes) });
    out.push({
      label: 'median interval between snapshots',
      value: `${Number(storm.data.medianIntervalSeconds).toFixed(0)} s`,
    });
  }
  const ipam = get('ipam-handle-buildup');
  if (ipam) out.push({ label: 'IPAM handles', value: Number(ipam.data.handles).toLocaleString('en-US') });
  return out;
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
