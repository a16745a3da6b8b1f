/**
 * Events straight from evidence paths, without a case: each path (log file, folder or archive) is
 * streamed through the same readers as ingest, but nothing is hashed, decoded or stored.
 */
import { join } from 'node:path';
import { compareEvents } from '../parse/event.js';
import { DEFAULT_LIMITS } from '../parse/file.js';
import type { EvidenceEvent, ProgressCallback } from '../types/index.js';
import { checkTimeOptions, readBundle } from './ingest.js';
import { DEFAULT_BUNDLE_LIMITS } from './safety.js';

export interface EvidenceEvents {
  events: EvidenceEvent[];
  problems: { file: string; problem: string }[];
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
      limits: { ...DEFAULT_BUNDLE_LIMITS, ...DEFAULT_LIMITS },
      context: { year: options.year, tz: options.tz },
      onProgress: options.onProgress,
      custody: false,
    });
    // Files are named as the user gave them: the path itself, or the path inside the folder/archive.
    const name = (file: string) => (record.container === 'file' ? path : join(path, file));
    for (const event of record.events) events.push({ ...event, file: name(event.file) });
    for (const problem of record.problems)
      problems.push({ file: name(problem.file), problem: problem.problem });
  }
  events.sort(compareEvents);
  return { events, problems };
}
