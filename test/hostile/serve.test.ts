/**
 * `serve` stays up after hostile uploads: a multi-file upload over the total cap (each file under
 * it), a client that goes away mid-upload, and one that trickles bytes. After each, a good upload
 * is still accepted promptly and no half-received upload is left in `.incoming`.
 */
import { request as httpRequest } from 'node:http';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineEngine } from '../../src/serve/engine.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { LEASE_LINE } from './_make.js';
import { postUploads } from '../serve/_evidence.js';

const scratch = mkdtempSync(join(tmpdir(), 'howchain-serve-hostile-'));
const casePath = join(scratch, 'case.db');
let server: RunningServer;
let url: URL;

beforeAll(async () => {
  server = await startServer({
    casePath,
    engine: await pipelineEngine(),
    port: 0,
    maxUploadBytes: 64 * 1024,
    uploadIdleMs: 1500,
    log: () => {},
  });
  url = new URL(server.url);
});

afterAll(async () => {
  await server?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const upload = (files: [string, string][]) => postUploads(url, files);

let good = 0;
/** A small good upload (different each time, so it is never a duplicate) must be accepted. */
async function stillServes(): Promise<void> {
  good++;
  const started = Date.now();
  const response = await upload([[`good-${good}.log`, `${LEASE_LINE(good)}${LEASE_LINE(good + 1)}`]]);
  expect(response.status, await response.clone().text()).toBe(201);
  expect(Date.now() - started).toBeLessThan(30_000);
  expect((await fetch(url)).status).toBe(200);
}

const incoming = () => {
  const dir = join(`${casePath.replace(/\.db$/, '')}.evidence`, '.incoming');
  return existsSync(dir) ? readdirSync(dir) : [];
};

/** Starts a multipart upload by hand and returns the request, to send parts of it or drop it. */
function partialUpload(declaredBytes: number) {
  const boundary = 'hostileboundary';
  const req = httpRequest({
    host: url.hostname,
    port: url.port,
    path: '/api/uploads',
    method: 'POST',
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': String(declaredBytes),
      accept: 'application/json',
    },
  });
  req.on('error', () => {});
  req.write(`--${boundary}\r\nContent-Disposition: form-data; name="evidence"; filename="slow.log"\r\n\r\n`);
  return req;
}

describe('serve keeps answering after hostile uploads', () => {
  it('a multi-file upload over the total cap, each file under it: 413, then the next upload works', async () => {
    const part = 'x'.repeat(40 * 1024);
    const response = await upload([
      ['a.log', part],
      ['b.log', part],
    ]);
    expect(response.status).toBe(413);
    await stillServes();
    expect(incoming()).toEqual([]);
  }, 60_000);

  it('a client that disconnects mid-upload: dropped, nothing left, the next upload works', async () => {
    const req = partialUpload(50_000);
    req.write('y'.repeat(1000));
    await new Promise((resolve) => setTimeout(resolve, 200));
    req.destroy();
    await stillServes();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(incoming()).toEqual([]);
  }, 60_000);

  it('a trickling upload neither blocks others nor stays: dropped after the idle limit', async () => {
    const req = partialUpload(50_000);
    const trickle = setInterval(() => req.write('z'), 100);
    try {
      await stillServes();
    } finally {
      clearInterval(trickle);
    }
    // Now silent: dropped once the idle limit passes, its files removed.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(incoming()).toEqual([]);
    req.destroy();
  }, 60_000);
});
