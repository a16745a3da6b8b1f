import { describe, expect, it } from 'vitest';
import { describeSetAside, findSetAside } from '../../src/store/set-aside.js';
import type { ManifestEntry } from '../../src/types/index.js';

const sha = (c: string) => c.repeat(64);
const entry = (bundle: string, path: string, sha256: string, extra: Partial<ManifestEntry> = {}) => ({
  bundle,
  path,
  size: 10,
  mtimeMs: 0,
  sha256,
  type: 'klog',
  ...extra,
});

describe('findSetAside', () => {
  it('sets aside a later bundle’s copy of a file by name and sha256; the first bundle ingested keeps it', () => {
    const manifest = [
      entry('/b/later.tar.gz', 'logs/a.log', sha('1')),
      entry('/a/first', 'logs/a.log', sha('1')),
      entry('/b/later.tar.gz', 'logs/b.log', sha('2')),
    ];
    expect(findSetAside(manifest, ['/a/first', '/b/later.tar.gz'])).toEqual([
      { ...manifest[0], sameAs: { bundle: '/a/first', path: 'logs/a.log' } },
    ]);
    // Ingested the other way round, the tarball keeps it.
    expect(findSetAside(manifest, ['/b/later.tar.gz', '/a/first'])).toEqual([
      { ...manifest[1], sameAs: { bundle: '/b/later.tar.gz', path: 'logs/a.log' } },
    ]);
  });

  it('finds a copy under another folder, but not a file of another name with the same bytes', () => {
    const manifest = [
      entry('/a', 'k8s01/journal.log', sha('1')),
      entry('/b', 'node/journal.log', sha('1')),
      entry('/b', 'snapshot-1-200-1738473286', sha('3')),
      entry('/a', 'snapshot-1-200-1738473290', sha('3')),
    ];
    expect(findSetAside(manifest, ['/a', '/b']).map((f) => `${f.bundle}:${f.path}`)).toEqual([
      '/b:node/journal.log',
    ]);
  });

  it('never sets aside within one bundle, nor empty files, links or unreadable files', () => {
    const manifest = [
      entry('/a', 'x/same.log', sha('1')),
      entry('/a', 'y/same.log', sha('1')),
      entry('/a', 'empty.log', sha('e'), { size: 0 }),
      entry('/b', 'empty.log', sha('e'), { size: 0 }),
      entry('/a', 'current', sha('4'), { type: 'link', size: 0 }),
      entry('/b', 'current', sha('4'), { type: 'link', size: 0 }),
      entry('/a', 'bad.log', '', { error: 'unreadable' }),
      entry('/b', 'bad.log', '', { error: 'unreadable' }),
    ];
    expect(findSetAside(manifest, ['/a', '/b'])).toEqual([]);
  });
});

describe('describeSetAside', () => {
  it('says per pair of bundles how many files were set aside and why', () => {
    const copy = (bundle: string, path: string, from: string) => ({
      ...entry(bundle, path, sha('1')),
      sameAs: { bundle: from, path },
    });
    expect(
      describeSetAside([
        copy('/t/sample.tar.gz', 'a.log', '/s/bundle'),
        copy('/t/sample.tar.gz', 'b.log', '/s/bundle'),
        copy('/t/again', 'c.log', '/s/bundle'),
      ]),
    ).toEqual([
      '/t/sample.tar.gz: 2 files set aside, copies of files of /s/bundle (same name and sha256); not counted again',
      '/t/again: 1 file set aside, copies of files of /s/bundle (same name and sha256); not counted again',
    ]);
  });
});
