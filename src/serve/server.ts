import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { charts } from '../render/charts/index.js';
import { readAsset } from './assets.js';
import { renderPage, renderRejection } from './page.js';
import { UploadRejected } from './upload.js';
import { CaseWorkspace, type CaseEngine } from './workspace.js';

export interface ServeOptions {
  casePath: string;
  engine: CaseEngine;
  /** Default 127.0.0.1: the case holds raw evidence and must not be reachable from the network. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  maxUploadBytes?: number;
  maxUploadFiles?: number;
  /** Longest silence in an upload before it is dropped (ms; default 60 s). */
  uploadIdleMs?: number;
  /** One line per upload accepted or refused and per request that failed on our side (default: stderr). */
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  workspace: CaseWorkspace;
  close(): Promise<void>;
}

const DEFAULT_PORT = 7474;
const DEFAULT_MAX_UPLOAD_BYTES = 2 * 1024 ** 3;

const loopbackNames = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * Scripts on other sites can make a browser send requests to 127.0.0.1, and DNS rebinding can point
 * their own host name here. On a loopback address, answer only requests addressed to a loopback name,
 * and take uploads only from our own origin. Bound elsewhere (--host), the user chose to be reachable.
 */
export function hostAllowed(hostHeader: string | undefined, boundHost: string): boolean {
  if (!hostHeader) return false;
  const name = hostHeader.replace(/:\d+$/, '').toLowerCase();
  if (loopbackNames.has(boundHost)) return loopbackNames.has(name);
  // Bound to one address with --allow-remote: requests must name that address (or loopback); bound
  // to every address, no single name is ours and the check cannot narrow it.
  if (boundHost === '0.0.0.0' || boundHost === '::' || boundHost === '[::]') return true;
  return name === boundHost.toLowerCase() || loopbackNames.has(name);
}

function sameOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

const securityHeaders = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  // Not 'no-referrer': under it Chrome sends `Origin: null` with form posts, which the origin check refuses.
  'Referrer-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

function send(
  response: ServerResponse,
  status: number,
  contentType: string,
  body: string | Buffer,
  extra: Record<string, string> = {},
): void {
  response.writeHead(status, {
    ...securityHeaders,
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    ...extra,
  });
  response.end(body);
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  send(response, status, 'application/json; charset=utf-8', `${JSON.stringify(value, null, 2)}\n`);
}

function sendText(response: ServerResponse, status: number, message: string): void {
  send(response, status, 'text/plain; charset=utf-8', `${message}\n`);
}

function wantsJson(request: IncomingMessage): boolean {
  return (request.headers.accept ?? '').includes('application/json');
}

type Handler = (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<void>;

/**
 * Starts `howchain serve`. Routes (exact paths; nothing maps a URL onto the file system):
 * GET / · GET /assets/<listed name> · GET /charts/<chart>.svg · GET /api/pir.md · GET /api/analysis ·
 * GET /api/evidence · GET|POST /api/uploads · DELETE /api/uploads/<id> (POST …/<id>/delete from a form).
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const maxUploadBytes = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const workspace = new CaseWorkspace(options.casePath, options.engine, {
    maxBytes: maxUploadBytes,
    maxFiles: options.maxUploadFiles ?? 10_000,
    ...(options.uploadIdleMs !== undefined ? { idleMs: options.uploadIdleMs } : {}),
  });
  await workspace.open();

  const getRoutes: Record<string, Handler> = {
    '/': async (_request, response, url) => {
      const view = await workspace.view();
      const justUploaded = url.searchParams.get('upload');
      send(
        response,
        200,
        'text/html; charset=utf-8',
        renderPage(view, { casePath: options.casePath, maxUploadBytes, justUploaded }),
      );
    },
    '/api/pir.md': async (_request, response) => {
      const view = await workspace.view();
      if (view.markdown === null)
        return sendText(
          response,
          404,
          view.analysisError ?? 'the case holds no evidence yet: upload a bundle first',
        );
      send(response, 200, 'text/markdown; charset=utf-8', view.markdown, {
        'Content-Disposition': 'attachment; filename="pir.md"',
      });
    },
    '/api/analysis': async (_request, response) => {
      const view = await workspace.view();
      if (view.analysis === null)
        return sendJson(response, 404, { error: view.analysisError ?? 'the case holds no evidence yet' });
      sendJson(response, 200, view.analysis);
    },
    '/api/evidence': async (_request, response) => {
      const view = await workspace.view();
      sendJson(response, 200, {
        uploads: view.uploads,
        manifest: view.data.manifest,
        problems: view.data.problems,
      });
    },
  };

  const upload: Handler = async (request, response) => {
    if (!sameOrigin(request)) {
      request.resume();
      return sendText(response, 403, 'uploads are accepted only from this page');
    }
    try {
      const receipt = await workspace.addUpload(request);
      log(
        `howchain serve: upload ${receipt.id} accepted: ${receipt.files.length} file(s), ${receipt.totalBytes} bytes`,
      );
      if (wantsJson(request)) return sendJson(response, 201, receipt);
      send(response, 303, 'text/plain; charset=utf-8', `upload ${receipt.id} accepted\n`, {
        Location: `/?upload=${encodeURIComponent(receipt.id)}#summary`,
      });
    } catch (error) {
      if (!(error instanceof UploadRejected)) throw error;
      log(`howchain serve: upload refused: ${error.message}`);
      // Answer only after the whole body is read: a reply mid-upload reaches the browser as a reset.
      // The browser went away (a fully read request is also `destroyed`, so ask the socket): nobody to answer.
      if (request.socket.destroyed) return;
      if (!request.readableEnded)
        await new Promise((resolve) => request.on('end', resolve).on('close', resolve).resume());
      if (wantsJson(request)) return sendJson(response, error.status, { error: error.message });
      send(response, error.status, 'text/html; charset=utf-8', renderRejection(error.message));
    }
  };

  /** DELETE /api/uploads/<id>, or POST …/<id>/delete from the page's form without JavaScript. */
  const removeUpload = async (
    request: IncomingMessage,
    response: ServerResponse,
    id: string,
    viaForm: boolean,
  ): Promise<void> => {
    request.resume();
    if (request.method !== (viaForm ? 'POST' : 'DELETE'))
      return sendText(response, 405, `DELETE /api/uploads/<id> removes an upload`);
    if (!sameOrigin(request)) return sendText(response, 403, 'uploads are removed only from this page');
    const removed = /^\d{8}T\d{6}Z-[0-9a-f]{8}$/.test(id) && (await workspace.removeUpload(id));
    if (!removed) return sendText(response, 404, `no upload ${id}`);
    log(`howchain serve: upload ${id} removed`);
    if (viaForm)
      return send(response, 303, 'text/plain; charset=utf-8', `upload ${id} removed\n`, {
        Location: '/#upload',
      });
    sendJson(response, 200, { removed: id });
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (!hostAllowed(request.headers.host, host)) {
      request.resume();
      return sendText(
        response,
        421,
        'this server answers only requests addressed to it by its loopback address',
      );
    }
    const url = new URL(request.url ?? '/', 'http://howchain.invalid');
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    if (url.pathname === '/api/uploads') {
      if (method === 'GET') return sendJson(response, 200, { uploads: await workspace.evidence.list() });
      if (method !== 'POST')
        return sendText(response, 405, 'POST a multipart form to /api/uploads, or GET the list');
      return upload(request, response, url);
    }
    const removal = /^\/api\/uploads\/([^/]+?)(\/delete)?$/.exec(url.pathname);
    if (removal) return removeUpload(request, response, removal[1]!, removal[2] !== undefined);
    if (method !== 'GET') {
      request.resume();
      return sendText(response, 405, `${request.method} is not allowed on ${url.pathname}`);
    }
    const route = Object.hasOwn(getRoutes, url.pathname) ? getRoutes[url.pathname] : undefined;
    if (route) return route(request, response, url);
    const asset = /^\/assets\/([a-z0-9-]+\.(?:js|css|svg))$/.exec(url.pathname);
    if (asset) {
      const found = await readAsset(asset[1]!);
      if (found) return send(response, 200, found.contentType, found.body, { 'Cache-Control': 'no-cache' });
    }
    const chart = /^\/charts\/([a-z0-9-]+)\.svg$/.exec(url.pathname);
    if (chart && charts.some((c) => c.name === chart[1])) {
      const view = await workspace.view();
      const rendered = view.charts.find((c) => c.name === chart[1]);
      if (rendered) return send(response, 200, 'image/svg+xml; charset=utf-8', rendered.svg);
    }
    sendText(response, 404, `nothing at ${url.pathname}`);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      log(`howchain serve: ${request.method} ${request.url}: ${message}`);
      if (!response.headersSent) sendText(response, 500, `internal error: ${message.split('\n')[0]}`);
      else response.destroy();
    });
  });
  // Uploads of several GiB over a slow disk must not be cut off by Node's default request timeout.
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PORT, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}/`,
    workspace,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
