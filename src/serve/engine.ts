import Database from 'better-sqlite3';
import type { CaseEngine } from './workspace.js';

/**
 * Walks a bundle with ingest's own reader (the same path, link, type, size and decompression-ratio
 * checks) and lists every member it would skip as unsafe, plus archive-level failures (truncated or
 * corrupt gzip/tar, decompression bomb). `ingest` records these and goes on; an upload is refused
 * whole instead, so the case never holds half an upload.
 */
async function unsafeMembers(bundle: string): Promise<string[]> {
  const { openBundle } = await import('../bundle/source.js');
  const { DEFAULT_BUNDLE_LIMITS } = await import('../bundle/safety.js');
  const walk = await openBundle(bundle, DEFAULT_BUNDLE_LIMITS);
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

/** The real pipeline: ingest (src/pipeline), the case store (src/store), analyze and the PIR renderer. */
export async function pipelineEngine(): Promise<CaseEngine> {
  const [{ addToCase }, { loadCase }, { analyzeData }, { renderPir }] = await Promise.all([
    import('../pipeline/ingest.js'),
    import('../store/case-db.js'),
    import('../pipeline/analyze.js'),
    import('../render/pir.js'),
  ]);
  return {
    screen: async (bundle) => {
      const problems = await unsafeMembers(bundle);
      if (problems.length === 0) return null;
      const shown = problems.slice(0, 3).join('; ');
      return problems.length > 3 ? `${shown}; and ${problems.length - 3} more` : shown;
    },
    ingest: (bundle, casePath) => addToCase(casePath, [bundle]),
    load: loadCase,
    copyCase: async (casePath, target) => {
      const db = new Database(casePath, { readonly: true, fileMustExist: true });
      try {
        await db.backup(target);
      } finally {
        db.close();
      }
    },
    analyze: (data) => analyzeData(data),
    renderPir: (result, chartsDir) => renderPir(result, { chartsDir }),
  };
}
