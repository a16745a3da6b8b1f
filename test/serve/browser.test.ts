/**
 * The web UI in a real browser: Debian's Chromium (/usr/bin/chromium) driven by playwright-core, which
 * never downloads a browser of its own. `howchain serve` runs as the CLI a user starts.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumFlags, chromiumPath, cli, hasChromium, outputDir, startServe } from './_browser.js';
import { fingerprint, packSample, packTraversal } from './_evidence.js';

const run = promisify(execFile);

describe.skipIf(!hasChromium)(
  `howchain serve in Chromium${hasChromium ? '' : ` (skipped: ${chromiumPath} is not installed; .ci/run installs Debian's chromium)`}`,
  () => {
    const scratch = mkdtempSync(join(tmpdir(), 'howchain-browser-'));
    const casePath = join(scratch, 'case.db');
    let serve: { process: ChildProcess; url: string };
    let browser: Browser;
    let page: Page;
    const pageErrors: string[] = [];
    const offSite: string[] = [];
    const dialogs: string[] = [];
    let sample: string;

    beforeAll(async () => {
      mkdirSync(outputDir, { recursive: true });
      sample = packSample(scratch);
      serve = await startServe(casePath);
      const { chromium } = await import('playwright-core');
      browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumFlags });
      page = await browser.newPage({ acceptDownloads: true, viewport: { width: 1200, height: 900 } });
      page.on('console', (message) => {
        if (message.type() === 'error') pageErrors.push(message.text());
      });
      page.on('pageerror', (error) => pageErrors.push(error.message));
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      // Offline by design: any request that leaves this server is recorded and refused.
      const origin = new URL(serve.url).origin;
      await page.route('**/*', (route) => {
        if (new URL(route.request().url()).origin === origin) return route.continue();
        offSite.push(route.request().url());
        return route.abort();
      });
    });

    afterAll(async () => {
      await browser?.close();
      serve?.process.kill('SIGTERM');
      rmSync(scratch, { recursive: true, force: true });
    });

    it('uploads the sample bundle and shows the PIR with its how’s chain and pictures', async () => {
      await page.goto(serve.url);
      await expect(page.locator('h1').textContent()).resolves.toBe('howchain');
      await page.setInputFiles('#upload-files', sample);
      await Promise.all([
        page.waitForURL(/\/\?upload=[^#]+#summary$/, { timeout: 30_000 }),
        page.click('#upload-button'),
      ]);

      const chain = page.locator('#pir h3', { hasText: /^How did / });
      expect(await chain.count()).toBeGreaterThanOrEqual(3);
      await expect(chain.first().isVisible()).resolves.toBe(true);
      await expect(page.locator('#pir').textContent()).resolves.toContain('Evidence ends here.');

      const timeline = page.locator('#chart-snapshot-timeline svg');
      await expect(timeline.isVisible()).resolves.toBe(true);
      expect(await timeline.locator('rect.snapshot').count()).toBeGreaterThan(10);
      expect(await timeline.locator('line.lease-failure').count()).toBeGreaterThan(10);
      // The PIR's own image links load from this server.
      const linked = page.locator('#pir img[src="charts/snapshot-timeline.svg"]');
      await linked.scrollIntoViewIfNeeded();
      const loaded = await linked.evaluate((img) => {
        const image = img as unknown as { complete: boolean; naturalWidth: number };
        return image.complete && image.naturalWidth > 0;
      });
      expect(loaded).toBe(true);

      expect(await page.locator('#all-findings tbody tr').count()).toBeGreaterThan(3);
      await expect(page.locator('#lease-vs-snapshot').textContent()).resolves.toMatch(/Permutation p-value/);
      await page.locator('#pir-heading').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(outputDir, 'serve-pir.png') });
      await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: join(outputDir, 'serve-top.png') });
      await page.locator('#pictures').screenshot({ path: join(outputDir, 'serve-pictures.png') });
    });

    it('downloads the Markdown, identical to `howchain analyze` of the same bundle', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-pir')]);
      expect(download.suggestedFilename()).toBe('pir.md');
      const served = readFileSync((await download.path())!, 'utf8');

      const uploaded = (await (await fetch(new URL('/api/evidence', serve.url))).json()) as {
        uploads: { id: string; bundle: string }[];
      };
      const [upload] = uploaded.uploads;
      const stored = join(scratch, 'case.evidence', upload!.id, upload!.bundle);
      const out = join(scratch, 'analyze');
      await run(
        'node',
        [...cli, 'analyze', stored, '-o', join(out, 'pir.md'), '--charts', join(out, 'charts')],
        {
          env: { ...process.env, NO_COLOR: '1' },
        },
      ).catch((error: { code?: number }) => {
        if (error.code !== 1) throw error; // 1: findings over the threshold, still a PIR
      });
      expect(served).toBe(readFileSync(join(out, 'pir.md'), 'utf8'));
      for (const chart of ['snapshot-timeline', 'snapshot-size', 'restarts']) {
        const svg = await (await fetch(new URL(`/charts/${chart}.svg`, serve.url))).text();
        expect(svg).toBe(readFileSync(join(out, 'charts', `${chart}.svg`), 'utf8'));
      }
    });

    it('refuses a tar with a ../ member, says why, and leaves the case as it was', async () => {
      const evil = await packTraversal(scratch);
      const before = fingerprint(join(scratch, 'case.evidence'), [casePath]);
      await page.goto(serve.url);
      await page.setInputFiles('#upload-files', evil);
      await page.click('#upload-button');
      const status = page.locator('#upload-status.error');
      await status.waitFor({ timeout: 30_000 });
      await expect(status.textContent()).resolves.toBe(
        "Upload refused: the bundle is unsafe: ../../outside.txt: path with '..' in archive. The case is unchanged.",
      );
      expect(fingerprint(join(scratch, 'case.evidence'), [casePath])).toEqual(before);
      await page.reload();
      expect(await page.locator('table.uploads tbody tr').count()).toBe(1);
      await page.goto(`${serve.url}#upload`);
      await page.setInputFiles('#upload-files', evil);
      await page.click('#upload-button');
      await status.waitFor();
      await page.locator('#upload').screenshot({ path: join(outputDir, 'serve-refused.png') });
    });

    it('shows hostile names and log text from evidence as text, running nothing', async () => {
      await page.goto(serve.url);
      await page.setInputFiles('#upload-files', [
        {
          name: '<img src=x onerror=alert(1)>.log',
          mimeType: 'text/plain',
          buffer: Buffer.from(
            'E0401 09:12:33.123456       1 leaderelection.go:330] failed to renew lease kube-system/csi-nfs: timed out waiting for the condition <script>alert(2)</script>\n',
          ),
        },
      ]);
      await Promise.all([page.waitForURL(/\/\?upload=/, { timeout: 30_000 }), page.click('#upload-button')]);
      await expect(page.locator('#upload-status.ok').textContent()).resolves.toMatch(/accepted: 1 file\(s\)/);
      await page.locator('#custody details').last().click();
      await expect(page.locator('#custody').textContent()).resolves.toContain(
        '<img src=x onerror=alert(1)>.log',
      );
      expect(await page.locator('img[src="x"], script:not([src])').count()).toBe(0);
      expect(dialogs).toEqual([]);
    });

    it('works without JavaScript: the form posts, the answer is the page', async () => {
      const context = await browser.newContext({ javaScriptEnabled: false });
      try {
        const plain = await context.newPage();
        await plain.goto(serve.url);
        await plain.setInputFiles('#upload-files', [
          {
            name: 'notes/no-js.log',
            mimeType: 'text/plain',
            buffer: Buffer.from(
              'E0401 10:02:11.000001       1 leaderelection.go:330] failed to renew lease kube-system/csi-nfs: timed out waiting for the condition\n',
            ),
          },
        ]);
        await Promise.all([plain.waitForURL(/\/\?upload=/), plain.click('#upload-button')]);
        await expect(plain.locator('#upload-status.ok').textContent()).resolves.toMatch(
          /accepted: 1 file\(s\)/,
        );
        await plain.setInputFiles('#upload-files', await packTraversal(scratch));
        await Promise.all([plain.waitForLoadState(), plain.click('#upload-button')]);
        await expect(plain.locator('h1').textContent()).resolves.toBe('Upload refused');
        await expect(plain.locator('[role=alert]').textContent()).resolves.toMatch(/^the bundle is unsafe: /);
      } finally {
        await context.close();
      }
    });

    it('uploads a folder with its folders kept', async () => {
      const folder = join(scratch, 'k8s04');
      mkdirSync(join(folder, 'journal'), { recursive: true });
      writeFileSync(
        join(folder, 'journal', 'kubelite.log'),
        'E0401 10:05:41.000001       1 leaderelection.go:330] failed to renew lease kube-system/kube-scheduler: timed out waiting for the condition\n',
      );
      writeFileSync(join(folder, 'notes.txt'), 'collected by hand\n');
      await page.goto(serve.url);
      await page.setInputFiles('#upload-folder', folder);
      await Promise.all([page.waitForURL(/\/\?upload=/, { timeout: 30_000 }), page.click('#upload-button')]);
      await expect(page.locator('#upload-status.ok').textContent()).resolves.toMatch(/accepted: 2 file\(s\)/);
      const { uploads } = (await (await fetch(new URL('/api/evidence', serve.url))).json()) as {
        uploads: { files: { path: string }[] }[];
      };
      expect(uploads[uploads.length - 1]!.files.map((f) => f.path)).toEqual([
        'k8s04/journal/kubelite.log',
        'k8s04/notes.txt',
      ]);
    });

    it('refuses junk with the reason shown, and removes an upload with its button', async () => {
      await page.goto(serve.url);
      await page.setInputFiles('#upload-files', [
        { name: 'shopping.txt', mimeType: 'text/plain', buffer: Buffer.from('milk\neggs\n') },
      ]);
      await page.click('#upload-button');
      const status = page.locator('#upload-status.error');
      await status.waitFor({ timeout: 30_000 });
      await expect(status.textContent()).resolves.toBe(
        'Upload refused: nothing howchain reads in it (1 file of type text, no events); see docs/formats.md. The case is unchanged.',
      );
      const rows = page.locator('table.uploads tbody tr');
      const before = await rows.count();
      const last = rows.last();
      const id = await last.locator('button[data-upload]').getAttribute('data-upload');
      await Promise.all([page.waitForURL(/\?removed=/, { timeout: 30_000 }), last.locator('button').click()]);
      expect(await page.locator('table.uploads tbody tr').count()).toBe(before - 1);
      await expect(page.locator('table.uploads').textContent()).resolves.not.toContain(id);
    });

    it('loaded nothing from outside and raised no errors (CSP included)', () => {
      expect(offSite).toEqual([]);
      // The browser logs each refused upload's answer; nothing else may show up.
      expect(pageErrors).toEqual([
        'Failed to load resource: the server responded with a status of 400 (Bad Request)',
        'Failed to load resource: the server responded with a status of 400 (Bad Request)',
        'Failed to load resource: the server responded with a status of 415 (Unsupported Media Type)',
      ]);
    });
  },
);
