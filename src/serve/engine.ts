import type { Limits } from '../limits.js';
import type { CaseEngine } from './workspace.js';

/**
 * Walks a bundle with ingest's own reader (the same path, link, type, size and decompression-ratio
 * checks) and lists every member it would skip as unsafe, plus archive-level failures (truncated or
 * corrupt gzip/tar, decompression bomb). `ingest` records these and goes on; an upload is refused
 * whole instead, so the case never holds half an upload.
 */
async function unsafeMembers(bundle: string, limits: Partial<Limits>): Promise<string[]> {
  const { openBundle } = await import('../bundle/source.js');
  const { DEFAULT_BUNDLE_LIMITS } = await import('../bundle/safety.js');
  const walk = await openBundle(bundle, { ...DEFAULT_BUNDLE_LIMITS, ...limits });
  const problems: string[] = [];
  try {
    for await (const member of walk.members) {
      if (member.kind === 'problem') {
        // Ingest would skip the member and go on ("; skipped"); here it refuses the upload instead.
        const problem = member.problem.replace(/; (skipped|not followed|not read)$/, '');
        problems.push(member.path === '' ? `the archive: ${problem}` : `${member.path}: ${problem}`);
      } else if (member.kind === 'file') {
        try {
          for await (const chunk of member.stream) void chunk;
        } catch (error) {
          // A member cut off by a corrupt archive: the walk goes on to report the archive's own problem.
          problems.push(`${member.path}: cannot be read (${(error as Error).message})`);
        }
      }
    }
  } catch (error) {
    problems.push(`the archive: ${(error as Error).message}`);
  }
  // A broken archive is the cause of its members' read errors: name it first.
  const archive = problems.filter((p) => p.startsWith('the archive: '));
  return [...archive, ...problems.filter((p) => !archive.includes(p))];
}

/** The analysis options `serve` shares with `analyze` (--tz, --year, --template, --renew-deadline, …). */
export interface EngineOptions {
  year?: number;
  tz?: string;
  renewDeadlineSeconds?: number;
  seed?: number;
  permutations?: number;
  /** Folder with pir.md.hbs and/or partials/*.hbs. */
  templateDir?: string;
  /** Limits other than the defaults, for screening and ingesting uploads (src/limits.ts). */
  limits?: Partial<Limits>;
}

/** The real pipeline: ingest (src/pipeline), the case store (src/store), analyze and the PIR renderer. */
export async function pipelineEngine(options: EngineOptions = {}): Promise<CaseEngine> {
  const [{ addToCase }, caseDb, { analyzeData, detachAnalysis }, { renderPir }, inputs] = await Promise.all([
    import('../pipeline/ingest.js'),
    import('../store/case-db.js'),
    import('../pipeline/analyze.js'),
    import('../render/pir.js'),
    import('../pipeline/inputs.js'),
  ]);
  const time = {
    ...(options.year !== undefined ? { year: options.year } : {}),
    ...(options.tz !== undefined ? { tz: options.tz } : {}),
  };
  const analysis = {
    ...(options.renewDeadlineSeconds !== undefined
      ? { renewDeadlineSeconds: options.renewDeadlineSeconds }
      : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.permutations !== undefined ? { permutations: options.permutations } : {}),
  };
  return {
    screen: async (bundle) => {
      const problems = await unsafeMembers(bundle, options.limits ?? {});
      if (problems.length === 0) return null;
      const shown = problems.slice(0, 3).join('; ');
      return problems.length > 3 ? `${shown}; and ${problems.length - 3} more` : shown;
    },
    isCase: (path) => inputs.sqliteKind(path)?.kind === 'case',
    ingest: (bundle, casePath) =>
      addToCase(casePath, [bundle], { ...time, ...(options.limits ? { limits: options.limits } : {}) }),
    assess: (casePath, bundle) => {
      const summary = caseDb.bundleSummary(casePath, bundle);
      return {
        counted: summary.manifest.length,
        copiesOf: [...new Set(summary.setAside.map((file) => file.sameAs.bundle))],
        unread: inputs.unreadProblem(summary.manifest, summary.setAside.length, summary.events > 0),
      };
    },
    remove: async (bundle, casePath) => caseDb.removeBundle(casePath, bundle),
    open: (casePath) => caseDb.openCaseReader(casePath),
    copyCase: caseDb.copyCase,
    // The page is cached after the case closes.
    analyze: (data) => detachAnalysis(analyzeData(data, analysis)),
    renderPir: (result, chartsDir) =>
      renderPir(result, { chartsDir, ...(options.templateDir ? { templateDir: options.templateDir } : {}) }),
  };
}
