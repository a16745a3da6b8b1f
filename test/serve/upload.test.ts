import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { receiveUpload, safeUploadPath, UploadRejected, type UploadLimits } from '../../src/serve/upload.js';

describe('safeUploadPath', () => {
  it.each([
    ['bundle.tar.gz', 'bundle.tar.gz'],
    ['evidence/logs/csi.log', 'evidence/logs/csi.log'],
    ['evidence\\logs\\csi.log', 'evidence/logs/csi.log'],
    ['./a//b', 'a/b'],
  ])('%s → %s', (name, path) => {
    expect(safeUploadPath(name)).toBe(path);
  });

  it.each([
    ['../etc/passwd', /refused: path with '..'$/],
    ['logs/../../x', /refused: path with '..'$/],
    ['..\\x', /refused: path with '..'$/],
    ['/etc/passwd', /refused: absolute path$/],
    ['C:\\Windows\\x', /refused: absolute path$/],
    ['a\u0000b', /control characters/],
    ['', /refused: empty path$/],
    [`${'x'.repeat(300)}.log`, /too long/],
  ])('refuses %j', (name, message) => {
    expect(() => safeUploadPath(name)).toThrow(message);
  });
});

let dir: string;
let server: Server;
let base: string;
let limits: UploadLimits;
let outcome: Promise<unknown>;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'howchain-upload-'));
  limits = { maxBytes: 64 * 1024, maxFiles: 5 };
  server = createServer((request, response) => {
    outcome = receiveUpload(request, dir, limits).then(
      (files) => {
        response.end(JSON.stringify(files));
        return files;
      },
      (error: unknown) => {
        response.statusCode = error instanceof UploadRejected ? error.status : 500;
        const answer = () => response.end(error instanceof Error ? error.message : String(error));
        if (request.readableEnded) answer();
        else request.on('end', answer).resume();
        return error;
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

function form(files: [string, Buffer | string][]): FormData {
  const body = new FormData();
  for (const [name, content] of files) body.append('evidence', new Blob([content]), name);
  return body;
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

describe('receiveUpload', () => {
  it('streams every file to disk, read-only, with the sha256 of what arrived', async () => {
    const log = Buffer.from('E0401 09:12:33.123456 1 leaderelection.go:330] failed to renew lease\n');
    const binary = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 256));
    const response = await fetch(base, {
      method: 'POST',
      body: form([
        ['logs/csi.log', log],
        ['snap', binary],
      ]),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([
      { path: 'logs/csi.log', bytes: log.length, sha256: sha256(log) },
      { path: 'snap', bytes: binary.length, sha256: sha256(binary) },
    ]);
    expect(await readFile(join(dir, 'logs/csi.log'))).toEqual(log);
    expect(await readFile(join(dir, 'snap'))).toEqual(binary);
    expect((await stat(join(dir, 'snap'))).mode & 0o222).toBe(0);
  });

  it('refuses a file name that leaves the upload folder, writing nothing outside it', async () => {
    const response = await fetch(base, { method: 'POST', body: form([['../escaped.txt', 'x']]) });
    expect(response.status).toBe(400);
    expect(await response.text()).toBe(`file name "../escaped.txt" refused: path with '..'`);
    expect(await readdir(join(dir, '..')).then((names) => names.includes('escaped.txt'))).toBe(false);
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses an upload over the size limit, streamed or declared', async () => {
    const big = Buffer.alloc(limits.maxBytes + 1, 1);
    const streamed = await fetch(base, { method: 'POST', body: form([['big.bin', big]]) });
    expect(streamed.status).toBe(413);
    expect(await streamed.text()).toBe(
      'the upload is over the limit of 64 KiB (howchain serve --max-upload-mb)',
    );
    limits = { maxBytes: 10, maxFiles: 5 };
    const declared = await fetch(base, {
      method: 'POST',
      body: form([['big.bin', Buffer.alloc(2 * 1024 * 1024)]]),
    });
    expect(declared.status).toBe(413);
    expect(await declared.text()).toMatch(/^the upload is 2 MiB, over the limit of 10 bytes/);
  });

  it('ignores the nameless empty part of an unused file input (forms posted without JavaScript)', async () => {
    const body = form([['a.log', 'first']]);
    body.append('folder', new Blob([]), '');
    const response = await fetch(base, { method: 'POST', body });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { path: string }[]).map((f) => f.path)).toEqual(['a.log']);
  });

  it('refuses two files of the same name in one upload instead of overwriting the first', async () => {
    const response = await fetch(base, {
      method: 'POST',
      body: form([
        ['a.log', 'first'],
        ['a.log', 'second'],
      ]),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toBe('the upload names "a.log" twice (or as a file and a folder)');
    expect(await readFile(join(dir, 'a.log'), 'utf8')).toBe('first');
  });

  it('refuses more files than the limit, and a body that is not a form', async () => {
    const many = await fetch(base, {
      method: 'POST',
      body: form(Array.from({ length: 6 }, (_, i) => [`f${i}`, 'x'] as [string, string])),
    });
    expect(many.status).toBe(400);
    expect(await many.text()).toBe('more than 5 files in one upload; pack them as a .tar.gz');
    const raw = await fetch(base, {
      method: 'POST',
      body: 'not a form',
      headers: { 'content-type': 'text/plain' },
    });
    expect(raw.status).toBe(415);
    await outcome;
  });
});
