/**
 * CSV files with a header row (csv-parse): snapshot inventories (a column naming snapshot files —
 * `path`/`name`/`file` —, a size column `bytes`/`size`, a time column `mtime`/`time`/`timestamp`,
 * optionally `node`) become `snapshot` events; user annotations (a time column and a
 * `note`/`text`/`annotation`/`description` column) become annotations shown beside the events.
 */
import type { PendingEvent } from '../event.js';
import type { Annotation } from '../../types/index.js';
import type { FileResult } from '../file.js';
import { redact } from '../redact.js';
import { fromEpochNumber, parseIsoPartial, resolveTime, type PartialTime } from '../time.js';
import { parseSize } from './listing.js';
import { snapshotEvent } from './snapshot-event.js';
import { csvParse } from '../../lazy-packages.js';

function pick(header: string[], names: string[]): string | undefined {
  return header.find((column) => names.includes(column.trim().toLowerCase()));
}

function timeOf(text: string | undefined): PartialTime | null {
  if (!text) return null;
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return fromEpochNumber(Number(trimmed));
  return parseIsoPartial(trimmed.replace(/^(\d{4}-\d\d-\d\d) (\d)/, '$1T$2'));
}

export function parseCsv(text: string, file: string): Partial<FileResult> {
  let records: Record<string, string>[];
  try {
    records = csvParse().parse(text, {
      columns: true,
      skip_empty_lines: true,
      relax_column_count: true,
      bom: true,
      trim: true,
    });
  } catch (error) {
    return { problems: [`invalid CSV: ${(error as Error).message.split('\n')[0]}`] };
  }
  const header = Object.keys(records[0] ?? {});
  const pathColumn = pick(header, ['path', 'name', 'file', 'filename', 'snapshot']);
  const sizeColumn = pick(header, ['bytes', 'size', 'size_bytes']);
  const timeColumn = pick(header, ['mtime', 'time', 'timestamp', 'date', 'ts', 'when']);
  const nodeColumn = pick(header, ['node', 'host', 'hostname']);
  const noteColumn = pick(header, ['note', 'notes', 'text', 'annotation', 'description', 'comment', 'event']);
  const events: PendingEvent[] = [];
  const annotations: Annotation[] = [];
  // Line numbers: the header is line 1 and these files hold one record per line.
  records.forEach((record, index) => {
    const line = index + 2;
    const time = timeOf(timeColumn ? record[timeColumn] : undefined);
    if (pathColumn) {
      const size = sizeColumn ? parseSize((record[sizeColumn] ?? '').trim()) : null;
      const event = snapshotEvent({
        file,
        line,
        path: (record[pathColumn] ?? '').trim(),
        bytes: size?.bytes ?? null,
        time,
        origin: 'line',
        source: 'csv',
        text: Object.values(record).join(','),
        subject: nodeColumn ? record[nodeColumn] || null : null,
        approximateSize: size?.approximate,
      });
      if (event) {
        events.push(event);
        return;
      }
    }
    if (noteColumn && record[noteColumn]) {
      annotations.push({
        file,
        line,
        ts: resolveTime(time, 'line', {}).ts,
        text: redact(record[noteColumn] as string),
      });
    }
  });
  return { events, annotations };
}
