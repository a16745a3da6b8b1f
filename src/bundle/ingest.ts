/**
 * Reads a bundle: walks it once, hashing and parsing every member as it streams, has snapshot copies
 * decoded, and resolves event times against the bundle's collection time, into one BundleRecord for
 * the case store (src/pipeline/ingest.ts writes it). Per-file problems are recorded and the run goes
 * on. Evidence is only ever opened for reading; scratch files live in a private temp folder that is
 * removed at the end, also on errors.
 */
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UsageError } from '../errors.js';
import { makeScratchDir, removeScratchDir } from '../scratch.js';
import { finalizeEvent, later, TimeResolver, type PendingEvent } from '../parse/event.js';
import { logProblems, type ParseLimits } from '../parse/file.js';
import { plainLogType, scanFileInParallel, type RangeTask } from '../parse/parallel-scan.js';
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
  EventKind,
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
import { commonTopFolder, linkDigest, openBundle, withoutTopFolder, type BundleWalk } from './source.js';
import { appendAll, maxOf } from '../bounded.js';
import { Spill } from './spill.js';

/** Label used in the case for problems that concern a whole archive rather than one member. */
export const ARCHIVE_PROBLEM_FILE = '(archive)';

/**
 * Latest full (year-bearing) time in the evidence: when it was collected, near enough to place
 * year-less lines. Events' times were followed as they streamed past (`latestEvent`).
 */
function evidenceAnchor(facts: ObjectFact[], latestEvent: string | null): number | undefined {
  let latest: number | undefined;
  const consider = (iso: string | null) => {
    if (!iso) return;
    const ms = Date.parse(iso);
    if (Number.isFinite(ms) && (latest === undefined || ms > latest)) latest = ms;
  };
  consider(latestEvent);
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
  /** Events wait on disk for the collection anchor that places their year-less times. */
  events: Spill<PendingEvent>;
  /** Snapshot listing and trace lines, also kept in memory: they date the snapshot copies. */
  snapshotLines: PendingEvent[];
  /** Events of the decoded snapshot copies, added once the walk is done. */
  copyEvents: PendingEvent[];
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
  /** Awaited now and then while events are handed on: the consumer's output draining (see eachPaced). */
  pace?: () => Promise<void>;
  /** Hash members and decode snapshot copies (ingest); `events` only classifies. */
  custody: boolean;
  /** Decodes snapshot copies when `custody` is set (the pipeline passes the store's decoder). */
  decodeSnapshot?: SnapshotDecoder;
  /**
   * Hand events over as they are found (log lines as they are classified, a document's when it is
   * read) instead of keeping them; their times stay unresolved. Snapshot copies' events stay in the
   * record.
   */
  onEvent?: (event: PendingEvent) => void;
  /** Told the container as soon as the bundle is opened. */
  onOpen?: (container: BundleWalk['container']) => void;
  /**
   * Told, once every member is read, what handed-over events need to be finished like the record's:
   * the time context (with the collection anchor) and the top folder archive paths lose ('' if none).
   */
  onResolved?: (resolved: { context: TimeContext; topFolder: string }) => void;
  /**
   * Scan plain log files of a folder of at least `minBytes` in worker threads, one file at a time
   * with every core, handing their events over in order as the one-thread reader does; when only
   * counting, archive members and compressed files as large (expanded) too, their bytes cut into
   * runs on this thread. Only without custody: ingest's hash reads every byte on the main thread.
   */
  parallel?: {
    minBytes: number;
    /** Finish such a file's events in the workers as NDJSON lines (see RangeTask.finish) to `onNdjson`. */
    finish?: (memberPath: string) => RangeTask['finish'];
    /** False: the bytes were consumed during the call (see scanFileInParallel's `onNdjson`). */
    onNdjson?: (bytes: Uint8Array) => boolean | void;
  };
  /**
   * With `parallel` and no time following (`onResolved`): such files' events are only counted, in
   * the workers, and the counts per kind come here instead of their events to `onEvent`; the other
   * files' events come to `onEvent` without their message (a count reads none).
   */
  onCounts?: (counts: Partial<Record<EventKind, number>>) => void;
}

/** Reads one bundle (folder, archive or single file) into a record, without touching any case. */
export async function readBundle(bundlePath: string, options: ReadOptions): Promise<BundleRecord> {
  const { limits, context, onProgress } = options;
  const walk = await openBundle(bundlePath, limits);
  options.onOpen?.(walk.container);
  const collected: Collected = {
    manifest: [],
    events: new Spill(),
    snapshotLines: [],
    copyEvents: [],
    facts: [],
    annotations: [],
    problems: [],
    unreadable: new Set(),
    snapshots: [],
  };
  // The latest full time among the events, for the anchor.
  let latestEvent: string | null = null;
  const resolver = new TimeResolver({ tz: context.tz });
  const handOver =
    options.onEvent ??
    ((event: PendingEvent) => {
      if (event.kind === 'snapshot') collected.snapshotLines.push(event);
      collected.events.write(event);
    });
  // Times are resolved only when someone will use the anchor (a count of kinds does not).
  const followTimes = !options.onEvent || options.onResolved !== undefined;
  // Events only counted (`events --count`): no time is followed, and no message is read.
  const counting = !followTimes && options.onCounts !== undefined;
  const onEvent = followTimes
    ? (event: PendingEvent) => {
        if (event.time?.year !== undefined) {
          const ts = resolver.resolve(event.time, event.origin).ts;
          if (ts !== null && (latestEvent === null || later(ts, latestEvent))) latestEvent = ts;
        }
        handOver(event);
      }
    : handOver;
  const scratchRoot = makeScratchDir('ingest');
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
  let handedOn = false;
  // Counting (`events --count`), a member read as a stream (an archive's, a compressed file) is
  // classified in the scan workers when it is as large as a folder file that would be: a compressed
  // one when its stored bytes are an eighth of that (logs compress at least that well). Its events
  // are not taken from the workers: handing each back cost more than classifying it here (an archive
  // of 63 MB: --json 12 s -> 18 s, 340 -> 480 MB), this thread being busy with the archive itself.
  const parallel = options.parallel;
  const pooled = (member: { path: string; size: number }) =>
    parallel !== undefined &&
    counting &&
    !options.custody &&
    member.size >= (/\.gz$/i.test(member.path) ? parallel.minBytes / 8 : parallel.minBytes);
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
      const parallelType =
        options.parallel && !options.custody && member.diskPath !== undefined
          ? member.size >= options.parallel.minBytes
            ? plainLogType(member.diskPath, member.path)
            : null
          : null;
      if (parallelType && member.diskPath !== undefined) {
        // The member's stream is left unread (it opens the file only when read).
        const scanned = await scanFileInParallel({
          path: member.diskPath,
          size: member.size,
          file: member.path,
          type: parallelType,
          limits,
          mode: counting ? 'count' : 'events',
          onEvents: (events) => {
            for (const event of events) onEvent(event);
          },
          onProgress: (bytes) =>
            onProgress?.(progress.done + bytes, progress.total, `${label}: ${member.path}`),
          finish: counting ? undefined : options.parallel?.finish?.(member.path),
          onNdjson: options.parallel?.onNdjson,
          pace: options.pace,
        });
        if (counting) options.onCounts?.(scanned.counts);
        // Events finished in the workers never passed onEvent: their latest time counts for the anchor.
        if (scanned.latest !== null && (latestEvent === null || later(scanned.latest, latestEvent)))
          latestEvent = scanned.latest;
        const problems = logProblems(scanned.summary, limits);
        if (parallelType.problem) problems.unshift(parallelType.problem);
        const entry: ManifestEntry = {
          bundle: bundlePath,
          path: member.path,
          size: member.size,
          mtimeMs: member.mtimeMs,
          sha256: '',
          type: parallelType.id,
        };
        if (problems.length > 0) entry.error = problems.join('; ');
        collected.manifest.push(entry);
        for (const problem of problems) collected.problems.push({ file: member.path, problem });
        continue;
      }
      const report = () => {
        const now = walk.progress();
        onProgress?.(now.done, now.total, `${label}: ${member.path}`);
      };
      const output = await readMember({ bundle: bundlePath, ...member }, limits, {
        onChunk: onProgress ? report : undefined,
        pace: options.pace,
        hash: options.custody,
        onEvent,
        scratchFolderFor: options.custody ? scratchFolderFor : null,
        messages: !counting,
        pooled: pooled(member),
        onCounts: counting ? options.onCounts : undefined,
      });
      collected.manifest.push(output.entry);
      for (const event of output.result.events) onEvent(event);
      appendAll(collected.facts, output.result.facts);
      appendAll(collected.annotations, output.result.annotations);
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
    const topFolder = walk.container !== 'folder' ? stripTopFolder(collected) : '';
    const resolvedContext = {
      ...context,
      anchorMs: collectionAnchor(bundlePath, collected, context, latestEvent),
    };
    options.onResolved?.({ context: resolvedContext, topFolder });
    const snapshotReports = options.decodeSnapshot
      ? await decodeSnapshots(
          collected,
          recordedTimes(collected.snapshotLines, resolvedContext),
          options.decodeSnapshot,
        )
      : [];
    const record = finish(bundlePath, walk.container, collected, snapshotReports, resolvedContext, topFolder);
    handedOn = true;
    return record;
  } finally {
    removeScratchDir(scratchRoot);
    if (!handedOn) collected.events.close();
  }
}

/** Drops the one top folder all archive members share; returns it ('' if none). */
function stripTopFolder(collected: Collected): string {
  const prefix = commonTopFolder(collected.manifest.map((entry) => entry.path));
  if (!prefix) return '';
  const strip = (path: string) => withoutTopFolder(path, prefix);
  for (const entry of collected.manifest) entry.path = strip(entry.path);
  for (const event of collected.snapshotLines) event.file = strip(event.file);
  for (const fact of collected.facts) fact.file = strip(fact.file);
  for (const note of collected.annotations) note.file = strip(note.file);
  for (const problem of collected.problems) problem.file = strip(problem.file);
  for (const snapshot of collected.snapshots) snapshot.path = strip(snapshot.path);
  collected.unreadable = new Set([...collected.unreadable].map(strip));
  return prefix;
}

interface RecordedTime {
  ms: number;
  where: string;
  /** What the time is: the listed mtime, or a tracer line that took the snapshot. */
  anchor: string;
  placement: 'inventory' | 'listing' | 'trace';
}

/**
 * When snapshot files were written, as the bundle's own records give it: listings and inventories
 * by file name (file copies and git checkouts lose the original mtime, the listings keep it), and
 * dqlite/libraft trace lines (`take snapshot at <index>`) by raft index, with the journal's host.
 */
interface RecordedTimes {
  byName: Map<string, RecordedTime>;
  byIndex: Map<number, (RecordedTime & { host: string | null })[]>;
}

function recordedTimes(events: PendingEvent[], context: TimeContext): RecordedTimes {
  const byName = new Map<string, RecordedTime>();
  const byIndex = new Map<number, (RecordedTime & { host: string | null })[]>();
  for (const event of events) {
    if (event.kind !== 'snapshot') continue;
    const name = event.attrs?.name;
    const index = event.attrs?.index;
    const traced = event.attrs?.source === 'trace' && typeof index === 'number';
    if (!traced && (typeof name !== 'string' || byName.has(name))) continue;
    const ts = resolveTime(event.time, event.origin, context).ts;
    if (!ts) continue;
    const where = `${event.file}:${event.line}`;
    if (traced) {
      const anchor = `trace line in ${where} (take snapshot at ${index})`;
      const seen = byIndex.get(index) ?? [];
      seen.push({ ms: Date.parse(ts), where, anchor, placement: 'trace', host: event.subject });
      byIndex.set(index, seen);
    } else if (typeof name === 'string') {
      byName.set(name, {
        ms: Date.parse(ts),
        where,
        anchor: `mtime listed in ${where}`,
        placement: event.source === 'csv' ? 'inventory' : 'listing',
      });
    }
  }
  return { byName, byIndex };
}

/**
 * The recorded time of a snapshot copy: its listing first; else the trace line that took a snapshot
 * at the raft index in its name — from the copy's own node when several nodes traced that index
 * (nodes of one cluster can snapshot at the same index), none when that stays ambiguous.
 */
function recordedTimeOf(path: string, recorded: RecordedTimes): RecordedTime | undefined {
  const name = basename(path);
  const listed = recorded.byName.get(name);
  if (listed) return listed;
  const index = parseSnapshotName(name)?.index;
  const traced = index === undefined ? undefined : recorded.byIndex.get(index);
  if (!traced) return undefined;
  const folders = path.split('/').slice(0, -1);
  const sameNode = traced.filter((trace) => trace.host !== null && folders.includes(trace.host));
  if (sameNode.length > 0) return sameNode[0];
  const hosts = new Set(traced.map((trace) => trace.host));
  return hosts.size === 1 ? traced[0] : undefined;
}

async function decodeSnapshots(
  collected: Collected,
  recorded: RecordedTimes,
  decodeSnapshot: SnapshotDecoder,
): Promise<SnapshotReport[]> {
  const reports: SnapshotReport[] = [];
  for (const snapshot of collected.snapshots) {
    const entry = collected.manifest.find((candidate) => candidate.path === snapshot.path);
    const name = basename(snapshot.path);
    const known = recordedTimeOf(snapshot.path, recorded);
    try {
      const decoded = await decodeSnapshot(snapshot.readablePath, {
        displayName: snapshot.path,
        mtimeMs: known?.ms ?? snapshot.mtimeMs,
      });
      // The decoder takes any time it is given for the copy's mtime; a recorded time is not one.
      const report = known
        ? {
            ...decoded,
            meta: {
              ...decoded.meta,
              wallClockBasis: known.placement,
              ...(known.placement === 'trace' ? { wallClockAnchor: known.anchor } : {}),
            },
          }
        : decoded;
      reports.push(report);
      // Damage the decoder worked around (a torn WAL, bytes after the frame) is a problem with the
      // file, as `snapshot inspect` says; notes such as a missing .meta are not.
      for (const warning of report.warnings)
        if (/WAL frames|after the LZ4 frame/.test(warning))
          collected.problems.push({ file: snapshot.path, problem: warning });
      const parsed = parseSnapshotName(name);
      const anchor = known ? known.anchor : report.meta.wallClockAnchor;
      collected.copyEvents.push({
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
          placement: report.meta.wallClockBasis ?? 'none',
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
  latestEvent: string | null,
): number | undefined {
  return (
    stampAnchor(bundlePath, context) ??
    evidenceAnchor(collected.facts, latestEvent) ??
    (maxOf(
      collected.manifest.map((entry) => entry.mtimeMs),
      0,
    ) ||
      undefined)
  );
}

/** The collection time a collector's stamp in the bundle name gives (known before reading), if any. */
export function stampAnchor(bundlePath: string, context: TimeContext): number | undefined {
  const stamp = collectionStampFromName(basename(bundlePath));
  if (!stamp) return undefined;
  const local = Date.UTC(stamp.year, stamp.month - 1, stamp.day, stamp.hour, stamp.minute, stamp.second);
  return local - (context.tz ? (zoneOffsetMinutes(context.tz, local) ?? 0) : 0) * 60_000;
}

/**
 * The record, its events read back from the spill one at a time as the store takes them (finished
 * with the resolved time context, named without the archive's top folder); `close` removes the spill.
 */
function finish(
  bundlePath: string,
  container: string,
  collected: Collected,
  snapshotReports: SnapshotReport[],
  context: TimeContext,
  topFolder: string,
): BundleRecord {
  const spill = collected.events;
  const events = function* (): Generator<EvidenceEvent> {
    const resolver = new TimeResolver(context);
    for (const pending of spill.drain()) {
      pending.file = withoutTopFolder(pending.file, topFolder);
      yield finalizeEvent(pending, context, resolver);
    }
    for (const pending of collected.copyEvents) yield finalizeEvent(pending, context, resolver);
  };
  collected.manifest.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    bundle: bundlePath,
    kind: recogniseBundle(collected.manifest.map((entry) => entry.path)),
    container,
    manifest: collected.manifest,
    events: { [Symbol.iterator]: events },
    close: () => spill.close(),
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
