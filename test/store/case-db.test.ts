import Database from 'better-sqlite3';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CASE_SCHEMA_VERSION,
  loadCase,
  loadCaseSummary,
  openCase,
  openCaseReader,
  saveBundle,
} from '../../src/store/case-db.js';
import type { BundleRecord, EvidenceEvent, SnapshotReport } from '../../src/types/index.js';
import { scratch } from '../bundle/_bundle.js';

const cleanup: string[] = [];
afterEach(() => {
  for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function record(bundle: string, files: string[], overrides: Partial<BundleRecord> = {}): BundleRecord {
  return {
    bundle,
    kind: 'plain',
    container: 'folder',
    manifest: files.map((path) => ({
      bundle,
      path,
      size: 1,
      mtimeMs: 0,
      sha256: 'a'.repeat(64),
      type: 'text',
    })),
    events: files.map((file) => ({
      file,
      line: 1,
      ts: '2026-03-31T22:00:00.000Z',
      tsSource: 'line' as const,
      kind: 'crashloop' as const,
      subject: null,
      source: 'text',
      severity: 'warning' as const,
      message: 'Back-off restarting failed container',
    })),
    facts: [],
    snapshotReports: [],
    annotations: [],
    problems: [],
    unreadable: new Set(),
    ...overrides,
  };
}

describe('case database', () => {
  it('stamps its schema version and reads back what was saved', () => {
    const dir = scratch();
    cleanup.push(dir);
    const path = join(dir, 'case.db');
    const db = openCase(path);
    saveBundle(db, record('/b1', ['a.log', 'b.log']));
    db.close();
    const data = loadCase(path);
    expect(data.manifest.map((entry) => entry.path)).toEqual(['a.log', 'b.log']);
    expect(data.events.map((event) => [event.bundle, event.file])).toEqual([
      ['/b1', 'a.log'],
      ['/b1', 'b.log'],
    ]);
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(CASE_SCHEMA_VERSION);
    raw.close();
  });

  it('replaces a file’s rows on re-ingest and keeps other bundles', () => {
    const dir = scratch();
    cleanup.push(dir);
    const path = join(dir, 'case.db');
    const db = openCase(path);
    const other = record('/b2', ['a.log']);
    other.manifest[0]!.sha256 = 'b'.repeat(64);
    saveBundle(db, record('/b1', ['a.log']));
    saveBundle(db, other);
    saveBundle(db, record('/b1', ['a.log']));
    db.close();
    expect(loadCase(path).events).toHaveLength(2);
  });

  it('reads a later bundle’s copy of a file (same name, same sha256) once, and names it as set aside', () => {
    const dir = scratch();
    cleanup.push(dir);
    const path = join(dir, 'case.db');
    const db = openCase(path);
    saveBundle(db, record('/b2', ['a.log', 'b.log']));
    saveBundle(db, record('/b1', ['a.log']));
    db.close();
    const data = loadCase(path);
    expect(data.events.map((event) => `${event.bundle}:${event.file}`)).toEqual(['/b2:a.log', '/b2:b.log']);
    expect(data.manifest.map((entry) => `${entry.bundle}:${entry.path}`)).toEqual(['/b2:a.log', '/b2:b.log']);
    expect(data.setAside).toEqual([
      { ...record('/b1', ['a.log']).manifest[0], sameAs: { bundle: '/b2', path: 'a.log' } },
    ]);
  });

  it('a failed write leaves the case as it was', () => {
    const dir = scratch();
    cleanup.push(dir);
    const path = join(dir, 'case.db');
    const db = openCase(path);
    saveBundle(db, record('/b1', ['a.log']));
    const broken = record('/b1', ['a.log', 'b.log']);
    // A fact that cannot be serialised fails the transaction half-way.
    const circular: Record<string, unknown> = { kind: 'count', file: 'b.log' };
    circular.self = circular;
    broken.facts = [circular as never];
    expect(() => saveBundle(db, broken)).toThrow();
    db.close();
    const data = loadCase(path);
    expect(data.manifest.map((entry) => entry.path)).toEqual(['a.log']);
    expect(data.events).toHaveLength(1);
  });

  it('refuses files that are not howchain cases', () => {
    const dir = scratch();
    cleanup.push(dir);
    const other = join(dir, 'other.db');
    const raw = new Database(other);
    raw.exec('CREATE TABLE t (x)');
    raw.close();
    // One message, whether the case is to be written or read.
    const refusal = `${other}: not a howchain case database (an SQLite file without a case's bundles/manifest/events tables); it was left as it was`;
    expect(() => openCase(other)).toThrow(refusal);
    expect(() => loadCase(other)).toThrow(refusal);
    expect(() => loadCase(join(dir, 'missing.db'))).toThrow(/no such case database/);
    const text = join(dir, 'notes.db');
    writeFileSync(text, 'not a database at all\n');
    for (const open of [openCase, loadCase])
      expect(() => open(text)).toThrow(
        `${text}: not a howchain case database (file is not a database); it was left as it was`,
      );
  });
});

describe('reading a case for analysis, and its summary', () => {
  function saved(): string {
    const dir = scratch();
    cleanup.push(dir);
    const path = join(dir, 'case.db');
    const db = openCase(path);
    saveBundle(
      db,
      record('/b1', ['a.log', 'b.log'], {
        facts: [
          {
            kind: 'lease',
            file: 'a.log',
            line: 1,
            sha256: '',
            namespace: 'kube-system',
            name: 'x',
            holder: null,
            acquireTime: null,
            renewTime: null,
            transitions: null,
            leaseDurationSeconds: null,
          },
        ],
      }),
    );
    // The same file again in a later bundle: set aside, so neither read counts it.
    saveBundle(db, record('/b2', ['a.log']));
    db.close();
    return path;
  }

  it('openCaseReader: the same events as loadCase, each message read from the file when asked', () => {
    const path = saved();
    const whole = loadCase(path);
    const reader = openCaseReader(path);
    try {
      const withMessage = (event: EvidenceEvent) => ({ ...event, message: event.message });
      expect(reader.data.events.map(withMessage)).toEqual(whole.events.map(withMessage));
      // Serialised events carry their message, as loaded ones do.
      expect(JSON.parse(JSON.stringify(reader.data.events))).toEqual(
        JSON.parse(JSON.stringify(whole.events)),
      );
      // Repeated values are one string, not one per row.
      const [first, second] = reader.data.events;
      expect(Object.is(first!.bundle, second!.bundle)).toBe(true);
    } finally {
      reader.close();
    }
    expect(() => reader.data.events.at(0).message).toThrow(/after its case was closed/);
  });

  it('a snapshot report stored before kine prefixes were folded reads with its sums: nothing folded', () => {
    const dir = scratch();
    cleanup.push(dir);
    const path = join(dir, 'case.db');
    const prefixes = [
      { prefix: '/registry/pods/', rows: 5, liveKeys: 3, deletedRows: 1, bytes: 700 },
      { prefix: '/registry/leases/', rows: 2, liveKeys: 2, deletedRows: 0, bytes: 90 },
    ];
    // The shape an earlier howchain wrote: every prefix listed, no bytes, count or folded sums.
    const kine = { rows: 7, liveKeys: 5, deletedRows: 1, prefixes };
    const report = {
      file: 'a.log',
      sha256: 'a'.repeat(64),
      bytes: 1,
      compressed: true,
      payloadBytes: 1,
      meta: {
        term: 1,
        index: 1,
        timestamp: 1,
        wallClock: null,
        wallClockAnchor: 'none',
        configurationIndex: null,
      },
      databases: [
        { name: 'db', pageSize: 4096, pageCount: 1, freelistCount: 0, walFrames: 0, tables: [], kine },
      ],
      warnings: [],
    } as unknown as SnapshotReport;
    const db = openCase(path);
    saveBundle(db, record('/b1', ['a.log'], { snapshotReports: [report] }));
    db.close();
    expect(loadCase(path).snapshotReports[0]!.databases[0]!.kine).toEqual({
      ...kine,
      bytes: 790,
      prefixCount: 2,
      otherPrefixes: { prefixes: 0, rows: 0, liveKeys: 0, deletedRows: 0, bytes: 0 },
    });
  });

  it('loadCaseSummary counts events and facts per kind without reading them, set-aside copies left out', () => {
    const summary = loadCaseSummary(saved());
    expect(summary.eventsByKind).toEqual({ crashloop: 2 });
    expect(summary.factsByKind).toEqual({ lease: 1 });
    expect(summary.manifest.map((entry) => [entry.bundle, entry.path])).toEqual([
      ['/b1', 'a.log'],
      ['/b1', 'b.log'],
    ]);
    expect(summary.snapshots).toBe(0);
  });
});
