/**
 * Analysis, end to end: ingest the bundles into a case (src/pipeline/ingest.ts), then analyse the
 * case (src/analyze, which builds the how's chain with src/chain).
 */
import { analyzeCase, type AnalyzeOptions } from '../analyze/run.js';
import type { AnalysisResult, CaseData } from '../types/index.js';
import { ingest } from './ingest.js';

export interface AnalyzeBundlesOptions extends AnalyzeOptions {
  /** Keep the ingested case in this SQLite file (default: a temporary case, removed afterwards). */
  casePath?: string;
  /** --year / --tz for year- and zone-less log lines. */
  year?: number;
  tz?: string;
}

/** Ingests the bundles (into `casePath`, or a temporary case) and analyses them. */
export async function analyzeBundles(
  bundles: string[],
  options: AnalyzeBundlesOptions = {},
): Promise<AnalysisResult> {
  return (await ingestAndAnalyze(bundles, options)).result;
}

/** As analyzeBundles, also handing back the ingested case (the charts draw from both). */
export async function ingestAndAnalyze(
  bundles: string[],
  options: AnalyzeBundlesOptions = {},
): Promise<{ data: CaseData; result: AnalysisResult }> {
  const data = await ingest(bundles, {
    ...(options.casePath !== undefined ? { casePath: options.casePath } : {}),
    ...(options.year !== undefined ? { year: options.year } : {}),
    ...(options.tz !== undefined ? { tz: options.tz } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return { data, result: analyzeCase(data, { ...options, bundles }) };
}
