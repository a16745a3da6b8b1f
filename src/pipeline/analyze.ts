/**
 * Analysis, end to end: ingest the bundles into a case (src/pipeline/ingest.ts), then analyse the
 * case (src/analyze, which builds the how's chain with src/chain). A case database given as an
 * input (src/pipeline/inputs.ts) is read as it is, or copied and added to when bundles come with it.
 */
import { join, resolve } from 'node:path';
import { analyzeCase, detachAnalysis, type AnalyzeOptions } from '../analyze/run.js';
import { EvidenceError, UsageError } from '../errors.js';
import { makeScratchDir, removeScratchDir } from '../scratch.js';
import { copyCase, openCaseReader } from '../store/case-db.js';
import type { AnalysisResult, CaseData } from '../types/index.js';
import { addToCase, type IngestOptions } from './ingest.js';
import { caseInputs, unreadInputs, type UnreadInput } from './inputs.js';

export interface AnalyzeBundlesOptions extends AnalyzeOptions {
  /** Keep the ingested case in this SQLite file (default: a temporary case, removed afterwards). */
  casePath?: string;
  /** --year / --tz for year- and zone-less log lines. */
  year?: number;
  tz?: string;
  /** Limits other than the defaults, for the bundles ingested (src/limits.ts). */
  limits?: IngestOptions['limits'];
}

/** Ingests the bundles (into `casePath`, or a temporary case) and analyses them; the result outlives the case. */
export async function analyzeBundles(
  bundles: string[],
  options: AnalyzeBundlesOptions = {},
): Promise<AnalysisResult> {
  const analyzed = await ingestAndAnalyze(bundles, options);
  try {
    return detachAnalysis(analyzed.result);
  } finally {
    analyzed.close();
  }
}

/**
 * As analyzeBundles, also handing back the case (the charts draw from both) and the inputs that gave
 * nothing to analyse. Throws when no input gave anything: an empty PIR is not a clean one. The case
 * stays open (its events' messages, and the result's quotes of lease failures, are read on demand)
 * until `close`.
 */
export async function ingestAndAnalyze(
  inputs: string[],
  options: AnalyzeBundlesOptions = {},
): Promise<{ data: CaseData; result: AnalysisResult; unread: UnreadInput[]; close: () => void }> {
  const opened = await readInputs(inputs, options);
  try {
    return { ...opened, result: analyzeData(opened.data, { ...options, bundles: inputs }) };
  } catch (error) {
    opened.close();
    throw error;
  }
}

/**
 * Analyses a loaded case; the result carries what was set aside as a copy of evidence counted
 * already, so the PIR can say so. The web UI and `analyze <case.db>` call this too.
 */
export function analyzeData(data: CaseData, options: AnalyzeOptions = {}): AnalysisResult {
  return analyzeCase(data, options);
}

export { detachAnalysis };

/**
 * The case the inputs make: at most one case database, plus bundles ingested into it (into a copy:
 * the given case is evidence of an earlier run and is not changed) or into `casePath`, or into a
 * temporary case. It is read with messages on demand (openCaseReader) and stays open until `close`,
 * which also removes a temporary case.
 */
export async function readInputs(
  inputs: string[],
  options: AnalyzeBundlesOptions = {},
): Promise<{ data: CaseData; unread: UnreadInput[]; close: () => void }> {
  if (inputs.length === 0) throw new UsageError('name at least one bundle (folder, .tar or .tar.gz) or case');
  const cases = caseInputs(inputs);
  const bundles = inputs.filter((input) => !cases.includes(input));
  if (cases.length > 1)
    throw new UsageError(`name one case database, not ${cases.length}: ${cases.join(', ')}`);
  const givenCase = cases[0];
  if (givenCase !== undefined && options.casePath !== undefined)
    throw new UsageError(
      `--case ${options.casePath} with the case ${givenCase} as input: add bundles to a case with \`howchain ingest <bundles> --case ${givenCase}\``,
    );
  const ingestOptions = {
    ...(options.year !== undefined ? { year: options.year } : {}),
    ...(options.tz !== undefined ? { tz: options.tz } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
  };
  // The case read: the given one as it is, else a kept or temporary one the bundles go into.
  const givenAsItIs = givenCase !== undefined && bundles.length === 0;
  const scratch = givenAsItIs || options.casePath ? null : makeScratchDir('case');
  let reader: { data: CaseData; close: () => void } | null = null;
  const close = () => {
    reader?.close();
    if (scratch) removeScratchDir(scratch);
  };
  try {
    let casePath: string;
    if (givenAsItIs) casePath = givenCase;
    else {
      casePath = options.casePath ?? join(scratch as string, 'case.db');
      if (givenCase !== undefined) await copyCase(givenCase, casePath);
      await addToCase(casePath, bundles, ingestOptions);
    }
    reader = openCaseReader(casePath, options.onProgress);
    const { data } = reader;
    const unread = unreadInputs(
      data,
      bundles.map((bundle) => resolve(bundle)),
    );
    if (givenCase === undefined && unread.length === bundles.length) {
      const [first] = unread;
      const more = unread.length > 1 ? ` (and ${unread.length - 1} more input(s) with nothing to read)` : '';
      throw new EvidenceError(first!.bundle, `${first!.problem}${more}`);
    }
    if (givenCase !== undefined && data.manifest.length === 0 && (data.setAside ?? []).length === 0)
      throw new EvidenceError(givenCase, 'the case holds no evidence');
    return { data, unread, close };
  } catch (error) {
    close();
    throw error;
  }
}
