/**
 * `analyze --html`: the web UI's report as one self-contained file — the same sections, the PIR
 * with its charts inline and every cited `file:line` opening its excerpt — for a reader without
 * howchain. The excerpts are read from the inputs as the case recorded them, read-only.
 */
import { UsageError } from '../errors.js';
import { replaceFile } from '../paths.js';
import { renderCharts } from '../render/charts/index.js';
import { renderPir } from '../render/pir.js';
import type { AnalysisResult, CaseData } from '../types/index.js';
import { readAsset } from './assets.js';
import { collectCitations } from './citations.js';
import { renderStaticReport } from './page.js';

export async function htmlReport(
  data: CaseData,
  result: AnalysisResult,
  options: { inputs: string[]; templateDir?: string },
): Promise<string> {
  const markdown = renderPir(result, {
    chartsDir: 'charts',
    ...(options.templateDir ? { templateDir: options.templateDir } : {}),
  });
  const css = (await readAsset('style.css'))!.body.toString('utf8');
  return renderStaticReport(
    {
      uploads: [],
      data,
      analysis: result,
      markdown,
      analysisError: null,
      charts: renderCharts(data, result),
      citations: await collectCitations(result, markdown, data.manifest),
    },
    { inputs: options.inputs, css },
  );
}

export async function writeHtmlReport(
  path: string,
  data: CaseData,
  result: AnalysisResult,
  options: { inputs: string[]; templateDir?: string },
): Promise<void> {
  const html = await htmlReport(data, result, options);
  try {
    replaceFile(path, html);
  } catch (error) {
    throw new UsageError(
      `--html ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}
