/**
 * Careless uploads: junk refused with the reason, the same evidence twice refused or set aside, and
 * uploads listed and removed. A real server on the real pipeline, the real sample bundle.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCasePath } from '../../src/cli/commands/serve.js';
import { pipelineEngine } from '../../src/serve/engine.js';
import type { UploadReceipt } from '../../src/serve/evidence-store.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { fingerprint, packSample, postUploads, sampleBundle } from './_evidence.js';

const scratch = mkdtempSync(join(tmpdir(), 'howchain-uploads-'));
const casePath = join(scratch, 'case.db');
const evidenceRoot = join(scratch, 'case.evidence');
let server: RunningServer;
let url: URL;
let sample: string;

beforeAll(async () => {
  mkdirSync(join(scratch, 'inputs'));
  sample = packSample(join(scratch, 'inputs'));
  server = await startServer({
    casePath,
    engine: await pipelineEngine({ permutations: 99 }),
    port: 0,
    log: () => {},
  });
  url = new URL(server.url);
});

afterAll(async () => {
  await server?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const upload = (files: [string, Buffer][]) => postUploads(url, files);

/** Every file of the sample bundle as a browser's folder upload names them: `bundle/<path>`. */
function sampleAsFolder(): [string, Buffer][] {
  return (readdirSync(sampleBundle, { recursive: true, encoding: 'utf8' }) as string[]).flatMap((path) => {
    const full = join(sampleBundle, path);
    try {
      return [[`bundle/${relative(sampleBundle, full)}`, readFileSync(full)] as [string, Buffer]];
    } catch {
      return []; // a folder
    }
  });
}

const caseState = () => fingerprint(evidenceRoot, [casePath]);
const uploads = async () =>
  ((await (await fetch(new URL('/api/uploads', url))).json()) as { uploads: UploadReceipt[] }).uploads;

describe('junk uploads are refused with the reason, and the case stays as it was', () => {
  const caseDb = join(scratch, 'kept-case.db');
  beforeAll(async () => {
    await ingest([join(sampleBundle, 'kubectl')], { casePath: caseDb });
  });

  it.each([
    [
      'an empty file',
      () => [['notes.log', Buffer.alloc(0)]],
      415,
      'notes.log is empty (0 bytes): nothing to analyse',
    ],
    [
      'a 0-byte .tar.gz',
      () => [['inspection-report.tar.gz', Buffer.alloc(0)]],
      415,
      'inspection-report.tar.gz is empty (0 bytes): nothing to analyse',
    ],
    [
      'a text file with nothing in it howchain reads',
      () => [['shopping.txt', Buffer.from('milk\neggs\ncoffee\n')]],
      415,
      'nothing howchain reads in it (1 file of type text, no events); see docs/formats.md',
    ],
    [
      'random binary',
      () => [['dump.bin', randomBytes(64 * 1024)]],
      415,
      'nothing howchain reads in it (1 file of type unknown, no events); see docs/formats.md',
    ],
    [
      'a howchain case database',
      () => [['kept-case.db', readFileSync(caseDb)]],
      415,
      'kept-case.db is a howchain case database, not evidence: open it with howchain serve --case kept-case.db',
    ],
  ] as [string, () => [string, Buffer][], number, string][])('%s', async (_what, files, status, message) => {
    const before = caseState();
    const response = await upload(files());
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: string }).error).toBe(message);
    expect(caseState()).toEqual(before);
  });
});

describe('the same evidence twice', () => {
  let first: UploadReceipt;

  it('a folder upload is read as the folder: it cites the same paths as the CLI', async () => {
    const response = await upload(sampleAsFolder());
    expect(response.status).toBe(201);
    first = (await response.json()) as UploadReceipt;
    expect(first.bundle).toBe('bundle/bundle');
    const analysis = (await (await fetch(new URL('/api/analysis', url))).json()) as {
      manifest: { path: string }[];
    };
    expect(analysis.manifest.map((entry) => entry.path)).toContain('kubectl/pods.json');
  });

  it('its tar.gz afterwards is refused: every file is already in the case', async () => {
    const before = caseState();
    const response = await upload([['sample.tar.gz', readFileSync(sample)]]);
    expect(response.status).toBe(409);
    expect(((await response.json()) as { error: string }).error).toBe(
      `every file in it is already in the case (same name and sha256), uploaded as ${first.id}; it would count the same evidence twice`,
    );
    expect(caseState()).toEqual(before);
  });

  it('a bundle with some copies and something new is taken, the copies set aside and named on the page', async () => {
    const response = await upload([
      ['more/kubectl/pods.json', readFileSync(join(sampleBundle, 'kubectl/pods.json'))],
      [
        'more/logs/csi.log',
        Buffer.from(
          'I0402 09:12:33.223456       1 leaderelection.go:285] failed to renew lease kube-system/csi-nfs: timed out waiting for the condition\n',
        ),
      ],
    ]);
    expect(response.status).toBe(201);
    const page = await (await fetch(url)).text();
    expect(page).toContain('Set aside: the same evidence given twice');
    expect(page).toMatch(
      /more: 1 file set aside, copies of files of [^<]*bundle\/bundle \(same name and sha256\); not counted again/,
    );
  });
});

describe('uploads are listed and removed', () => {
  it('GET /api/uploads lists them; DELETE removes one from the case and its stored files', async () => {
    const listed = await uploads();
    expect(listed).toHaveLength(2);
    const [folder, more] = listed as [UploadReceipt, UploadReceipt];
    const countsBefore = (
      (await (await fetch(new URL('/api/analysis', url))).json()) as { eventCounts: Record<string, number> }
    ).eventCounts;

    const removed = await fetch(new URL(`/api/uploads/${more.id}`, url), { method: 'DELETE' });
    expect(removed.status).toBe(200);
    expect(await removed.json()).toEqual({ removed: more.id });
    expect((await uploads()).map((u) => u.id)).toEqual([folder.id]);
    expect(existsSync(join(evidenceRoot, more.id))).toBe(false);
    const after = (await (await fetch(new URL('/api/analysis', url))).json()) as {
      eventCounts: Record<string, number>;
      manifest: { bundle: string }[];
    };
    expect(after.eventCounts.lease_renew_failure).toBe(countsBefore.lease_renew_failure! - 1);
    expect(new Set(after.manifest.map((entry) => entry.bundle))).toEqual(
      new Set([join(evidenceRoot, folder.id, 'bundle', 'bundle')]),
    );

    expect((await fetch(new URL(`/api/uploads/${more.id}`, url), { method: 'DELETE' })).status).toBe(404);
    expect(
      (
        await fetch(new URL(`/api/uploads/${folder.id}`, url), {
          method: 'DELETE',
          headers: { origin: 'http://evil.example' },
        })
      ).status,
    ).toBe(403);
  });

  it('the page has a Remove button per upload that works without JavaScript', async () => {
    const [only] = await uploads();
    const page = await (await fetch(url)).text();
    expect(page).toContain(
      `<form class="remove-upload" method="post" action="/api/uploads/${only!.id}/delete">`,
    );
    const posted = await fetch(new URL(`/api/uploads/${only!.id}/delete`, url), {
      method: 'POST',
      redirect: 'manual',
    });
    expect(posted.status).toBe(303);
    expect(posted.headers.get('location')).toBe('/#upload');
    expect(await uploads()).toEqual([]);
    expect((await (await fetch(new URL('/api/analysis', url))).json()) as object).toEqual({
      error: 'the case holds no evidence yet',
    });
  });
});

describe('the default case', () => {
  it('lives in the user’s data folder, never the working folder', () => {
    expect(defaultCasePath({ XDG_DATA_HOME: '/data/me' })).toBe('/data/me/howchain/case.db');
    expect(defaultCasePath({ HOME: '/home/me' })).toMatch(/\/\.local\/share\/howchain\/case\.db$/);
    // The XDG spec: a relative XDG_DATA_HOME is invalid and ignored.
    expect(defaultCasePath({ XDG_DATA_HOME: 'data' })).toMatch(/\/\.local\/share\/howchain\/case\.db$/);
  });
});
