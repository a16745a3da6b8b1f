/**
 * Listings of the dqlite backend folder: `ls -l --full-time` (full time and zone), plain `ls -l`/`-lh`
 * (human sizes, `Mon DD HH:MM` without a year, or `Mon DD  YYYY`), `--time-style=long-iso`, and
 * `find -printf` lines in any field order (`%p %s %TY-%Tm-%Td %TT %Tz`, `%T@ %s %p`, `%T+`).
 * Each snapshot file (not its `.meta`) becomes a `snapshot` event at the listed time. Datastore files
 * become `file-size` facts: a database (`*.db`, `*.sqlite`, etcd's `member/snap/db`) or SQLite WAL
 * (`*-wal`) each, and raft segments (`%016d-%016d`, `open-N`) and etcd WAL files (`*.wal`) summed.
 */
import type { PendingEvent } from '../event.js';
import type { FileSizeFact } from '../../types/index.js';
import type { FileResult } from '../file.js';
import { fromEpochNumber, monthFromName, parseIsoPartial, type PartialTime } from '../time.js';
import { snapshotEvent } from './snapshot-event.js';

const LS = /^[-dlcbps][-rwxsStT]{9}[.+@]?\s+\d+\s+\S+\s+\S+\s+(\d+(?:[.,]\d+)?[KMGTP]?)\s+(.+?)\s+(\S+)$/;
const FULL_TIME = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d(?::\d\d(?:\.\d+)?)?)(?: ([+-]\d{4}))?$/;
const SHORT_TIME = /^([A-Z][a-z]{2})\s+(\d{1,2})\s+(?:(\d\d):(\d\d)|(\d{4}))$/;
const UNITS: Record<string, number> = { K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4, P: 1024 ** 5 };

export function parseSize(text: string): { bytes: number; approximate: boolean } | null {
  const match = /^(\d+(?:[.,]\d+)?)([KMGTP]?)$/.exec(text);
  if (!match) return null;
  const unit = match[2] ? (UNITS[match[2]] as number) : 1;
  return {
    bytes: Math.round(Number((match[1] as string).replace(',', '.')) * unit),
    approximate: unit !== 1,
  };
}

function lsTime(text: string): PartialTime | null {
  const full = FULL_TIME.exec(text);
  if (full) {
    const seconds = (full[2] as string).length === 5 ? `${full[2]}:00` : (full[2] as string);
    const zone = full[3] ? `${full[3].slice(0, 3)}:${full[3].slice(3)}` : '';
    return parseIsoPartial(`${full[1]}T${seconds}${zone}`);
  }
  const short = SHORT_TIME.exec(text);
  if (!short) return null;
  const month = monthFromName(short[1] as string);
  if (month === null) return null;
  const time: PartialTime = {
    month,
    day: Number(short[2]),
    hour: short[3] ? Number(short[3]) : 0,
    minute: short[4] ? Number(short[4]) : 0,
    second: 0,
    ms: 0,
  };
  if (short[5]) time.year = Number(short[5]);
  return time;
}

const FIND_TIME =
  /(\d{4}-\d\d-\d\d)[ T+](\d\d:\d\d(?::\d\d(?:\.\d+)?)?)(?:\s?([+-]\d{4}|[+-]\d\d:\d\d|Z)(?=\s|$))?/;

function findLine(line: string): { path: string; bytes: number | null; time: PartialTime | null } | null {
  const tokens = line.trim().split(/\s+/);
  const path = tokens.find((token) => /(?:^|\/)snapshot-\d+-\d+-\d+(?:\.meta)?$/.test(token));
  if (!path) return null;
  let rest = line.replace(path, ' ');
  let time: PartialTime | null = null;
  const iso = FIND_TIME.exec(rest);
  if (iso) {
    const fraction = (iso[2] as string).replace(/(\.\d{1,9})\d*$/, '$1');
    const zone = iso[3] ? (iso[3].length === 5 ? `${iso[3].slice(0, 3)}:${iso[3].slice(3)}` : iso[3]) : '';
    time = parseIsoPartial(`${iso[1]}T${fraction.length === 5 ? `${fraction}:00` : fraction}${zone}`);
    rest = rest.replace(iso[0], ' ');
  } else {
    const epoch = /(?:^|\s)(\d{9,10}(?:\.\d+)?)(?=\s|$)/.exec(rest);
    if (epoch) {
      time = fromEpochNumber(Number(epoch[1]));
      rest = rest.replace(epoch[1] as string, ' ');
    }
  }
  const size = /(?:^|\s)(\d+)(?=\s|$)/.exec(rest);
  return { path, bytes: size ? Number(size[1]) : null, time };
}

function datastoreRole(path: string): { role: FileSizeFact['role']; summed: boolean } | null {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (/\.(?:db|sqlite3?)$/.test(name) || (name === 'db' && /(?:^|\/)snap\/db$/.test(path)) || path === 'db')
    return { role: 'database', summed: false };
  if (/-wal$/.test(name)) return { role: 'wal', summed: false };
  if (/^\d{16}-\d{16}\.wal$/.test(name)) return { role: 'wal', summed: true };
  if (/^\d{16}-\d{16}$/.test(name) || /^open-\d+$/.test(name)) return { role: 'raft-segments', summed: true };
  return null;
}

/** File-size facts of the datastore files listed; summed roles become one fact at their first line. */
function sizeFacts(
  entries: { path: string; bytes: number; approximate: boolean; line: number }[],
  file: string,
): FileSizeFact[] {
  const facts: FileSizeFact[] = [];
  const sums = new Map<string, FileSizeFact>();
  for (const entry of entries) {
    const role = datastoreRole(entry.path);
    if (!role) continue;
    const base = { kind: 'file-size' as const, file, sha256: '', role: role.role };
    if (!role.summed) {
      facts.push({
        ...base,
        line: entry.line,
        path: entry.path,
        bytes: entry.bytes,
        approximate: entry.approximate,
        files: 1,
      });
      continue;
    }
    const folder = entry.path.includes('/') ? entry.path.slice(0, entry.path.lastIndexOf('/') + 1) : '';
    const key = `${role.role} ${folder}`;
    const sum = sums.get(key);
    if (sum) {
      sum.bytes += entry.bytes;
      sum.files++;
      sum.approximate ||= entry.approximate;
    } else {
      const fact: FileSizeFact = {
        ...base,
        line: entry.line,
        path: `${folder}${role.role === 'wal' ? '*.wal' : '<raft segments>'}`,
        bytes: entry.bytes,
        approximate: entry.approximate,
        files: 1,
      };
      sums.set(key, fact);
      facts.push(fact);
    }
  }
  return facts;
}

export function parseListing(text: string, file: string): Partial<FileResult> {
  const events: PendingEvent[] = [];
  const sized: { path: string; bytes: number; approximate: boolean; line: number }[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    const ls = LS.exec(line);
    let entry: {
      path: string;
      bytes: number | null;
      time: PartialTime | null;
      approximate?: boolean;
    } | null = null;
    let source = 'ls';
    if (ls) {
      const size = parseSize(ls[1] as string);
      if (size)
        sized.push({
          path: ls[3] as string,
          bytes: size.bytes,
          approximate: size.approximate,
          line: index + 1,
        });
      entry = {
        path: ls[3] as string,
        bytes: size?.bytes ?? null,
        time: lsTime(ls[2] as string),
        approximate: size?.approximate,
      };
    } else {
      entry = findLine(line);
      source = 'find';
    }
    if (!entry) return;
    const event = snapshotEvent({
      file,
      line: index + 1,
      path: entry.path,
      bytes: entry.bytes,
      time: entry.time,
      origin: 'line',
      source,
      text: line,
      approximateSize: entry.approximate,
    });
    if (event) events.push(event);
  });
  return { events, facts: sizeFacts(sized, file) };
}
