/**
 * Analysis, end to end: ingest the bundles into a case (src/pipeline/ingest.ts), then analyse the
 * case (src/analyze, which builds the how's chain with src/chain). A case database given as an
 * input (src/pipeline/inputs.ts) is read as it is, or copied and added to when bundles come with it.
 */
import { join, resolve } from 'node:path';
import { analyzeCase, type AnalyzeOptions } from '../analyze/run.js';
import { EvidenceError, UsageError } from '../errors.js';
import { makeScratchDir, removeScratchDir } from '../scratch.js';
import { copyCase, loadCase } from '../store/case-db.js';
import type { AnalysisResult, CaseData } from '../types/index.js';
import { addToCase, ingest } from './ingest.js';
import { caseInputs, unreadInputs, type UnreadInput } from './inputs.js';

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

/**
 * As analyzeBundles, also handing back the case (the charts draw from both) and the inputs that gave
 * nothing to analyse. Throws when no input gave anything: an empty PIR is not a clean one.
 */
export async function ingestAndAnalyze(
  inputs: string[],
  options: AnalyzeBundlesOptions = {},
): Promise<{ data: CaseData; result: AnalysisResult; unread: UnreadInput[] }> {
  const { data, unread } = await readInputs(inputs, options);
  return { data, unread, result: analyzeData(data, { ...options, bundles: inputs }) };
}

/**
 * Analyses a loaded case; the result carries what was set aside as a copy of evidence counted
 * already, so the PIR can say so. The web UI and `analyze <case.db>` call this too.
 */
export function analyzeData(data: CaseData, options: AnalyzeOptions = {}): AnalysisResult {
  return analyzeCase(data, options);
}

/**
 * The case the inputs make: at most one case database, plus bundles ingested into it (into a copy:
 * the given case is evidence of an earlier run and is not changed) or into `casePath`.
 */
export async function readInputs(
  inputs: string[],
  options: AnalyzeBundlesOptions = {},
): Promise<{ data: CaseData; unread: UnreadInput[] }> {
  if (inputs.length === 0) throw new UsageError('name at least one bundle (folder, .tar or .tar.gz) or case');
  const cases = caseInputs(inputs);
  const bundles = inputs.filter((input) => !cases.includes(input));
  if (cases.length > 1)
    throw new UsageError(`name one case database, not ${cases.length}: ${cases.join(', ')}`);
  const givenCase = cases[0];
  const ingestOptions = {
    ...(options.year !== undefined ? { year: options.year } : {}),
    ...(options.tz !== undefined ? { tz: options.tz } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
  let data: CaseData;
  if (givenCase === undefined) {
    data = await ingest(bundles, {
      ...ingestOptions,
      ...(options.casePath !== undefined ? { casePath: options.casePath } : {}),
    });
  } else if (options.casePath !== undefined) {
    throw new UsageError(
      `--case ${options.casePath} with the case ${givenCase} as input: add bundles to a case with \`howchain ingest <bundles> --case ${givenCase}\``,
    );
  } else if (bundles.length === 0) {
    data = loadCase(givenCase);
  } else {
    const scratch = makeScratchDir('case');
    try {
      const copy = join(scratch, 'case.db');
      await copyCase(givenCase, copy);
      await addToCase(copy, bundles, ingestOptions);
      data = loadCase(copy);
    } finally {
      removeScratchDir(scratch);
    }
  }
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
  return { data, unread };
}
