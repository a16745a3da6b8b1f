import type { EvidenceEvent, TimeAssumption, TimeQuality, TimestampSource } from '../types/index.js';
import { plural } from './refs.js';

const QUALITY: Record<TimestampSource, TimeQuality> = {
  line: 'exact',
  journald: 'exact',
  cri: 'exact',
  kubectl: 'exact',
  override: 'exact',
  mtime: 'exact',
  'year-assumed': 'year-assumed',
  'year-zone-assumed': 'year-assumed',
  'zone-assumed': 'zone-assumed',
  none: 'none',
};

/**
 * An event's time quality. An undated line is still ordered among the dated lines of its file
 * ('order-only'); with no dated line beside it, nothing places it ('none').
 */
export function timeQuality(event: EvidenceEvent, fileHasDatedEvents: boolean): TimeQuality {
  if (event.ts === null) return fileHasDatedEvents ? 'order-only' : 'none';
  return QUALITY[event.tsSource] ?? 'none';
}

function fileList(files: Set<string>): string[] {
  return [...files].sort();
}

/**
 * Every assumption made about time, in words, with how many events and which files it concerns:
 * the PIR lists them so no assumed year or zone passes as fact.
 */
export function timeAssumptions(
  events: Iterable<EvidenceEvent>,
  settings: { year?: number; tz?: string },
): TimeAssumption[] {
  const groups = new Map<string, { events: number; files: Set<string>; years: Set<string> }>();
  const add = (key: string, event: EvidenceEvent) => {
    const group = groups.get(key) ?? { events: 0, files: new Set(), years: new Set() };
    group.events++;
    group.files.add(event.file);
    if (event.ts) group.years.add(event.ts.slice(0, 4));
    groups.set(key, group);
  };
  for (const event of events) {
    if (event.tsSource === 'year-assumed' || event.tsSource === 'year-zone-assumed') add('year', event);
    if (event.tsSource === 'zone-assumed' || event.tsSource === 'year-zone-assumed') add('zone', event);
    if (event.tsSource === 'override') add('override', event);
    if (event.ts === null && event.kind !== 'snapshot') add('undated', event);
  }
  const out: TimeAssumption[] = [];
  const year = groups.get('year');
  if (year)
    out.push({
      quality: 'year-assumed',
      statement:
        `${plural(year.events, 'event')} came from lines without a year; ${year.events === 1 ? 'it was' : 'they were'} placed in ${[...year.years].sort().join(' and ')}, ` +
        'the latest year that does not put them after the evidence was collected. If the logs are older, re-run with `--year`.',
      events: year.events,
      files: fileList(year.files),
    });
  const zone = groups.get('zone');
  if (zone)
    out.push({
      quality: 'zone-assumed',
      statement:
        `${plural(zone.events, 'event')} came from lines without a time zone and ${zone.events === 1 ? 'was' : 'were'} read as UTC. ` +
        'If the writer logged local time, re-run with `--tz` (e.g. `--tz Australia/Brisbane`).',
      events: zone.events,
      files: fileList(zone.files),
    });
  const override = groups.get('override');
  if (override) {
    const given = [
      settings.year !== undefined ? `year ${settings.year}` : null,
      settings.tz ? `zone ${settings.tz}` : null,
    ]
      .filter((part) => part !== null)
      .join(' and ');
    out.push({
      quality: 'exact',
      statement: `${plural(override.events, 'event')} took the ${given || 'year or zone'} given on the command line (\`--year\`/\`--tz\`).`,
      events: override.events,
      files: fileList(override.files),
    });
  }
  const undated = groups.get('undated');
  if (undated)
    out.push({
      quality: 'order-only',
      statement: `${plural(undated.events, 'event')} had no usable time: counted, never placed on the timeline or correlated.`,
      events: undated.events,
      files: fileList(undated.files),
    });
  return out;
}
