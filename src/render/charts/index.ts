import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { replaceFile } from '../../paths.js';
import type { AnalysisResult, CaseData } from '../../types/index.js';
import { chartData, type ChartData } from './data.js';
import { snapshotTimeline } from './snapshot-timeline.js';
import { snapshotSize } from './snapshot-size.js';
import { restartsPerController } from './restarts.js';

export { chartData, type ChartData } from './data.js';

/** One picture: a pure function from chart data to a standalone SVG document. */
export interface Chart {
  /** File name without `.svg`, also the URL segment in `howchain serve`. */
  name: string;
  title: string;
  render(data: ChartData): string;
}

/** Every chart, in the order pages and PIRs show them. test/render/charts/index.test.ts checks every file is listed. */
export const charts: readonly Chart[] = [snapshotTimeline, snapshotSize, restartsPerController];

export interface RenderedChart {
  name: string;
  title: string;
  /** `<name>.svg` */
  file: string;
  svg: string;
}

/** Every chart for a case; pass the analysis so the timeline shows the correlation's own points and window. */
export function renderCharts(
  data: CaseData,
  analysis?: Pick<AnalysisResult, 'correlation'>,
): RenderedChart[] {
  const input = chartData(data, analysis);
  return charts.map((chart) => ({
    name: chart.name,
    title: chart.title,
    file: `${chart.name}.svg`,
    svg: chart.render(input),
  }));
}

/**
 * Writes every chart as `<dir>/<name>.svg` (creating `dir`) and returns what it wrote, so a PIR can
 * link the files. Callers keep `dir` away from the evidence; `analyze --charts` checks that.
 */
export async function writeCharts(
  data: CaseData,
  dir: string,
  analysis?: Pick<AnalysisResult, 'correlation'>,
): Promise<RenderedChart[]> {
  const rendered = renderCharts(data, analysis);
  await mkdir(dir, { recursive: true });
  // Replaced, not written into: a chart file that is also another file's name must not change it.
  for (const chart of rendered) replaceFile(join(dir, chart.file), chart.svg);
  return rendered;
}
