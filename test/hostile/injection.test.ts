/**
 * Evidence text in pir.md is shown, never acted on: snapshot database names, kine key prefixes (also
 * in the action text), file names, pod and image names and log lines carrying raw HTML, Markdown
 * links, headings, table pipes and terminal controls. The PIR is rendered by a Markdown renderer
 * that keeps raw HTML (marked's defaults, as most viewers are) and the HTML it makes is searched.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { marked } from 'marked';
import { afterAll, describe, expect, it } from 'vitest';
import { fingerprintPath, fsmPayload, kineDatabase, writeSnapshot } from './_make.js';
import { run } from './_run.js';

const root = mkdtempSync(join(tmpdir(), 'howchain-injection-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const ESC = '\u001b';
/** Each carries its own marker, so a leak says which source it came from. */
const evil = (source: string) => payload(`mk-${source}`);
const payload = (marker: string) =>
  `<img src=x onerror=alert('${marker}')>[${marker}](javascript:alert(1))|${marker}|\n# Injected ${marker}${ESC}[2J\u0007\r`;

const lease = (i: number, extra: string) => {
  const at = `22:04:${String(10 + (i % 40)).padStart(2, '0')}`;
  return `2026-03-31T${at}.000000000Z E0331 ${at}.000000       1 leaderelection.go:297] failed to renew lease kube-system/c${i % 3}: context deadline exceeded ${extra}\n`;
};

/** An image reference cannot hold a quote or a backslash (the kubelet quotes it); the rest fits. */
const image = `registry.example.com/${evil('image').replace(/\n/g, ' ')}:1`;

/** The kubelet's pull failures of that image, one per pod: the cause the PIR's actions name. */
const kubelet = [0, 1, 2]
  .map(
    (i) =>
      `2026-03-31T22:04:2${i}.000000000Z E0331 22:04:2${i}.000000   53319 pod_workers.go:1300] "Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"web\\" with ErrImagePull: \\"failed to pull and unpack image \\\\\\"${image}\\\\\\": not found\\"" pod="shop/web-${i}" podUID="u${i}"\n`,
  )
  .join('');

function pods(): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'List',
    items: [0, 1, 2].map((i) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `web-${i}`, namespace: 'shop', uid: `u${i}` },
      spec: { containers: [{ name: 'web', image }] },
      status: {
        phase: 'Pending',
        containerStatuses: [
          {
            name: 'web',
            image,
            ready: false,
            restartCount: 0,
            state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` } },
          },
        ],
      },
    })),
  });
}

describe('evidence text cannot inject into pir.md', () => {
  it('names, prefixes, file names and log lines with HTML, Markdown and controls stay text', async () => {
    const ev = join(root, 'ev');
    mkdirSync(join(ev, 'backend'), { recursive: true });
    mkdirSync(join(root, 'out'));
    const prefix = (count: number) =>
      (function* () {
        for (let i = 0; i < count; i++) yield `/registry/${evil('prefix')}/obj${i}`;
      })();
    const database = evil('database');
    writeSnapshot(
      join(ev, 'backend'),
      fsmPayload([{ name: database, main: kineDatabase(join(root, 'k1.sqlite'), prefix(10)) }]),
      'snapshot-1-32-1000',
    );
    writeSnapshot(
      join(ev, 'backend'),
      fsmPayload([{ name: database, main: kineDatabase(join(root, 'k2.sqlite'), prefix(400)) }]),
      'snapshot-1-64-2000',
    );
    // File names cannot hold a slash or a line break; the rest of the payload fits.
    const fileName = evil('file').replace(/\n/g, ' ').replace(/\//g, '_');
    writeFileSync(
      join(ev, `${fileName}.log`),
      Array.from({ length: 30 }, (_, i) => lease(i, evil('line').replace(/\n/g, ' '))).join(''),
    );
    writeFileSync(join(ev, 'pods.json'), pods());
    writeFileSync(join(ev, 'kubelet.log'), kubelet);
    const before = fingerprintPath(ev);

    const ran = await run(root, ['analyze', 'ev', '-o', 'out/pir.md', '--permutations', '9']);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.leftovers).toEqual([]);
    expect(fingerprintPath(ev)).toEqual(before);

    const pir = readFileSync(join(root, 'out/pir.md'), 'utf8');
    // Every source reached the PIR (escaped): else the test would pass without testing it.
    for (const marker of ['database', 'prefix', 'file', 'line', 'image'])
      expect(pir, marker).toContain(marker);
    expect(pir).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    const html = await marked.parse(pir);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).not.toMatch(/<h\d[^>]*>[^<]*Injected/);
  }, 120_000);
});
