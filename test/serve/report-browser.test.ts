/**
 * The report in a real browser (Debian's Chromium via playwright-core, as browser.test.ts): a cited
 * file:line opens the evidence at that line, highlighted, with its sha256 — in `howchain serve` (read
 * from the uploads stored with the case) and in the self-contained file `analyze --html` writes
 * (which makes no request at all). Also: the contents stay in view, numbers are right-aligned, and
 * charts stay legible on a 390 px phone.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumFlags, chromiumPath, cli, hasChromium, outputDir, startServe } from './_browser.js';
import { packSample, sampleBundle, sha256 } from './_evidence.js';

/** Line `n` (1-based) of a sample evidence file, as the excerpt must show it. */
function sampleLine(path: string, n: number): string {
  return readFileSync(join(sampleBundle, path), 'utf8').split('\n')[n - 1]!;
}

/** Clicks the first citation in `scope`, and checks the excerpt shows that line of that file. */
async function openFirstCitation(page: Page, scope: string): Promise<string> {
  const link = page.locator(`${scope} a.cite`).first();
  const cited = (await link.textContent())!;
  const [, file, line] = /^(.+):(\d+)$/.exec(cited)!;
  await link.click();
  const excerpt = page.locator('.excerpt:target');
  await expect(excerpt.isVisible()).resolves.toBe(true);
  await expect(excerpt.locator('.line.cited').textContent()).resolves.toBe(
    `${line}${sampleLine(file!, Number(line))}`,
  );
  await expect(excerpt.locator('.excerpt-head').textContent()).resolves.toContain(
    sha256(readFileSync(join(sampleBundle, file!))),
  );
  await expect(excerpt.locator('.excerpt-head').textContent()).resolves.toContain('unchanged since ingest');
  // Up to 20 lines each side of the cited one.
  const shown = await excerpt.locator('.line').count();
  expect(shown).toBeGreaterThan(1);
  expect(shown).toBeLessThanOrEqual(41);
  return cited;
}

describe.skipIf(!hasChromium)(
  `the report in Chromium${hasChromium ? '' : ` (skipped: ${chromiumPath} is not installed)`}`,
  () => {
    const scratch = mkdtempSync(join(tmpdir(), 'howchain-report-'));
    let serve: { process: ChildProcess; url: string };
    let browser: Browser;
    const offSite: string[] = [];

    beforeAll(async () => {
      mkdirSync(outputDir, { recursive: true });
      serve = await startServe(join(scratch, 'case.db'), ['--permutations', '99']);
      const { chromium } = await import('playwright-core');
      browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumFlags });
    });

    afterAll(async () => {
      await browser?.close();
      serve?.process.kill('SIGTERM');
      rmSync(scratch, { recursive: true, force: true });
    });

    it('serve: after an upload the summary comes first; a citation opens its lines; the contents stay in view', async () => {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const origin = new URL(serve.url).origin;
      await page.route('**/*', (route) => {
        if (new URL(route.request().url()).origin === origin) return route.continue();
        offSite.push(route.request().url());
        return route.abort();
      });
      await page.goto(serve.url);
      await page.setInputFiles('#upload-files', packSample(scratch));
      await Promise.all([page.waitForURL(/#summary$/, { timeout: 60_000 }), page.click('#upload-button')]);
      const summary = await page.locator('#summary').boundingBox();
      expect(summary!.y).toBeLessThan(200);
      await expect(page.locator('#summary').textContent()).resolves.toMatch(/Lease failures within 10 s/);

      await openFirstCitation(page, '#pir');
      await page.screenshot({ path: join(outputDir, 'serve-excerpt.png') });
      await page.locator('.excerpt:target a.close').click();
      await expect(page.locator('.excerpt:target').count()).resolves.toBe(0);
      await openFirstCitation(page, '#all-findings');

      await page.locator('#custody').scrollIntoViewIfNeeded();
      const toc = await page.locator('#toc').boundingBox();
      expect(toc!.y).toBe(0);
      await expect(
        page.evaluate("getComputedStyle(document.querySelector('table.per-subject tbody td.num')).textAlign"),
      ).resolves.toBe('right');
      expect(offSite).toEqual([]);
      await page.close();
    });

    it('analyze --html: one file, no requests; a citation opens its lines; legible at 390 px', async () => {
      const report = join(scratch, 'pir.html');
      await promisify(execFile)(
        'node',
        [
          ...cli,
          'analyze',
          sampleBundle,
          '--html',
          report,
          '--permutations',
          '99',
          '-o',
          join(scratch, 'pir.md'),
        ],
        {
          env: { ...process.env, NO_COLOR: '1' },
        },
      );
      const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
      const requests: string[] = [];
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (url === `file://${report}`) return route.continue();
        requests.push(url);
        return route.abort();
      });
      await page.goto(`file://${report}`);
      await expect(page.locator('#upload').count()).resolves.toBe(0);
      expect(await page.locator('#pir img[src^="data:image/svg+xml;base64,"]').count()).toBeGreaterThan(0);
      await openFirstCitation(page, '#pir');
      await page.screenshot({ path: join(outputDir, 'report-excerpt-390.png') });
      await page.goto(`file://${report}#pictures`);
      // Chart labels keep a readable size on a phone (the chart scrolls sideways instead of shrinking).
      const smallest = await page
        .locator('#chart-snapshot-timeline svg text')
        .evaluateAll((texts) =>
          Math.min(...texts.map((t) => t.getBoundingClientRect().height).filter((h) => h > 0)),
        );
      expect(smallest).toBeGreaterThanOrEqual(9);
      await page.locator('#pictures').screenshot({ path: join(outputDir, 'report-pictures-390.png') });
      expect(requests).toEqual([]);
      await page.close();
    });
  },
);
