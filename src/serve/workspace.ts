import { existsSync } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { AnalysisResult, CaseData } from '../types/index.js';
import { HowchainError } from '../errors.js';
import { renderCharts, type RenderedChart } from '../render/charts/index.js';
import { EventTable } from '../store/event-table.js';
import { collectCitations, noCitations, type CitationIndex } from './citations.js';
import { EvidenceStore, type UploadReceipt } from './evidence-store.js';
import { receiveUpload, UploadRejected, type ReceivedFile, type UploadLimits } from './upload.js';

/** The pipeline stages the server drives: ingest, open and analyze a case, render its PIR. */
export interface CaseEngine {
  /** Why the bundle must be refused as a whole (unsafe members, a corrupt archive), or null. */
  screen(bundle: string): Promise<string | null>;
  /** Whether a file is a howchain case database (recognised by its schema): not evidence to upload. */
  isCase(path: string): boolean;
  /** Ingests one bundle into the case at `casePath`; the page loads the case afresh afterwards. */
  ingest(bundle: string, casePath: string): Promise<void>;
  /**
   * What a bundle just ingested into `casePath` added: files counted, the bundles its other files
   * are copies of (set aside), and why nothing in it could be read (null when something could).
   */
  assess(casePath: string, bundle: string): { counted: number; copiesOf: string[]; unread: string | null };
  /** Takes every row a bundle brought out of the case at `casePath`. */
  remove(bundle: string, casePath: string): Promise<void>;
  /**
   * Opens the case for reading: its events' messages stay in the file until read, so `close` once
   * the analysis and the page are made (what the page keeps of `data` reads no message).
   */
  open(casePath: string): { data: CaseData; close: () => void };
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
  /** The cited `file:line`s with their excerpts, read from the stored evidence. */
  citations: CitationIndex;
}

/** SQLite's files beside a database. */
const sidecars = (path: string) => ['-wal', '-shm', '-journal'].map((suffix) => `${path}${suffix}`);

/** The relative folder the PIR links charts from; the server answers `/charts/<name>.svg`. */
const chartsLink = 'charts';

function sameFiles(a: ReceivedFile[], b: ReceivedFile[]): boolean {
  return (
    a.length === b.length && a.every((file, i) => file.path === b[i]?.path && file.sha256 === b[i]?.sha256)
  );
}

const emptyCase = (): CaseData => ({
  manifest: [],
  events: EventTable.from([]),
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
        this.engine.open(this.casePath).close();
      } catch (error) {
        if (error instanceof HowchainError) throw error;
        throw new HowchainError(`cannot read the case: ${(error as Error).message}`, this.casePath);
      }
    }
    await this.evidence.clearIncoming();
  }

  /**
   * Receives, stores and ingests one upload; throws UploadRejected with the reason when refused.
   * Receiving runs beside other uploads (a slow sender holds up nobody); only accepting and
   * ingesting take turns, one upload at a time.
   */
  async addUpload(request: IncomingMessage): Promise<UploadReceipt> {
    const incoming = await this.receive(request);
    const run = this.queue.then(() => this.acceptAndIngest(incoming));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async receive(request: IncomingMessage): Promise<{ id: string; files: ReceivedFile[] }> {
    const { id, filesDir } = await this.evidence.begin();
    try {
      const files = await receiveUpload(request, filesDir, this.limits);
      this.refuseJunk(files, filesDir);
      return { id, files };
    } catch (error) {
      // Half-written files of a refused or broken-off upload go at once.
      await this.evidence.discardIncoming(id);
      throw error;
    }
  }

  private async acceptAndIngest({
    id,
    files,
  }: {
    id: string;
    files: ReceivedFile[];
  }): Promise<UploadReceipt> {
    let receipt: UploadReceipt;
    try {
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
    try {
      if (existsSync(this.casePath)) await this.engine.copyCase(this.casePath, scratch);
      try {
        await this.engine.ingest(bundle, scratch);
      } catch (error) {
        if (!(error instanceof HowchainError)) throw error;
        throw new UploadRejected(`the bundle was refused: ${error.line}`);
      }
      await this.refuseNothingNew(scratch, bundle);
      this.refuseUnanalysable(scratch);
      // The copy holds everything (it was read through the case's WAL); a WAL file left beside the
      // old database must not be replayed onto the new one.
      await Promise.all(sidecars(this.casePath).map((path) => rm(path, { force: true })));
      await rename(scratch, this.casePath);
    } finally {
      await Promise.all([scratch, ...sidecars(scratch)].map((path) => rm(path, { force: true })));
    }
  }

  /**
   * An upload whose case cannot be analysed or rendered is refused before it replaces the case:
   * accepted, it would break every later page load, and survive a restart.
   */
  private refuseUnanalysable(scratch: string): void {
    try {
      const reader = this.engine.open(scratch);
      try {
        this.engine.renderPir(this.engine.analyze(reader.data), chartsLink);
      } finally {
        reader.close();
      }
    } catch (error) {
      const message = (error instanceof HowchainError ? error.line : (error as Error).message).split('\n')[0];
      throw new UploadRejected(`the case could not be analysed with this upload in it (${message})`);
    }
  }

  /**
   * Refuses what cannot be evidence before it is ingested: empty files only (a 0-byte .tar.gz is a
   * failed download, not a bundle), or a howchain case database (it is opened with --case instead).
   */
  private refuseJunk(files: ReceivedFile[], filesDir: string): void {
    if (files.every((file) => file.bytes === 0)) {
      const names = files.map((file) => file.path);
      throw new UploadRejected(
        files.length === 1
          ? `${names[0]} is empty (0 bytes): nothing to analyse`
          : `every file in the upload is empty (0 bytes): ${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}`,
        415,
      );
    }
    const caseFile = files.find((file) => this.engine.isCase(join(filesDir, file.path)));
    if (caseFile)
      throw new UploadRejected(
        `${caseFile.path} is a howchain case database, not evidence: open it with howchain serve --case ${caseFile.path}`,
        415,
      );
  }

  /** Refuses a bundle that adds nothing: nothing in it is read, or every file is already in the case. */
  private async refuseNothingNew(scratchCase: string, bundle: string): Promise<void> {
    const added = this.engine.assess(scratchCase, bundle);
    if (added.counted === 0 && added.copiesOf.length > 0) {
      const uploads = await this.evidence.list();
      const names = added.copiesOf.map(
        (other) => uploads.find((upload) => this.evidence.bundlePath(upload) === other)?.id ?? other,
      );
      throw new UploadRejected(
        `every file in it is already in the case (same name and sha256), uploaded as ${names.join(', ')}; it would count the same evidence twice`,
        409,
      );
    }
    if (added.unread !== null) throw new UploadRejected(added.unread, 415);
  }

  /**
   * Takes an upload out of the case and deletes its stored files; the case is rewritten through a
   * copy and a rename, as for an upload. Returns false when there is no such upload.
   */
  removeUpload(id: string): Promise<boolean> {
    const run = this.queue.then(async () => {
      const receipt = (await this.evidence.list()).find((upload) => upload.id === id);
      if (!receipt) return false;
      if (existsSync(this.casePath)) {
        const scratch = `${this.casePath}.remove-${id}`;
        try {
          await this.engine.copyCase(this.casePath, scratch);
          await this.engine.remove(this.evidence.bundlePath(receipt), scratch);
          await Promise.all(sidecars(this.casePath).map((path) => rm(path, { force: true })));
          await rename(scratch, this.casePath);
        } finally {
          await Promise.all([scratch, ...sidecars(scratch)].map((path) => rm(path, { force: true })));
        }
      }
      await this.evidence.withdraw(id);
      this.cached = null;
      return true;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The case as the page shows it; recomputed only when the case database or the uploads changed. */
  async view(): Promise<CaseView> {
    const caseStat = await stat(this.casePath).catch(() => null);
    const uploads = await this.evidence.list();
    const key = `${caseStat?.mtimeMs ?? 0}:${caseStat?.size ?? 0}:${uploads.map((u) => u.id).join(',')}`;
    if (this.cached?.key === key) return this.cached.view;
    const reader = caseStat ? this.engine.open(this.casePath) : { data: emptyCase(), close: () => {} };
    try {
      const view = await this.compute(reader.data, uploads);
      this.cached = { key, view };
      return view;
    } finally {
      reader.close();
    }
  }

  private async compute(data: CaseData, uploads: UploadReceipt[]): Promise<CaseView> {
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
    return {
      uploads,
      data,
      analysis,
      markdown,
      analysisError,
      charts: renderCharts(data, analysis ?? undefined),
      citations: analysis ? await collectCitations(analysis, markdown, data.manifest) : noCitations,
    };
  }
}
