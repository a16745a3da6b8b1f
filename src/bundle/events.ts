/**
 * Events straight from evidence paths, without a case: each path (log file, folder or archive) is
 * streamed through the same readers as ingest, but nothing is hashed, decoded or stored.
 */
import { join } from 'node:path';
import { compareEvents } from '../parse/event.js';
import { DEFAULT_LIMITS } from '../parse/file.js';
import type { EventKind, EvidenceEvent, ProgressCallback } from '../types/index.js';
import { checkTimeOptions, readBundle } from './ingest.js';
import { DEFAULT_BUNDLE_LIMITS } from './safety.js';

export interface EvidenceEvents {
  events: EvidenceEvent[];
  problems: { file: string; problem: string }[];
}

const limits = { ...DEFAULT_BUNDLE_LIMITS, ...DEFAULT_LIMITS };

/**
 * Counts events per kind in constant memory: log-line events are counted as the scanner finds them
 * and never kept (their times are not needed for a count).
 */
export async function countEvidenceEvents(
  paths: string[],
  options: { onProgress?: ProgressCallback } = {},
): Promise<{ byKind: Partial<Record<EventKind, number>>; problems: { file: string; problem: string }[] }> {
  const byKind: Partial<Record<EventKind, number>> = {};
  const count = (kind: EventKind) => {
    byKind[kind] = (byKind[kind] ?? 0) + 1;
  };
  const problems: { file: string; problem: string }[] = [];
  for (const path of paths) {
    const record = await readBundle(path, {
      limits,
      context: {},
      onProgress: options.onProgress,
      custody: false,
      onEvent: (event) => count(event.kind),
    });
    for (const event of record.events) count(event.kind);
    for (const problem of record.problems)
      problems.push({ file: nameIn(path, record.container, problem.file), problem: problem.problem });
  }
  return { byKind, problems };
}

/** Files are named as the user gave them: the path itself, or the path inside the folder/archive. */
function nameIn(path: string, container: string, file: string): string {
  return container === 'file' ? path : join(path, file);
}

export async function readEvidenceEvents(
  paths: string[],
  options: { year?: number; tz?: string; onProgress?: ProgressCallback } = {},
): Promise<EvidenceEvents> {
  checkTimeOptions(options);
  const events: EvidenceEvent[] = [];
  const problems: { file: string; problem: string }[] = [];
  for (const path of paths) {
    const record = await readBundle(path, {
      limits,
      context: { year: options.year, tz: options.tz },
      onProgress: options.onProgress,
      custody: false,
    });
    const name = (file: string) => nameIn(path, record.container, file);
    for (const event of record.events) events.push({ ...event, file: name(event.file) });
    for (const problem of record.problems)
      problems.push({ file: name(problem.file), problem: problem.problem });
  }
  events.sort(compareEvents);
  return { events, problems };
}
