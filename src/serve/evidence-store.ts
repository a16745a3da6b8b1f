import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { commonTopFolder } from '../bundle/source.js';
import type { ReceivedFile } from './upload.js';

/** What `howchain serve` recorded about one accepted upload (`<upload>/receipt.json`). */
export interface UploadReceipt {
  id: string;
  /** ISO-8601 UTC time the last byte arrived. */
  receivedAt: string;
  /** The path handed to ingest: the upload's single archive, or its folder of files. */
  bundle: string;
  files: ReceivedFile[];
  totalBytes: number;
}

const archiveName = /\.(tar|tar\.gz|tgz)$/i;
const idPattern = /^\d{8}T\d{6}Z-[0-9a-f]{8}$/;

/**
 * What ingest reads of an upload: its single archive; else the one folder every file is in (a
 * browser's folder upload names each file `<folder>/…`), so a folder, its tarball and the CLI all
 * cite `kubectl/pods.txt`, not `bundle/kubectl/pods.txt`; else the upload's folder of loose files.
 */
export function bundleOf(files: ReceivedFile[]): string {
  const only = files.length === 1 ? files[0]! : null;
  if (only && archiveName.test(only.path)) return `bundle/${only.path}`;
  const top = commonTopFolder(files.map((file) => file.path));
  return top ? `bundle/${top.slice(0, -1)}` : 'bundle';
}

/**
 * Uploaded evidence lives beside the case database, one folder per upload:
 * `<case>.evidence/<id>/bundle/…` (the files as received, read-only) and `<id>/receipt.json`.
 * Uploads arrive in `.incoming/<id>` and are renamed into place only once accepted, so a refused or
 * interrupted upload never appears among the evidence, and an accepted one is never overwritten.
 */
export class EvidenceStore {
  readonly incoming: string;

  constructor(readonly root: string) {
    this.incoming = join(root, '.incoming');
  }

  /** `case.db` → `case.evidence/` next to it. */
  static forCase(casePath: string): EvidenceStore {
    return new EvidenceStore(
      join(dirname(casePath), `${basename(casePath).replace(/\.(db|sqlite3?)$/i, '')}.evidence`),
    );
  }

  /** Removes uploads a previous run left half-received (only inside `.incoming`, which is ours). */
  async clearIncoming(): Promise<void> {
    await rm(this.incoming, { recursive: true, force: true });
  }

  /** A new, empty folder for an upload's files, and its id. */
  async begin(): Promise<{ id: string; filesDir: string }> {
    const now = new Date()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z');
    const id = `${now}-${randomBytes(4).toString('hex')}`;
    const filesDir = join(this.incoming, id, 'bundle');
    await mkdir(join(this.incoming, id), { recursive: true });
    await mkdir(filesDir);
    return { id, filesDir };
  }

  /** Moves an upload from `.incoming` into the evidence and writes its receipt; returns it. */
  async accept(id: string, files: ReceivedFile[]): Promise<UploadReceipt> {
    const target = this.uploadDir(id);
    // rename(2) would silently replace an empty directory: make sure nothing is there at all.
    const existing = await lstat(target).catch(() => null);
    if (existing) throw new Error(`upload folder ${target} already exists`);
    const receipt: UploadReceipt = {
      id,
      receivedAt: new Date().toISOString(),
      bundle: bundleOf(files),
      files,
      totalBytes: files.reduce((sum, f) => sum + f.bytes, 0),
    };
    await writeFile(join(this.incoming, id, 'receipt.json'), `${JSON.stringify(receipt, null, 2)}\n`, {
      flag: 'wx',
      mode: 0o444,
    });
    await mkdir(this.root, { recursive: true });
    await rename(join(this.incoming, id), target);
    return receipt;
  }

  /** Drops an upload still in `.incoming` (refused before it was accepted). */
  async discardIncoming(id: string): Promise<void> {
    if (!idPattern.test(id)) return;
    await rm(join(this.incoming, id), { recursive: true, force: true });
  }

  /** Takes back an accepted upload whose ingest failed, so the evidence matches the case again. */
  async withdraw(id: string): Promise<void> {
    if (!idPattern.test(id)) return;
    await rm(this.uploadDir(id), { recursive: true, force: true });
  }

  uploadDir(id: string): string {
    if (!idPattern.test(id)) throw new Error(`not an upload id: ${id}`);
    return join(this.root, id);
  }

  bundlePath(receipt: UploadReceipt): string {
    return join(this.uploadDir(receipt.id), receipt.bundle);
  }

  /** Accepted uploads, oldest first (ids have whole seconds only, so order by arrival time). */
  async list(): Promise<UploadReceipt[]> {
    const names = await readdir(this.root).catch(() => [] as string[]);
    const receipts: UploadReceipt[] = [];
    for (const name of names.filter((n) => idPattern.test(n))) {
      const text = await readFile(join(this.root, name, 'receipt.json'), 'utf8').catch(() => null);
      if (text !== null) receipts.push(JSON.parse(text) as UploadReceipt);
    }
    return receipts.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.id.localeCompare(b.id));
  }
}
