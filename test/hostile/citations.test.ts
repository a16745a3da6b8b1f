/**
 * Citations cannot lie: in an archive whose members share names (the same name twice, `x//a.log`
 * beside `x/a.log`, two non-UTF-8 names a decoder would both turn into U+FFFD), every line the
 * analysis quotes must be, at the cited line number, in the member whose sha256 is cited.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tar from 'tar-stream';
import { afterAll, describe, expect, it } from 'vitest';
import { renameMember, tarball } from './_make.js';
import { run } from './_run.js';

const root = mkdtempSync(join(tmpdir(), 'howchain-citations-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A lease failure line of `subject` at second `second`, distinct per member so a mix-up shows. */
const lease = (subject: string, second: number) =>
  `2026-03-31T22:04:${String(second).padStart(2, '0')}.000000000Z E0331 22:04:${String(second).padStart(2, '0')}.000000       1 leaderelection.go:297] failed to renew lease kube-system/${subject}: context deadline exceeded\n`;

/** The sha256 and lines of every member of a plain tar, in order. */
async function membersOf(archive: Buffer): Promise<{ sha256: string; lines: string[] }[]> {
  const extract = tar.extract();
  const members: { sha256: string; lines: string[] }[] = [];
  extract.on('entry', (_header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk) => {
      chunks.push(chunk as Buffer);
    });
    stream.on('end', () => {
      const body = Buffer.concat(chunks);
      members.push({
        sha256: createHash('sha256').update(body).digest('hex'),
        lines: body.toString('utf8').split('\n'),
      });
      next();
    });
  });
  const done = new Promise<void>((resolve) => extract.on('finish', () => resolve()));
  extract.end(archive);
  await done;
  return members;
}

/** Every evidence reference with a line in the analysis JSON, wherever it sits. */
function lineRefs(
  value: unknown,
  found: { file: string; line: number; sha256: string; excerpt?: string }[] = [],
) {
  if (Array.isArray(value)) for (const item of value) lineRefs(item, found);
  else if (value && typeof value === 'object') {
    const ref = value as Record<string, unknown>;
    if (typeof ref.file === 'string' && typeof ref.line === 'number' && typeof ref.sha256 === 'string')
      found.push(ref as never);
    for (const child of Object.values(ref)) lineRefs(child, found);
  }
  return found;
}

describe('citations in an archive with colliding member names', () => {
  it('every quoted line is in the member whose sha256 is cited, at the cited line', async () => {
    const mtime = new Date('2026-04-01T00:00:00Z');
    const body = (subject: string, from: number) =>
      Array.from({ length: 4 }, (_, i) => lease(`${subject}-${i}`, from + i)).join('');
    const archive = await tarball(
      [
        { header: { name: 'logs/a.log', mtime }, body: body('first', 0) },
        { header: { name: 'logs//a.log', mtime }, body: `padding line\n${body('second', 10)}` },
        { header: { name: 'logs/a.log', mtime }, body: `one\ntwo\n${body('third', 20)}` },
        { header: { name: 'logs/1.log', mtime }, body: body('ff', 30) },
        { header: { name: 'logs/2.log', mtime }, body: `x\n${body('fe', 40)}` },
      ],
      false,
    );
    renameMember(archive, 'logs/1.log', Buffer.from('logs/\xff.log', 'latin1'));
    renameMember(archive, 'logs/2.log', Buffer.from('logs/\xfe.log', 'latin1'));
    mkdirSync(join(root, 'ev'));
    writeFileSync(join(root, 'ev/dup.tar'), archive);

    const ran = await run(root, ['analyze', 'ev/dup.tar', '--json', '--permutations', '9']);
    expect(ran.code, ran.stderr).toBe(2);
    const result = JSON.parse(ran.stdout) as { manifest: { path: string; sha256: string }[] };
    const members = await membersOf(readFileSync(join(root, 'ev/dup.tar')));
    // Five members, five manifest entries, five different hashes: nothing merged.
    expect(new Set(result.manifest.map((entry) => entry.sha256))).toEqual(
      new Set(members.map((m) => m.sha256)),
    );
    expect(result.manifest).toHaveLength(5);

    const refs = lineRefs(result);
    expect(refs.length).toBeGreaterThan(0);
    const bySha = new Map(members.map((member) => [member.sha256, member]));
    for (const ref of refs) {
      const member = bySha.get(ref.sha256);
      expect(member, `${ref.file}:${ref.line} cites sha256 ${ref.sha256}, no member has it`).toBeDefined();
      const line = member!.lines[ref.line - 1] ?? '';
      expect(line, `${ref.file}:${ref.line}`).toMatch(/failed to renew lease/);
      if (ref.excerpt)
        expect(line, `${ref.file}:${ref.line}`).toContain(ref.excerpt.replace(/…$/, '').slice(0, 60));
    }
  }, 120_000);
});
