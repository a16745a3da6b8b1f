import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { countEvidenceEvents, streamEvidenceEvents } from '../../src/bundle/events.js';
import type { EvidenceEvent } from '../../src/types/index.js';
import { makeBundle, tarOf } from './_bundle.js';

const cleanup: string[] = [];
afterEach(() => {
  for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function stream(paths: string[], options: { year?: number } = {}) {
  const events: EvidenceEvent[] = [];
  const problems = await streamEvidenceEvents(paths, { ...options, onEvent: (event) => events.push(event) });
  return { events, problems };
}

// A journald `short` line has no year: it is placed against the latest full time in the evidence,
// which here is only known once the later file (by walk order) has been read.
const JOURNAL =
  'Dec 31 23:59:59 k8s02 microk8s.daemon-kubelite[2290]: I1231 23:59:59.000100    2290 leaderelection.go:283] failed to renew lease kube-system/kube-scheduler: timed out waiting for the condition\n';
const POD = [
  '2025-01-01T00:10:00.000000001Z E0101 00:10:00.000001       1 leaderelection.go:330] error retrieving resource lock ci/awx-operator: Get "https://10.152.183.1:443/apis/coordination.k8s.io/v1/namespaces/ci/leases/awx-operator?timeout=5s": context deadline exceeded',
  '2025-01-01T00:10:01.000000001Z F0101 00:10:01.000001       1 controller.go:897] leaderelection lost',
].join('\n');

describe('streamEvidenceEvents', () => {
  it('hands events over in evidence order: files as walked, lines in order', async () => {
    const { events, problems } = await stream([join(import.meta.dirname, '../../samples/bundle')]);
    expect(problems).toEqual([]);
    const files = [...new Set(events.map((event) => event.file))];
    // Each file's events come together and in line order.
    for (const file of files) {
      const lines = events.filter((event) => event.file === file).map((event) => event.line);
      expect(lines).toEqual([...lines].sort((a, b) => a - b));
    }
    const firstIndex = files.map((file) => events.findIndex((event) => event.file === file));
    const lastIndex = files.map((file) => events.findLastIndex((event) => event.file === file));
    for (let index = 1; index < files.length; index++)
      expect(firstIndex[index]).toBeGreaterThan(lastIndex[index - 1] as number);
  });

  it('keeps year-less lines until the anchor is known, then writes them in order', async () => {
    const { root, dir } = makeBundle('evidence', {
      files: { 'a/journal.log': JOURNAL, 'b/pod.log': POD },
    });
    cleanup.push(root);
    const { events } = await stream([dir]);
    expect(events.map((event) => [event.file, event.line, event.kind, event.ts, event.tsSource])).toEqual([
      [join(dir, 'a/journal.log'), 1, 'lease_renew_failure', '2024-12-31T23:59:59.000Z', 'year-zone-assumed'],
      [join(dir, 'b/pod.log'), 1, 'lease_lock_retrieve_error', '2025-01-01T00:10:00.000Z', 'kubectl'],
      [join(dir, 'b/pod.log'), 2, 'leader_lost', '2025-01-01T00:10:01.000Z', 'kubectl'],
    ]);
    // With --year nothing waits, and the year is the one given.
    const given = await stream([dir], { year: 2025 });
    expect(given.events[0]?.ts).toBe('2025-12-31T23:59:59.000Z');
  });

  it('reports a line over --max-line once, naming the file and the option, even without a needle in it', async () => {
    const { root, dir } = makeBundle('evidence', {
      files: { 'pod.log': `${POD}\n${'x'.repeat(400)}\n${'y'.repeat(400)}\n${POD}\n` },
    });
    cleanup.push(root);
    const events: EvidenceEvent[] = [];
    const problems = await streamEvidenceEvents([dir], {
      limits: { maxLineBytes: 300 },
      onEvent: (event) => events.push(event),
    });
    expect(events.map((event) => event.line)).toEqual([1, 2, 5, 6]);
    expect(problems).toEqual([
      {
        file: join(dir, 'pod.log'),
        problem: 'line 3 is longer than 300 bytes (400+); skipped (raise it with --max-line)',
      },
    ]);
  });

  it("scans a folder's log files in worker threads with the output of the one-thread reader (sample bundle)", async () => {
    const samples = join(import.meta.dirname, '../../samples/bundle');
    // One member over --max-line too, so the problems are compared as well as the events.
    const { root, dir } = makeBundle('evidence', {
      files: { 'pod.log': `${POD}\n${'x'.repeat(400)}\n${`${POD}\n`.repeat(60)}`, 'journal.log': JOURNAL },
    });
    cleanup.push(root);
    const read = async (parallelMinBytes: number) => {
      const events: EvidenceEvent[] = [];
      const problems = await streamEvidenceEvents([samples, dir], {
        limits: { maxLineBytes: 300 },
        parallelMinBytes,
        onEvent: (event) => events.push(event),
      });
      // As `events --json` takes them: NDJSON finished in the workers where they can, in its place.
      const ndjson: string[] = [];
      await streamEvidenceEvents([samples, dir], {
        limits: { maxLineBytes: 300 },
        parallelMinBytes,
        onEvent: (event) => ndjson.push(`${JSON.stringify(event)}\n`),
        json: {
          kinds: null,
          // Copied at once: the memory goes back to the workers and is written into again.
          onNdjson: (bytes) => {
            ndjson.push(Buffer.from(bytes).toString('utf8'));
            return false;
          },
        },
      });
      const counted = await countEvidenceEvents([samples, dir], {
        limits: { maxLineBytes: 300 },
        parallelMinBytes,
      });
      const text = events.map((event) => `${JSON.stringify(event)}\n`).join('');
      return { text, ndjson: ndjson.join(''), problems, counted };
    };
    const one = await read(Number.POSITIVE_INFINITY);
    // Plain logs of 20 KB and more go to the workers: two of the sample bundle's, and pod.log.
    const parallel = await read(20_000);
    expect(one.text.split('\n').length).toBeGreaterThan(500);
    expect(parallel.text).toBe(one.text);
    expect(one.ndjson).toBe(one.text);
    expect(parallel.ndjson).toBe(one.text);
    expect(parallel.problems).toEqual(one.problems);
    expect(one.problems.map((problem) => problem.problem)).toContain(
      'line 3 is longer than 300 bytes (400+); skipped (raise it with --max-line)',
    );
    expect(parallel.counted).toEqual(one.counted);
  });

  it("counts an archive's and a compressed file's logs in the scan workers as the one-thread reader does", async () => {
    const samples = join(import.meta.dirname, '../../samples/bundle');
    const sampleLog = readFileSync(join(samples, 'k8s02/journal/snap.microk8s.daemon-kubelite.log'));
    // One member over --max-line, read on from there on the main thread; one compressed log.
    const { root, dir } = makeBundle('evidence', {
      files: {
        'pod.log': `${`${POD}\n`.repeat(200)}${'x'.repeat(1200)}\n${`${POD}\n`.repeat(60)}`,
        'journal.log': JOURNAL,
      },
    });
    cleanup.push(root);
    writeFileSync(join(dir, 'kubelite.log.gz'), gzipSync(Buffer.concat([sampleLog, sampleLog, sampleLog])));
    const archive = tarOf(dir, join(root, 'evidence.tar.gz'));
    const count = (parallelMinBytes: number) =>
      countEvidenceEvents([archive, dir], { limits: { maxLineBytes: 1000 }, parallelMinBytes });
    const one = await count(Number.POSITIVE_INFINITY);
    // Members of 20 KB and more (compressed: 2.5 KB) are counted in the workers.
    const pooled = await count(20_000);
    expect(pooled).toEqual(one);
    expect(one.byKind.lease_lock_retrieve_error).toBeGreaterThan(500);
    expect(one.problems.map((problem) => problem.problem)).toContain(
      'line 401 is longer than 1000 bytes (1200+); skipped (raise it with --max-line)',
    );
  });

  it('names archive members without the top folder, as ingest does', async () => {
    const { root, dir } = makeBundle('inspection-report', { files: { 'b/pod.log': POD } });
    cleanup.push(root);
    const archive = tarOf(dir, join(root, 'report.tar.gz'));
    const { events } = await stream([archive]);
    expect(events.map((event) => event.file)).toEqual([
      join(archive, 'b/pod.log'),
      join(archive, 'b/pod.log'),
    ]);
  });
});
