import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineEngine } from '../../src/serve/engine.js';
import { hostAllowed, startServer, type RunningServer } from '../../src/serve/server.js';
import { HowchainError } from '../../src/errors.js';
import type { UploadReceipt } from '../../src/serve/evidence-store.js';
import {
  fingerprint,
  packSample,
  packTraversal,
  postUploads,
  sampleBundle,
  sha256,
  truncatedCopy,
} from './_evidence.js';

const scratch = mkdtempSync(join(tmpdir(), 'howchain-serve-'));
const casePath = join(scratch, 'case.db');
const evidenceRoot = join(scratch, 'case.evidence');
const inputs = join(scratch, 'inputs');
let server: RunningServer;
let sample: string;
let url: URL;

beforeAll(async () => {
  mkdirSync(inputs);
  sample = packSample(inputs);
  server = await startServer({
    casePath,
    engine: await pipelineEngine(),
    port: 0,
    maxUploadBytes: 4 * 1024 * 1024,
    log: () => {},
  });
  url = new URL(server.url);
});

afterAll(async () => {
  await server?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** A raw HTTP request: the path is sent exactly as given (fetch would normalise `..` away). */
function raw(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const upload = (files: [string, Buffer][], headers: Record<string, string> = {}) =>
  postUploads(url, files, headers);

const caseState = () => fingerprint(evidenceRoot, [casePath]);

describe('howchain serve, before any evidence', () => {
  it('shows the upload form and says the case is empty', async () => {
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain(
      '<form id="upload-form" action="/api/uploads" method="post" enctype="multipart/form-data">',
    );
    expect(html).toContain('No uploads yet.');
    expect((await fetch(new URL('/api/pir.md', url))).status).toBe(404);
  });

  it('refuses a tar with a ../ member, and the case is not even created', async () => {
    const response = await upload([['escape.tar.gz', readFileSync(await packTraversal(inputs))]]);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe(
      "the bundle is unsafe: ../../outside.txt: path with '..' in archive",
    );
    expect(existsSync(casePath)).toBe(false);
    expect(readdirSync(evidenceRoot).filter((n) => n !== '.incoming')).toEqual([]);
    expect(readdirSync(join(evidenceRoot, '.incoming'))).toEqual([]);
    expect(existsSync(join(scratch, 'outside.txt'))).toBe(false);
  });
});

describe('howchain serve, with the sample bundle uploaded', () => {
  let receipt: UploadReceipt;

  beforeAll(async () => {
    const response = await upload([['sample.tar.gz', readFileSync(sample)]]);
    expect(response.status).toBe(201);
    receipt = (await response.json()) as UploadReceipt;
  });

  it('keeps the archive as received, read-only, hashed on arrival', () => {
    const stored = join(evidenceRoot, receipt.id, 'bundle', 'sample.tar.gz');
    expect(receipt.files).toEqual([
      { path: 'sample.tar.gz', bytes: statSync(sample).size, sha256: sha256(readFileSync(sample)) },
    ]);
    expect(sha256(readFileSync(stored))).toBe(receipt.files[0]!.sha256);
    expect(statSync(stored).mode & 0o222).toBe(0);
  });

  it('lists the evidence with every file hashed, and renders the PIR, findings, correlation and charts', async () => {
    const evidence = (await (await fetch(new URL('/api/evidence', url))).json()) as {
      uploads: UploadReceipt[];
      manifest: { bundle: string; path: string; sha256: string }[];
    };
    expect(evidence.uploads.map((u) => u.id)).toEqual([receipt.id]);
    const bundle = join(evidenceRoot, receipt.id, 'bundle', 'sample.tar.gz');
    const entries = evidence.manifest.filter((e) => e.bundle === bundle);
    expect(entries.length).toBeGreaterThan(20);
    expect(entries.every((e) => /^[0-9a-f]{64}$/.test(e.sha256))).toBe(true);
    const pod = entries.find((e) => e.path === 'kubectl/pods.json')!;
    expect(pod.sha256).toBe(sha256(readFileSync(join(sampleBundle, 'kubectl', 'pods.json'))));

    const html = await (await fetch(url)).text();
    for (const section of [
      'upload',
      'pictures',
      'all-findings',
      'lease-vs-snapshot',
      'before-after',
      'pir',
      'custody',
    ]) {
      expect(html).toContain(`<section id="${section}"`);
    }
    expect(html).toMatch(/<h3[^>]*>How did [^<]+\?<\/h3>/);
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(html).toContain('class="lease-failure"');
    expect(html).toContain('<img src="charts/snapshot-timeline.svg"');
    // The PIR's own anchors and heading ids resolve, and no template markup shows up as text.
    expect(html).toContain('<h2 id="technical-details">');
    expect(html).toContain('href="#technical-details"');
    expect(html).toContain('<a id="crashloop"></a>');
    expect(html).not.toContain('&lt;a id=');
  });

  it('serves the Markdown as a download and each chart as SVG', async () => {
    const pir = await fetch(new URL('/api/pir.md', url));
    expect(pir.status).toBe(200);
    expect(pir.headers.get('content-disposition')).toBe('attachment; filename="pir.md"');
    const markdown = await pir.text();
    expect(markdown).toContain('![Snapshot writes and lease failures](charts/snapshot-timeline.svg)');
    for (const name of ['snapshot-timeline', 'snapshot-size', 'restarts']) {
      const chart = await fetch(new URL(`/charts/${name}.svg`, url));
      expect(chart.status).toBe(200);
      expect(chart.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
      expect(await chart.text()).toMatch(/^<svg /);
    }
  });

  it.each([
    [
      'a tar with a ../ member',
      async () => [['escape.tar.gz', readFileSync(await packTraversal(inputs))]],
      400,
      /^the bundle is unsafe: \.\.\/\.\.\/outside\.txt: path with '\.\.'/,
    ],
    [
      'a truncated gzip',
      async () => [['cut.tar.gz', readFileSync(truncatedCopy(sample, inputs))]],
      400,
      /^the bundle is unsafe: the archive: truncated gzip data/,
    ],
    [
      'an upload over the size cap',
      async () => [['big.tar.gz', randomBytes(5 * 1024 * 1024)]],
      413,
      /^the upload is 5 MiB, over the limit of 4 MiB/,
    ],
    [
      'a file name that climbs out',
      async () => [['../../escape.log', Buffer.from('x')]],
      400,
      /^file name "\.\.\/\.\.\/escape\.log" refused: path with '\.\.'/,
    ],
    [
      'the same archive again',
      async () => [['sample.tar.gz', readFileSync(sample)]],
      409,
      /^these files were already uploaded as \d{8}T\d{6}Z-[0-9a-f]{8}$/,
    ],
  ] as [string, () => Promise<[string, Buffer][]>, number, RegExp][])(
    'refuses %s with a clear message and leaves the case as it was',
    async (_what, files, status, message) => {
      const before = caseState();
      const response = await upload(await files());
      expect(response.status).toBe(status);
      expect(((await response.json()) as { error: string }).error).toMatch(message);
      expect(caseState()).toEqual(before);
      expect(readdirSync(join(evidenceRoot, '.incoming'))).toEqual([]);
    },
  );

  it('refuses uploads posted from another site, and explains refusals to a browser without JavaScript', async () => {
    const before = caseState();
    const crossSite = await upload([['x.log', Buffer.from('x')]], { origin: 'http://evil.example' });
    expect(crossSite.status).toBe(403);
    const body = new FormData();
    body.append('evidence', new Blob(['x']), '../x.log');
    const formPost = await fetch(new URL('/api/uploads', url), {
      method: 'POST',
      body,
      headers: { accept: 'text/html' },
    });
    expect(formPost.status).toBe(400);
    const page = await formPost.text();
    expect(page).toContain('<h1>Upload refused</h1>');
    expect(page).toContain('file name &quot;../x.log&quot; refused');
    expect(caseState()).toEqual(before);
  });
});

describe('uploads of several files', () => {
  const klog = (n: number) =>
    Buffer.from(
      `E0401 09:12:3${n}.123456       1 leaderelection.go:330] error retrieving resource lock kube-system/csi-nfs: context deadline exceeded\n` +
        `I0401 09:12:3${n}.223456       1 leaderelection.go:285] failed to renew lease kube-system/csi-nfs: timed out waiting for the condition\n`,
    );

  it('ingests them as one folder bundle, citing paths inside the folder the browser uploaded', async () => {
    const response = await upload([
      ['extra/logs/csi-provisioner.log', klog(1)],
      ['extra/notes.txt', Buffer.from('who restarted kubelite at 13:30?\n')],
    ]);
    expect(response.status).toBe(201);
    const receipt = (await response.json()) as UploadReceipt;
    // A folder upload names every file `<folder>/…`: the folder is the bundle, as `analyze <folder>` reads it.
    expect(receipt.bundle).toBe('bundle/extra');
    expect(receipt.files.map((f) => f.path)).toEqual(['extra/logs/csi-provisioner.log', 'extra/notes.txt']);
    const evidence = (await (await fetch(new URL('/api/evidence', url))).json()) as {
      manifest: { bundle: string; path: string; sha256: string }[];
    };
    const folder = join(evidenceRoot, receipt.id, 'bundle', 'extra');
    expect(evidence.manifest.filter((e) => e.bundle === folder).map((e) => [e.path, e.sha256])).toEqual([
      ['logs/csi-provisioner.log', sha256(klog(1))],
      ['notes.txt', sha256('who restarted kubelite at 13:30?\n')],
    ]);
  });

  it('takes simultaneous uploads one after the other, losing none', async () => {
    const answers = await Promise.all([2, 3, 4].map((n) => upload([[`node${n}/csi.log`, klog(n)]])));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    const ids = await Promise.all(answers.map(async (a) => ((await a.json()) as UploadReceipt).id));
    const listed = (
      (await (await fetch(new URL('/api/evidence', url))).json()) as { uploads: UploadReceipt[] }
    ).uploads;
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(listed.map((u) => u.id)).toContain(id);
    const bundles = new Set(
      (
        (await (await fetch(new URL('/api/evidence', url))).json()) as { manifest: { bundle: string }[] }
      ).manifest.map((e) => e.bundle),
    );
    ids.forEach((id, i) => expect(bundles).toContain(join(evidenceRoot, id, 'bundle', `node${i + 2}`)));
  });
});

describe('an upload the browser abandons', () => {
  it('is dropped, leaving the case as it was, and the server goes on', async () => {
    const before = caseState();
    const boundary = 'howchain-test-boundary';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="evidence"; filename="half.tar.gz"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    );
    await new Promise<void>((resolve) => {
      const req = httpRequest({
        host: url.hostname,
        port: url.port,
        path: '/api/uploads',
        method: 'POST',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': 1_000_000 },
      });
      req.on('error', () => resolve());
      req.write(Buffer.concat([head, randomBytes(64 * 1024)]), () => setTimeout(() => req.destroy(), 100));
      req.on('close', () => resolve());
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(caseState()).toEqual(before);
    expect(readdirSync(join(evidenceRoot, '.incoming'))).toEqual([]);
    expect((await fetch(url)).status).toBe(200);
  });
});

describe('evidence text on the page', () => {
  it('is escaped: hostile file names and log lines show as text', async () => {
    const line =
      'E0401 09:52:33.123456       1 leaderelection.go:330] failed to renew lease kube-system/csi-nfs: timed out waiting for the condition <script>alert(1)</script>\n';
    // Its own minute: a failure of the same lease within 2 s of another upload's would count as that one.
    const response = await upload([['hostile/<img src=x onerror=alert(2)>.log', Buffer.from(line)]]);
    expect(response.status).toBe(201);
    const page = await (await fetch(url)).text();
    expect(page).toContain('&lt;img src=x onerror=alert(2)&gt;.log');
    expect(page).not.toMatch(/<script>alert|<img src=x/);
    // The line is a classified lease failure: it is in the analysis, and nowhere on the page as markup.
    const analysis = (await (await fetch(new URL('/api/analysis', url))).json()) as {
      correlation: { failures: { evidence: { file: string } }[] };
    };
    expect(analysis.correlation.failures.some((f) => f.evidence.file.startsWith('<img src=x'))).toBe(true);
  });

  it('confirms the upload the page was reached from', async () => {
    const { uploads } = (await (await fetch(new URL('/api/evidence', url))).json()) as {
      uploads: UploadReceipt[];
    };
    const last = uploads[uploads.length - 1]!;
    const page = await (await fetch(new URL(`/?upload=${last.id}`, url))).text();
    expect(page).toMatch(
      new RegExp(`Upload <code>${last.id}</code> accepted: 1 file\\(s\\),\\s+\\d+ bytes, hashed on arrival`),
    );
    const unknown = await (await fetch(new URL('/?upload=%3Cscript%3E', url))).text();
    expect(unknown).not.toContain('accepted:');
    expect(unknown).not.toContain('<script>');
  });
});

describe('no endpoint serves files outside the case', () => {
  it.each([
    '/assets/../package.json',
    '/assets/..%2f..%2fpackage.json',
    '/assets/%2e%2e/%2e%2e/package.json',
    '/charts/..%2f..%2fcase.db',
    '/charts/../case.db',
    '/case.db',
    '/case.evidence/',
    '//etc/passwd',
    '/api/pir.md/../../../etc/passwd',
    '/assets/app.js%00.css',
    '/assets\\..\\package.json',
  ])('%s → 404', async (path) => {
    const response = await raw(path);
    expect(response.status).toBe(404);
    expect(response.body.toString()).not.toMatch(/"name": "howchain"|root:x:0|SQLite format/);
  });

  it('serves only its own static assets', async () => {
    const app = await raw('/assets/app.js');
    expect(app.status).toBe(200);
    expect(app.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await raw('/assets/evil.js')).status).toBe(404);
  });

  it('answers only requests addressed to its loopback name (DNS rebinding)', async () => {
    const rebound = await raw('/api/evidence', { headers: { host: `attacker.example:${url.port}` } });
    expect(rebound.status).toBe(421);
    expect((await raw('/api/evidence', { headers: { host: `localhost:${url.port}` } })).status).toBe(200);
  });

  it('allows only GET on pages, GET/POST on uploads and DELETE on one upload', async () => {
    expect((await raw('/', { method: 'DELETE' })).status).toBe(405);
    expect((await raw('/api/uploads', { method: 'PUT' })).status).toBe(405);
    expect((await raw('/api/uploads/20260401T000000Z-00000000', { method: 'GET' })).status).toBe(405);
  });
});

describe('starting', () => {
  it('refuses a --case that is not a howchain case, before serving anything', async () => {
    const notACase = join(scratch, 'notes.db');
    writeFileSync(notACase, 'not a database');
    const started = startServer({
      casePath: notACase,
      engine: await pipelineEngine(),
      port: 0,
      log: () => {},
    });
    await expect(started).rejects.toBeInstanceOf(HowchainError);
    expect(readFileSync(notACase, 'utf8')).toBe('not a database');
  });

  it.each([
    ['127.0.0.1:7474', '127.0.0.1', true],
    ['localhost:7474', '127.0.0.1', true],
    ['[::1]:7474', '127.0.0.1', true],
    ['LOCALHOST', '::1', true],
    ['rebind.attacker.example:7474', '127.0.0.1', false],
    ['127.0.0.1.nip.io:7474', '127.0.0.1', false],
    [undefined, '127.0.0.1', false],
    ['laptop.lan:7474', '0.0.0.0', true],
  ])('Host %s on %s → %s', (header, bound, allowed) => {
    expect(hostAllowed(header, bound)).toBe(allowed);
  });
});
