/**
 * Reads a bundle: walks it once, hashing and parsing every member as it streams, has snapshot copies
 * decoded, and resolves event times against the bundle's collection time, into one BundleRecord for
 * the case store (src/pipeline/ingest.ts writes it). Per-file problems are recorded and the run goes
 * on. Evidence is only ever opened for reading; scratch files live in a private temp folder that is
 * removed at the end, also on errors.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { UsageError } from '../errors.js';
import { compareEvents, finalizeEvent, type PendingEvent } from '../parse/event.js';
import type { ParseLimits } from '../parse/file.js';
import { parseSnapshotName } from '../parse/dqlite/name.js';
import {
  checkTimeZone,
  parseIsoPartial,
  resolveTime,
  zoneOffsetMinutes,
  type TimeContext,
} from '../parse/time.js';
import type {
  Annotation,
  BundleRecord,
  EvidenceEvent,
  ManifestEntry,
  ObjectFact,
  ProgressCallback,
  SnapshotDecoder,
  SnapshotReport,
} from '../types/index.js';
import { collectionStampFromName, recogniseBundle } from './kind.js';
import { readMember } from './member.js';
import type { BundleLimits } from './safety.js';
import { commonTopFolder, linkDigest, openBundle } from './source.js';

/** Label used in the case for problems that concern a whole archive rather than one member. */
export const ARCHIVE_PROBLEM_FILE = '(archive)';

/** Latest full (year-bearing) time in the evidence: when it was collected, near enough to place year-less lines. */
function evidenceAnchor(
  events: PendingEvent[],
  facts: ObjectFact[],
  context: TimeContext,
): number | undefined {
  let latest: number | undefined;
  const consider = (iso: string | null) => {
    if (!iso) return;
    const ms = Date.parse(iso);
    if (Number.isFinite(ms) && (latest === undefined || ms > latest)) latest = ms;
  };
  for (const event of events) {
    if (event.time?.year !== undefined)
      consider(resolveTime(event.time, event.origin, { tz: context.tz }).ts);
  }
  for (const fact of facts) {
    if (fact.kind === 'lease') consider(fact.renewTime);
    else if (fact.kind === 'pod') consider(fact.lastTermination?.finishedAt ?? null);
    else if (fact.kind === 'node')
      for (const condition of fact.conditions) consider(condition.lastTransitionTime);
  }
  return latest;
}

interface Collected {
  manifest: ManifestEntry[];
  events: PendingEvent[];
  facts: ObjectFact[];
  annotations: Annotation[];
  problems: { file: string; problem: string }[];
  unreadable: Set<string>;
  snapshots: { path: string; readablePath: string; mtimeMs: number }[];
}

export interface ReadOptions {
  limits: BundleLimits & ParseLimits;
  context: TimeContext;
  onProgress?: ProgressCallback;
  /** Hash members and decode snapshot copies (ingest); `events` only classifies. */
  custody: boolean;
  /** Decodes snapshot copies when `custody` is set (the pipeline passes the store's decoder). */
  decodeSnapshot?: SnapshotDecoder;
  /** Hand log-line events over as they are found instead of keeping them (their times stay unresolved). */
  onEvent?: (event: PendingEvent) => void;
}

/** Reads one bundle (folder, archive or single file) into a record, without touching any case. */
export async function readBundle(bundlePath: string, options: ReadOptions): Promise<BundleRecord> {
  const { limits, context, onProgress } = options;
  const walk = await openBundle(bundlePath, limits);
  const scratchRoot = mkdtempSync(join(tmpdir(), 'howchain-ingest-'));
  const scratchFolders = new Map<string, string>();
  const scratchFolderFor = (dir: string) => {
    let folder = scratchFolders.get(dir);
    if (!folder) {
      folder = join(scratchRoot, String(scratchFolders.size));
      mkdirSync(folder, { mode: 0o700 });
      scratchFolders.set(dir, folder);
    }
    return folder;
  };
  const label = basename(bundlePath);
  const collected: Collected = {
    manifest: [],
    events: [],
    facts: [],
    annotations: [],
    problems: [],
    unreadable: new Set(),
    snapshots: [],
  };
  try {
    for await (const member of walk.members) {
      const progress = walk.progress();
      onProgress?.(progress.done, progress.total, `${label}: ${member.path}`);
      if (member.kind === 'problem') {
        if (member.path === '') {
          collected.problems.push({ file: ARCHIVE_PROBLEM_FILE, problem: member.problem });
          continue;
        }
        collected.manifest.push({
          bundle: bundlePath,
          path: member.path,
          size: member.size ?? 0,
          mtimeMs: member.mtimeMs ?? 0,
          sha256: '',
          type: 'unknown',
          error: member.problem,
        });
        collected.problems.push({ file: member.path, problem: member.problem });
        collected.unreadable.add(member.path);
        continue;
      }
      if (member.kind === 'link') {
        // A link's content is its target text; it is recorded, not followed.
        collected.manifest.push({
          bundle: bundlePath,
          path: member.path,
          size: 0,
          mtimeMs: member.mtimeMs,
          sha256: linkDigest(member.target),
          type: 'link',
        });
        continue;
      }
      const report = () => {
        const now = walk.progress();
        onProgress?.(now.done, now.total, `${label}: ${member.path}`);
      };
      const output = await readMember({ bundle: bundlePath, ...member }, limits, {
        onChunk: onProgress ? report : undefined,
        hash: options.custody,
        onEvent: options.onEvent,
        scratchFolderFor: options.custody ? scratchFolderFor : null,
      });
      collected.manifest.push(output.entry);
      collected.events.push(...output.result.events);
      collected.facts.push(...output.result.facts);
      collected.annotations.push(...output.result.annotations);
      for (const problem of output.result.problems) collected.problems.push({ file: member.path, problem });
      if (output.unreadable) collected.unreadable.add(member.path);
      if (options.custody && output.entry.type === 'dqlite-snapshot' && output.readablePath) {
        collected.snapshots.push({
          path: member.path,
          readablePath: output.readablePath,
          mtimeMs: member.mtimeMs,
        });
      }
    }
    if (walk.container !== 'folder') stripTopFolder(collected);
    const resolvedContext = { ...context, anchorMs: collectionAnchor(bundlePath, collected, context) };
    const snapshotReports = options.decodeSnapshot
      ? await decodeSnapshots(
          collected,
          listedTimes(collected.events, resolvedContext),
          options.decodeSnapshot,
        )
      : [];
    return finish(bundlePath, walk.container, collected, snapshotReports, resolvedContext);
  } finally {
    rmSync(scratchRoot, { recursive: true, force: true });
  }
}

function stripTopFolder(collected: Collected): void {
  const prefix = commonTopFolder(collected.manifest.map((entry) => entry.path));
  if (!prefix) return;
  const strip = (path: string) => (path.startsWith(prefix) ? path.slice(prefix.length) : path);
  for (const entry of collected.manifest) entry.path = strip(entry.path);
  for (const event of collected.events) event.file = strip(event.file);
  for (const fact of collected.facts) fact.file = strip(fact.file);
  for (const note of collected.annotations) note.file = strip(note.file);
  for (const problem of collected.problems) problem.file = strip(problem.file);
  for (const snapshot of collected.snapshots) snapshot.path = strip(snapshot.path);
  collected.unreadable = new Set([...collected.unreadable].map(strip));
}

/**
 * When each snapshot file was written, by name, as listings and inventories in the bundle give it:
 * file copies (and git checkouts) lose the original mtime, the listings keep it.
 */
function listedTimes(
  events: PendingEvent[],
  context: TimeContext,
): Map<string, { ms: number; where: string }> {
  const times = new Map<string, { ms: number; where: string }>();
  for (const event of events) {
    const name = event.attrs?.name;
    if (event.kind !== 'snapshot' || typeof name !== 'string' || times.has(name)) continue;
    const ts = resolveTime(event.time, event.origin, context).ts;
    if (ts) times.set(name, { ms: Date.parse(ts), where: `${event.file}:${event.line}` });
  }
  return times;
}

async function decodeSnapshots(
  collected: Collected,
  listed: Map<string, { ms: number; where: string }>,
  decodeSnapshot: SnapshotDecoder,
): Promise<SnapshotReport[]> {
  const reports: SnapshotReport[] = [];
  for (const snapshot of collected.snapshots) {
    const entry = collected.manifest.find((candidate) => candidate.path === snapshot.path);
    const name = basename(snapshot.path);
    const listing = listed.get(name);
    try {
      const report = await decodeSnapshot(snapshot.readablePath, {
        displayName: snapshot.path,
        mtimeMs: listing?.ms ?? snapshot.mtimeMs,
      });
      reports.push(report);
      const parsed = parseSnapshotName(name);
      const anchor = listing ? `mtime listed in ${listing.where}` : report.meta.wallClockAnchor;
      collected.events.push({
        file: snapshot.path,
        line: 1,
        time: report.meta.wallClock ? parseIsoPartial(report.meta.wallClock) : null,
        origin: 'mtime',
        kind: 'snapshot',
        subject: null,
        source: 'dqlite-snapshot',
        severity: 'info',
        message: `${name} (${report.bytes} bytes; wall clock from ${anchor})`,
        attrs: {
          bytes: report.bytes,
          name,
          term: parsed?.term ?? null,
          index: parsed?.index ?? null,
          wallClockAnchor: anchor,
        },
      });
    } catch (error) {
      const problem = `snapshot not decoded: ${(error as Error).message}`;
      collected.problems.push({ file: snapshot.path, problem });
      if (entry) entry.error = entry.error ? `${entry.error}; ${problem}` : problem;
    }
  }
  return reports;
}

/**
 * When the evidence was collected, to place year-less times: the collector's stamp in the bundle
 * name, else the latest full time in the evidence, else the latest file mtime.
 */
function collectionAnchor(
  bundlePath: string,
  collected: Collected,
  context: TimeContext,
): number | undefined {
  const stamp = collectionStampFromName(basename(bundlePath));
  if (stamp) {
    const local = Date.UTC(stamp.year, stamp.month - 1, stamp.day, stamp.hour, stamp.minute, stamp.second);
    return local - (context.tz ? (zoneOffsetMinutes(context.tz, local) ?? 0) : 0) * 60_000;
  }
  return (
    evidenceAnchor(collected.events, collected.facts, context) ??
    (Math.max(0, ...collected.manifest.map((entry) => entry.mtimeMs)) || undefined)
  );
}

function finish(
  bundlePath: string,
  container: string,
  collected: Collected,
  snapshotReports: SnapshotReport[],
  context: TimeContext,
): BundleRecord {
  const events: EvidenceEvent[] = collected.events.map((pending) => finalizeEvent(pending, context));
  events.sort(compareEvents);
  collected.manifest.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    bundle: bundlePath,
    kind: recogniseBundle(collected.manifest.map((entry) => entry.path)),
    container,
    manifest: collected.manifest,
    events,
    facts: collected.facts,
    snapshotReports,
    annotations: collected.annotations,
    problems: collected.problems,
    unreadable: collected.unreadable,
  };
}

/** Rejects a --tz or --year that cannot be used, before any evidence is read. */
export function checkTimeOptions(options: { year?: number; tz?: string }): void {
  if (options.tz !== undefined && !checkTimeZone(options.tz)) {
    throw new UsageError(
      `--tz ${options.tz}: not an offset like +10:00 or a zone name like Australia/Brisbane`,
    );
  }
  if (
    options.year !== undefined &&
    !(Number.isInteger(options.year) && options.year >= 1970 && options.year <= 9999)
  ) {
    throw new UsageError(`--year ${options.year}: not a year`);
  }
}
