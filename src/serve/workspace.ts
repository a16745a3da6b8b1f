import { existsSync } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import type { AnalysisResult, CaseData } from '../types/index.js';
import { HowchainError } from '../errors.js';
import { renderCharts, type RenderedChart } from '../render/charts/index.js';
import { EvidenceStore, type UploadReceipt } from './evidence-store.js';
import { receiveUpload, UploadRejected, type ReceivedFile, type UploadLimits } from './upload.js';

/** The pipeline stages the server drives: ingest, load and analyze a case, render its PIR. */
export interface CaseEngine {
  /** Why the bundle must be refused as a whole (unsafe members, a corrupt archive), or null. */
  screen(bundle: string): Promise<string | null>;
  /** Ingests one bundle into the case at `casePath`; the page loads the case afresh afterwards. */
  ingest(bundle: string, casePath: string): Promise<void>;
  load(casePath: string): CaseData;
  /** Copies the case database to `target` (consistent even if another reader has it open). */
  copyCase(casePath: string, target: string): Promise<void>;
  analyze(data: CaseData): AnalysisResult;
  /** The PIR Markdown, linking the charts as `<chartsDir>/<name>.svg`. */
  renderPir(result: AnalysisResult, chartsDir: string): string;
}

/** What the page shows, computed once per change of the case. */
export interface CaseView {
  uploads: UploadReceipt[];
  data: CaseData;
  /** Null while the case holds no evidence. */
  analysis: AnalysisResult | null;
  markdown: string | null;
  /** Set when analysis or rendering threw: the page shows it instead of the PIR. */
  analysisError: string | null;
  charts: RenderedChart[];
}

/** The relative folder the PIR links charts from; the server answers `/charts/<name>.svg`. */
const chartsLink = 'charts';

function sameFiles(a: ReceivedFile[], b: ReceivedFile[]): boolean {
  return (
    a.length === b.length && a.every((file, i) => file.path === b[i]?.path && file.sha256 === b[i]?.sha256)
  );
}

const emptyCase = (): CaseData => ({
  manifest: [],
  events: [],
  facts: [],
  snapshotReports: [],
  problems: [],
});

/**
 * One case and its uploaded evidence. Uploads are taken one at a time; each is ingested into a copy
 * of the case database that replaces the case (an atomic rename) only when the upload is accepted,
 * so a refused upload leaves the case byte-for-byte as it was.
 */
export class CaseWorkspace {
  readonly evidence: EvidenceStore;
  private queue: Promise<unknown> = Promise.resolve();
  private cached: { key: string; view: CaseView } | null = null;

  constructor(
    readonly casePath: string,
    private readonly engine: CaseEngine,
    readonly limits: UploadLimits,
  ) {
    this.evidence = EvidenceStore.forCase(casePath);
  }

  /** Checks an existing case can be read (so a wrong --case fails at start, not on the first page). */
  async open(): Promise<void> {
    if (existsSync(this.casePath)) {
      try {
        this.engine.load(this.casePath);
      } catch (error) {
        if (error instanceof HowchainError) throw error;
        throw new HowchainError(`cannot read the case: ${(error as Error).message}`, this.casePath);
      }
    }
    await this.evidence.clearIncoming();
  }

  /** Receives, stores and ingests one upload; throws UploadRejected with the reason when refused. */
  addUpload(request: IncomingMessage): Promise<UploadReceipt> {
    const run = this.queue.then(() => this.receiveAndIngest(request));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async receiveAndIngest(request: IncomingMessage): Promise<UploadReceipt> {
    const { id, filesDir } = await this.evidence.begin();
    let receipt: UploadReceipt;
    try {
      const files = await receiveUpload(request, filesDir, this.limits);
      // The same files again would be a second bundle in the case, and every event would count twice.
      const same = (await this.evidence.list()).find((earlier) => sameFiles(earlier.files, files));
      if (same) throw new UploadRejected(`these files were already uploaded as ${same.id}`, 409);
      receipt = await this.evidence.accept(id, files);
    } finally {
      await this.evidence.discardIncoming(id);
    }
    try {
      await this.ingestAtomically(this.evidence.bundlePath(receipt), id);
    } catch (error) {
      await this.evidence.withdraw(id);
      throw error;
    }
    this.cached = null;
    return receipt;
  }

  private async ingestAtomically(bundle: string, id: string): Promise<void> {
    const refusal = await this.engine.screen(bundle);
    if (refusal !== null) throw new UploadRejected(`the bundle is unsafe: ${refusal}`);
    const scratch = `${this.casePath}.upload-${id}`;
    const sidecars = (path: string) => ['-wal', '-shm', '-journal'].map((suffix) => `${path}${suffix}`);
    try {
      if (existsSync(this.casePath)) await this.engine.copyCase(this.casePath, scratch);
      try {
        await this.engine.ingest(bundle, scratch);
      } catch (error) {
        if (!(error instanceof HowchainError)) throw error;
        throw new UploadRejected(`the bundle was refused: ${error.line}`);
      }
      // The copy holds everything (it was read through the case's WAL); a WAL file left beside the
      // old database must not be replayed onto the new one.
      await Promise.all(sidecars(this.casePath).map((path) => rm(path, { force: true })));
      await rename(scratch, this.casePath);
    } finally {
      await Promise.all([scratch, ...sidecars(scratch)].map((path) => rm(path, { force: true })));
    }
  }

  /** The case as the page shows it; recomputed only when the case database or the uploads changed. */
  async view(): Promise<CaseView> {
    const caseStat = await stat(this.casePath).catch(() => null);
    const uploads = await this.evidence.list();
    const key = `${caseStat?.mtimeMs ?? 0}:${caseStat?.size ?? 0}:${uploads.map((u) => u.id).join(',')}`;
    if (this.cached?.key === key) return this.cached.view;
    const data = caseStat ? this.engine.load(this.casePath) : emptyCase();
    let analysis: AnalysisResult | null = null;
    let markdown: string | null = null;
    let analysisError: string | null = null;
    if (data.manifest.length > 0) {
      try {
        analysis = this.engine.analyze(data);
        markdown = this.engine.renderPir(analysis, chartsLink);
      } catch (error) {
        analysisError = error instanceof Error ? error.message : String(error);
      }
    }
    const view: CaseView = {
      uploads,
      data,
      analysis,
      markdown,
      analysisError,
      charts: renderCharts(data, analysis ?? undefined),
    };
    this.cached = { key, view };
    return view;
  }
}
