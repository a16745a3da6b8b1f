import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ingest } from '../../src/pipeline/ingest.js';
import { fingerprint, makeBundle, scratch, tarOf } from './_bundle.js';

const cleanup: string[] = [];
afterEach(() => {
  for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const LEASE_LINE =
  '2026-03-31T22:04:43.996994772Z I0331 22:04:43.996761       1 leaderelection.go:297] failed to renew lease kube-system/csi-nfs: context deadline exceeded\n';

async function tarball(
  entries: { header: Partial<tar.Header> & { name: string }; body?: string | Buffer }[],
): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (chunk) => {
    chunks.push(chunk as Buffer);
  });
  const done = new Promise<void>((resolve) => pack.on('end', () => resolve()));
  for (const entry of entries) pack.entry(entry.header as tar.Header, entry.body ?? '');
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

function problemsByFile(problems: { file: string; problem: string }[]): Record<string, string> {
  return Object.fromEntries(problems.map((problem) => [problem.file, problem.problem]));
}

describe('bad input is reported per file and the rest is ingested', () => {
  it('binary junk in a .log', async () => {
    const junk = Buffer.alloc(8192);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 7919) % 256;
    const { root, dir } = makeBundle('evidence', { files: { 'junk.log': junk, 'csi.log': LEASE_LINE } });
    cleanup.push(root);
    const data = await ingest([dir]);
    expect(problemsByFile(data.problems)).toEqual({
      'junk.log': 'binary data where text was expected; not parsed',
    });
    expect(data.manifest.find((entry) => entry.path === 'junk.log')).toMatchObject({
      type: 'unknown',
      size: 8192,
    });
    expect(data.events.map((event) => event.file)).toEqual(['csi.log']);
  });

  it('a 5 MB single line', async () => {
    const huge = `${'x'.repeat(5 * 1024 * 1024)} failed to renew lease kube-system/huge: context deadline exceeded\n`;
    const { root, dir } = makeBundle('evidence', {
      files: { 'big.log': `${LEASE_LINE}${huge}${LEASE_LINE}` },
    });
    cleanup.push(root);
    const data = await ingest([dir]);
    expect(data.problems).toHaveLength(1);
    expect(data.problems[0]?.problem).toMatch(
      /^line 2 is longer than 1048576 bytes \(\d+\+\); skipped \(raise it with --max-line\)$/,
    );
    expect(data.events.map((event) => [event.line, event.subject])).toEqual([
      [1, 'kube-system/csi-nfs'],
      [3, 'kube-system/csi-nfs'],
    ]);
    expect(data.manifest[0]?.size).toBe(Buffer.byteLength(`${LEASE_LINE}${huge}${LEASE_LINE}`));
  });

  it('a truncated gzip keeps the members read before the cut', async () => {
    const files: Record<string, string> = { 'a-first.log': LEASE_LINE };
    // Incompressible filler so the cut lands inside it, after a-first.log.
    let filler = '';
    for (let i = 0; filler.length < 400_000; i++)
      filler += `${(i * 2654435761) % 4294967296} ${Math.sin(i)}\n`;
    files['b-filler.txt'] = filler;
    files['c-last.log'] = LEASE_LINE;
    const { root, dir } = makeBundle('evidence', { files });
    cleanup.push(root);
    const whole = readFileSync(tarOf(dir, join(root, 'whole.tar.gz')));
    const cut = join(root, 'cut.tar.gz');
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    const data = await ingest([cut]);
    expect(data.events.map((event) => event.file)).toEqual(['a-first.log']);
    expect(data.manifest.find((entry) => entry.path === 'a-first.log')?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(data.problems.map((problem) => problem.problem)).toContain(
      'truncated gzip data (unexpected end of file)',
    );
    expect(data.manifest.some((entry) => entry.path === 'c-last.log')).toBe(false);
  });

  it("tar entries with '..', absolute paths and links leaving the bundle are refused; nothing is written", async () => {
    const root = scratch();
    cleanup.push(root);
    const archive = join(root, 'evil.tar');
    writeFileSync(
      archive,
      await tarball([
        { header: { name: 'evidence/ok.log' }, body: LEASE_LINE },
        { header: { name: 'evidence/../../escape.log' }, body: LEASE_LINE },
        { header: { name: '/tmp/absolute.log' }, body: LEASE_LINE },
        { header: { name: 'evidence/shadow', type: 'symlink', linkname: '../../../etc/shadow' } },
        { header: { name: 'evidence/abs-link', type: 'symlink', linkname: '/etc/passwd' } },
        { header: { name: 'evidence/inside-link', type: 'symlink', linkname: 'ok.log' } },
      ]),
    );
    const before = fingerprint(root);
    const data = await ingest([archive]);
    expect(problemsByFile(data.problems)).toEqual({
      'evidence/../../escape.log': "path with '..' in archive; skipped",
      '/tmp/absolute.log': 'absolute path in archive; skipped',
      'evidence/shadow': "link to '../../../etc/shadow' leaves the bundle; not followed",
      'evidence/abs-link': "link to '/etc/passwd' leaves the bundle; not followed",
    });
    expect(data.events.map((event) => event.file)).toEqual(['evidence/ok.log']);
    expect(data.manifest.find((entry) => entry.path === 'evidence/inside-link')?.type).toBe('link');
    expect(fingerprint(root)).toEqual(before);
  });

  it('a decompression bomb stops the archive with a problem', async () => {
    const root = scratch();
    cleanup.push(root);
    const archive = join(root, 'bomb.tar.gz');
    const zeros = Buffer.alloc(8 * 1024 * 1024);
    writeFileSync(
      archive,
      gzipSync(
        await tarball([
          { header: { name: 'a.log' }, body: LEASE_LINE },
          { header: { name: 'zeros.log' }, body: zeros },
        ]),
      ),
    );
    const data = await ingest([archive], { limits: { ratioFloorBytes: 1024 * 1024, maxRatio: 50 } });
    expect(data.problems.map((problem) => problem.problem).join('\n')).toMatch(
      /expands more than 50:1 \(decompression bomb\?\)/,
    );
    expect(data.events.map((event) => event.file)).toEqual(['a.log']);
  });

  it('a member over the size cap is named and not read', async () => {
    const { root, dir } = makeBundle('evidence', {
      files: { 'a.log': LEASE_LINE, 'z-big.log': 'y'.repeat(4096) },
    });
    cleanup.push(root);
    const data = await ingest([dir], { limits: { maxEntryBytes: 1024 } });
    expect(problemsByFile(data.problems)).toEqual({
      'z-big.log': '4096 bytes, over the 1024-byte limit per file; not read (raise it with --max-file-size)',
    });
    expect(data.events).toHaveLength(1);
  });

  it.skipIf(process.getuid?.() === 0)('an unreadable file (permission denied)', async () => {
    const { root, dir } = makeBundle('evidence', {
      files: { 'a.log': LEASE_LINE, 'secret.log': LEASE_LINE },
    });
    cleanup.push(root);
    chmodSync(join(dir, 'secret.log'), 0o000);
    const data = await ingest([dir]);
    expect(problemsByFile(data.problems)).toEqual({ 'secret.log': 'cannot read (EACCES)' });
    expect(data.events.map((event) => event.file)).toEqual(['a.log']);
  });

  it('an unreadable file (a socket where a file was expected)', async () => {
    const { root, dir } = makeBundle('evidence', { files: { 'a.log': LEASE_LINE } });
    cleanup.push(root);
    const { createServer } = await import('node:net');
    const server = createServer().listen(join(dir, 'kine.sock'));
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const data = await ingest([dir]);
      expect(problemsByFile(data.problems)).toEqual({
        'kine.sock': 'not a regular file (device, socket or pipe); not read',
      });
      expect(data.manifest.map((entry) => [entry.path, entry.type])).toEqual([
        ['a.log', 'kubectl-timestamps'],
        ['kine.sock', 'unknown'],
      ]);
    } finally {
      server.close();
    }
  });

  it('a folder link that leaves the bundle is recorded as a problem, one inside as a link', async () => {
    const { root, dir } = makeBundle('evidence', { files: { 'a.log': LEASE_LINE } });
    cleanup.push(root);
    const { symlinkSync } = await import('node:fs');
    symlinkSync('/etc/passwd', join(dir, 'passwd'));
    symlinkSync('a.log', join(dir, 'current.log'));
    const data = await ingest([dir]);
    expect(problemsByFile(data.problems)).toEqual({
      passwd: "symbolic link to '/etc/passwd' leaves the bundle; not followed",
    });
    expect(data.manifest.find((entry) => entry.path === 'current.log')?.type).toBe('link');
    expect(data.events).toHaveLength(1);
  });
});

describe('a reader that fails', () => {
  it('costs only that file its parsing: it is still hashed and listed, the rest is read', async () => {
    const { DOCUMENT_READERS } = await import('../../src/parse/documents.js');
    const original = DOCUMENT_READERS['ls-listing'];
    DOCUMENT_READERS['ls-listing'] = () => {
      throw new Error('boom');
    };
    try {
      const { root, dir } = makeBundle('evidence', {
        files: {
          'backend-ls.txt':
            '-rw-rw---- 1 root microk8s 1 2026-04-01 05:45:20.000283761 +0000 snapshot-1-2-3\n',
          'a.log': LEASE_LINE,
        },
      });
      cleanup.push(root);
      const data = await ingest([dir]);
      expect(problemsByFile(data.problems)).toEqual({
        'backend-ls.txt':
          'not parsed: internal error in the ls-listing reader (boom); hashed and listed only',
      });
      expect(data.manifest.find((entry) => entry.path === 'backend-ls.txt')?.sha256).toMatch(
        /^[0-9a-f]{64}$/,
      );
      expect(data.events.map((event) => event.file)).toEqual(['a.log']);
    } finally {
      DOCUMENT_READERS['ls-listing'] = original as NonNullable<typeof original>;
    }
  });
});
