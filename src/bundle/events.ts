/**
 * Events straight from evidence paths, without a case: each path (log file, folder or archive) is
 * streamed through the same readers as ingest, but nothing is hashed, decoded or stored. Events are
 * handed on as they are classified, in evidence order (paths as given, files in walk order, lines in
 * order), so memory stays flat whatever the input's size.
 *
 * An event can be finished (its time resolved, its file named) at once unless it needs what only
 * the end of the bundle tells: a year-less time (klog, journald short) is placed against the
 * collection time, which may be the latest time in the whole evidence, and archive members lose
 * their common top folder. From the first such event of a bundle on, events go to a spill file in a
 * private temp folder and are finished from there when the bundle has been read; order is kept.
 */
import { statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { eachPaced } from '../bounded.js';
import { DEFAULT_LIMITS, logProblems, type ParseLimits } from '../parse/file.js';
import {
  PARALLEL_MIN_BYTES,
  plainLogType,
  scanFileInParallel,
  type RangeTask,
} from '../parse/parallel-scan.js';
import type { FileType } from '../parse/sniff.js';
import { finalizeEvent, TimeResolver, type PendingEvent } from '../parse/event.js';
import type { TimeContext } from '../parse/time.js';
import type { EventKind, EvidenceEvent, ProgressCallback } from '../types/index.js';
import { ARCHIVE_PROBLEM_FILE, checkTimeOptions, readBundle, stampAnchor } from './ingest.js';
import type { Limits } from '../limits.js';
import { DEFAULT_BUNDLE_LIMITS, type BundleLimits } from './safety.js';
import { Spill } from './spill.js';
import { withoutTopFolder } from './source.js';

export interface Problem {
  file: string;
  problem: string;
}

/** `events` reads bundles and logs (no snapshot is decoded): the limits of those, defaults and given. */
type EventLimits = BundleLimits & ParseLimits;
const withDefaults = (limits: Partial<Limits> = {}): EventLimits => ({
  ...DEFAULT_BUNDLE_LIMITS,
  ...DEFAULT_LIMITS,
  ...limits,
});

/**
 * Counts events per kind in constant memory: events are counted as the scanner finds them and
 * never kept (their times are not needed for a count).
 */
export async function countEvidenceEvents(
  paths: string[],
  options: { onProgress?: ProgressCallback; limits?: Partial<Limits>; parallelMinBytes?: number } = {},
): Promise<{ byKind: Partial<Record<EventKind, number>>; problems: Problem[] }> {
  const limits = withDefaults(options.limits);
  const minBytes = options.parallelMinBytes ?? PARALLEL_MIN_BYTES;
  const byKind: Partial<Record<EventKind, number>> = {};
  const count = (kind: EventKind) => {
    byKind[kind] = (byKind[kind] ?? 0) + 1;
  };
  const problems: Problem[] = [];
  for (const path of paths) {
    const large = largeLog(path, minBytes);
    if (large) {
      const scanned = await scanLargeLog(path, large, {
        context: {},
        mode: 'count',
        limits,
        onProgress: options.onProgress,
      });
      for (const [kind, number] of Object.entries(scanned.counts) as [EventKind, number][])
        byKind[kind] = (byKind[kind] ?? 0) + number;
      problems.push(...scanned.problems.map((problem) => ({ file: path, problem })));
      continue;
    }
    const record = await readBundle(path, {
      limits,
      context: {},
      onProgress: options.onProgress,
      custody: false,
      onEvent: (event) => count(event.kind),
      parallel: { minBytes },
      onCounts: (counts) => {
        for (const [kind, number] of Object.entries(counts) as [EventKind, number][])
          byKind[kind] = (byKind[kind] ?? 0) + number;
      },
    });
    for (const event of record.events) count(event.kind);
    for (const problem of record.problems)
      problems.push({ file: nameIn(path, record.container, problem.file), problem: problem.problem });
  }
  return { byKind, problems };
}

/** A plain log file large enough to be worth the worker threads, with its type; else null. */
function largeLog(path: string, minBytes: number): { type: FileType; size: number; mtimeMs: number } | null {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info?.isFile() || info.size < minBytes) return null;
  const type = plainLogType(path, path);
  return type ? { type, size: info.size, mtimeMs: info.mtimeMs } : null;
}

/**
 * What `readBundle` does for a lone log file, with the scan spread over worker threads: the same
 * events in the same order (named by the file's base name, as a single-file bundle names its
 * member), the same problems, and the same collection anchor (the name's stamp, else the latest
 * full time among the events, else the file's mtime).
 */
async function scanLargeLog(
  path: string,
  large: { type: FileType; size: number; mtimeMs: number },
  options: {
    context: TimeContext;
    mode: 'count' | 'events';
    limits: EventLimits;
    onProgress?: ProgressCallback;
    onEvent?: (event: PendingEvent) => void;
    onResolved?: (resolved: { context: TimeContext; topFolder: string }) => void;
    /** Finish what can be finished in the workers, as NDJSON lines (see RangeTask.finish). */
    finish?: RangeTask['finish'];
    /** False: the bytes were consumed during the call (see scanFileInParallel's `onNdjson`). */
    onNdjson?: (bytes: Uint8Array) => boolean | void;
    pace?: () => Promise<void>;
  },
): Promise<{ counts: Partial<Record<EventKind, number>>; problems: string[] }> {
  const name = basename(path);
  const resolver = new TimeResolver({ tz: options.context.tz });
  let latest: number | undefined;
  const scanned = await scanFileInParallel({
    path,
    size: large.size,
    file: name,
    type: large.type,
    limits: options.limits,
    mode: options.mode,
    onEvents: (events) => {
      for (const event of events) {
        if (event.time?.year !== undefined) {
          const ts = resolver.resolve(event.time, event.origin).ts;
          const ms = ts === null ? Number.NaN : Date.parse(ts);
          if (Number.isFinite(ms) && (latest === undefined || ms > latest)) latest = ms;
        }
        options.onEvent?.(event);
      }
    },
    onProgress: (bytes) => options.onProgress?.(bytes, large.size, `${name}: ${name}`),
    finish: options.finish,
    onNdjson: options.onNdjson,
    pace: options.pace,
  });
  if (scanned.latest !== null) {
    const ms = Date.parse(scanned.latest);
    if (latest === undefined || ms > latest) latest = ms;
  }
  const anchorMs = stampAnchor(path, options.context) ?? latest ?? (large.mtimeMs || undefined);
  options.onResolved?.({ context: { ...options.context, anchorMs }, topFolder: '' });
  const problems = logProblems(scanned.summary, options.limits);
  if (large.type.problem) problems.unshift(large.type.problem);
  return { counts: scanned.counts, problems };
}

/** Files are named as the user gave them: the path itself, or the path inside the folder/archive. */
function nameIn(path: string, container: string, file: string): string {
  // A problem of the whole archive or folder (junk after the gzip data, a name clash) names it alone.
  return container === 'file' || file === ARCHIVE_PROBLEM_FILE ? path : join(path, file);
}

/**
 * Streams the events of `paths` to `onEvent`, finished (time resolved, file named as given), in
 * evidence order. Returns the per-file problems.
 */
export async function streamEvidenceEvents(
  paths: string[],
  options: {
    year?: number;
    tz?: string;
    onProgress?: ProgressCallback;
    onEvent: (event: EvidenceEvent) => void;
    /** Awaited now and then while events are handed on: the consumer's output draining (see eachPaced). */
    pace?: () => Promise<void>;
    /**
     * Take events as NDJSON lines (UTF-8 bytes of whole lines) where that is cheaper (a large log's
     * worker threads finish them), only of these kinds; `onEvent` still gets the rest, each in its place.
     */
    /** `onNdjson` returns false when it consumed the bytes during the call (wrote them out). */
    json?: { kinds: EventKind[] | null; onNdjson: (bytes: Uint8Array) => boolean | void };
    limits?: Partial<Limits>;
    /** Plain log files from this size on are scanned in worker threads (tests set it low). */
    parallelMinBytes?: number;
  },
): Promise<Problem[]> {
  checkTimeOptions(options);
  const limits = withDefaults(options.limits);
  const minBytes = options.parallelMinBytes ?? PARALLEL_MIN_BYTES;
  const problems: Problem[] = [];
  for (const path of paths) {
    const base: TimeContext = { year: options.year, tz: options.tz };
    const early: TimeContext = { ...base, anchorMs: stampAnchor(path, base) };
    // Year-less times need the anchor unless --year or the bundle's name gives it.
    const anchorKnown = early.year !== undefined || early.anchorMs !== undefined;
    const resolver = new TimeResolver(early);
    const spill = new Spill<PendingEvent | { ndjson: string }>();
    let container = 'file';
    let spilling = false;
    let resolved: { context: TimeContext; topFolder: string } = { context: early, topFolder: '' };
    const finish = (pending: PendingEvent, using: TimeResolver, strip: string): EvidenceEvent => {
      const event = finalizeEvent(pending, using.context, using);
      event.file = nameIn(path, container, withoutTopFolder(event.file, strip));
      return event;
    };
    const onEvent = (pending: PendingEvent) => {
      if (!spilling && (anchorKnown || pending.time === null || pending.time.year !== undefined)) {
        options.onEvent(finish(pending, resolver, ''));
        return;
      }
      spilling = true;
      spill.write(pending);
    };
    const onResolved = (value: { context: TimeContext; topFolder: string }) => {
      resolved = value;
    };
    const json = options.json;
    const onNdjson = (bytes: Uint8Array): boolean | void => {
      // Behind spilled events, the lines wait with them (as text: the spill is JSON).
      if (!spilling) return json?.onNdjson(bytes);
      spill.write({
        ndjson: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'),
      });
      return false;
    };
    try {
      const large = largeLog(path, minBytes);
      const record = large
        ? {
            events: [],
            problems: (
              await scanLargeLog(path, large, {
                context: base,
                mode: 'events',
                limits,
                onProgress: options.onProgress,
                onEvent,
                onResolved,
                finish: json ? { context: early, name: path, kinds: json.kinds } : undefined,
                onNdjson,
                pace: options.pace,
              })
            ).problems.map((problem) => ({ file: basename(path), problem })),
          }
        : await readBundle(path, {
            limits,
            context: base,
            onProgress: options.onProgress,
            custody: false,
            onOpen: (opened) => {
              container = opened;
              // Archive members are named only once the walk knows their common top folder.
              spilling = opened === 'tar' || opened === 'tar.gz';
            },
            onEvent,
            onResolved,
            pace: options.pace,
            parallel: {
              minBytes,
              // Archive members wait for their top folder (spilling from the start), so only a
              // folder's files are named and finished in the workers.
              finish: json
                ? (member) =>
                    container === 'folder'
                      ? { context: early, name: nameIn(path, container, member), kinds: json.kinds }
                      : undefined
                : undefined,
              onNdjson,
            },
          });
      const late = new TimeResolver(resolved.context);
      await eachPaced(
        spill.drain(),
        (entry) => {
          if ('ndjson' in entry) json?.onNdjson(Buffer.from(entry.ndjson, 'utf8'));
          else options.onEvent(finish(entry, late, resolved.topFolder));
        },
        options.pace,
      );
      // Snapshot copies' events (decoded only by ingest) would come back in the record.
      for (const event of record.events) {
        event.file = nameIn(path, container, event.file);
        options.onEvent(event);
      }
      for (const problem of record.problems)
        problems.push({ file: nameIn(path, container, problem.file), problem: problem.problem });
    } finally {
      spill.close();
    }
  }
  return problems;
}
