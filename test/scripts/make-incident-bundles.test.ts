import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/pipeline/ingest.js';
import { EVENT_KINDS, type CaseData, type EventKind } from '../../src/types/index.js';

const scratch = mkdtempSync(join(tmpdir(), 'howchain-incidents-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const LIBRARY = 'samples/incidents';

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

describe('scripts/make-incident-bundles.ts', () => {
  it('reproduces the committed incident library byte for byte', async () => {
    const out = join(scratch, 'incidents');
    await promisify(execFile)('node', ['--import', 'tsx', 'scripts/make-incident-bundles.ts', out]);
    expect(files(out)).toEqual(files(LIBRARY));
    for (const file of files(out))
      expect(readFileSync(join(out, file)).equals(readFileSync(join(LIBRARY, file))), file).toBe(true);
  });
});

/**
 * What each bundle must show once read, and its noisy variant must not: the event kind of the class
 * (or the fact a detector reads), so a detector has its evidence before the chain is asked anything.
 */
const shows: Record<string, (data: CaseData) => unknown> = {
  'datastore-slow-disk': (d) => [
    d.events.filter((e) => e.kind === 'datastore_slow' && e.attrs?.signal === 'fdatasync').length,
    d.facts.flatMap((f) => (f.kind === 'storage-bench' ? [f.syncWriteMs] : [])),
  ],
  'datastore-growth': (d) => d.facts.flatMap((f) => (f.kind === 'file-size' ? [[f.role, f.bytes]] : [])),
  'disk-full': (d) => [
    d.events.filter((e) => e.kind === 'disk_full').length,
    d.manifest.filter((m) => m.size === 0).map((m) => m.path),
  ],
  'node-pressure': (d) => d.events.filter((e) => e.kind === 'node_pressure').length,
  'cert-expired': (d) => [
    d.events.filter((e) => e.kind === 'cert_invalid').length,
    d.facts.flatMap((f) => (f.kind === 'certificate' ? [f.notAfter] : [])),
  ],
  'oom-kill': (d) => [
    d.events.filter((e) => e.kind === 'oom_kill').length,
    d.facts.flatMap((f) =>
      f.kind === 'pod' ? [f.lastTermination?.reason, f.lastTermination?.memoryLimit] : [],
    ),
  ],
  'image-pull-sandbox': (d) =>
    d.events.filter((e) => e.kind === 'image_pull_failure' && e.attrs?.sandbox).length,
  'dns-loop': (d) => d.events.filter((e) => e.kind === 'dns_failure' && e.attrs?.cause === 'loop').length,
  'apiserver-unreachable': (d) => d.events.filter((e) => e.kind === 'apiserver_unreachable').length,
  'unknown-flag': (d) => d.events.filter((e) => e.kind === 'unknown_flag').length,
  'normal-shutdown': (d) => d.events.filter((e) => e.kind === 'shutdown').map((e) => e.attrs?.stage),
};

const expected: Record<string, { bundle: unknown; noisy: unknown }> = {
  'datastore-slow-disk': { bundle: [16, [21.735]], noisy: [0, [0.684]] },
  'datastore-growth': {
    bundle: [
      ['database', 1181229056],
      ['wal', 227633266688],
    ],
    noisy: [
      ['database', 52428800],
      ['wal', 4124152],
    ],
  },
  'disk-full': { bundle: [6, ['certs/kubelet.crt']], noisy: [0, []] },
  'node-pressure': { bundle: 21, noisy: 0 },
  'cert-expired': {
    bundle: [6, ['2031-01-10T08:00:00.000Z', '2024-01-10T08:00:00.000Z']],
    noisy: [0, ['2031-01-10T08:00:00.000Z', '2034-01-01T00:00:00.000Z']],
  },
  'oom-kill': { bundle: [5, ['OOMKilled', '960Mi']], noisy: [0, ['Error', '960Mi']] },
  'image-pull-sandbox': { bundle: 10, noisy: 0 },
  'dns-loop': { bundle: 4, noisy: 0 },
  'apiserver-unreachable': { bundle: 10, noisy: 0 },
  'unknown-flag': { bundle: 12, noisy: 0 },
  'normal-shutdown': { bundle: ['stopping', 'stopped', 'stopped'], noisy: [] },
};

describe('the incident library', () => {
  it('has a bundle and a noisy variant for every class', () => {
    const classes = readdirSync(LIBRARY).filter((f) => statSync(join(LIBRARY, f)).isDirectory());
    expect(classes.sort()).toEqual(Object.keys(expected).sort());
    for (const id of classes) expect(readdirSync(join(LIBRARY, id)).sort()).toEqual(['bundle', 'noisy']);
  });

  for (const [id, want] of Object.entries(expected)) {
    it(`${id}: the bundle shows its cause, the noisy variant does not`, async () => {
      const bundle = await ingest([join(LIBRARY, id, 'bundle')]);
      const noisy = await ingest([join(LIBRARY, id, 'noisy')]);
      expect(bundle.problems).toEqual([]);
      expect(noisy.problems).toEqual([]);
      expect(shows[id]!(bundle)).toEqual(want.bundle);
      expect(shows[id]!(noisy)).toEqual(want.noisy);
    });
  }

  it('covers every event kind the rules know, across the library and the main sample', async () => {
    const kinds = new Set<EventKind>();
    for (const dir of [...Object.keys(expected).map((id) => join(LIBRARY, id, 'bundle')), 'samples/bundle'])
      for (const event of (await ingest([dir])).events) kinds.add(event.kind);
    expect([...kinds].sort()).toEqual([...EVENT_KINDS].sort());
  });
});
