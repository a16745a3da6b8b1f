/**
 * Storage measurements people run when a raft datastore is slow, read as numbers:
 * - GNU dd's summary (`1000+0 records out` / `512000 bytes (512 kB, 500 KiB) copied, 12.3456 s, 41.5
 *   kB/s`; coreutils < 8.24 without the IEC size). With `oflag=dsync` every record waits for the disk,
 *   so seconds / records is the time of one synchronous write — what etcd's and dqlite's WAL pay per
 *   commit. Whether the file's command line said `dsync` is kept (`synced`; null when absent).
 * - fio's text report (`sync (usec): min=…, max=…, avg=…` and `sync percentiles (usec):` with
 *   `99.00th=[ 7439]`; units usec, msec or nsec) and its JSON (`jobs[].sync.lat_ns.percentile["99.000000"]`),
 *   as from etcd's recommended `fio --rw=write --ioengine=sync --fdatasync=1 --bs=2300 …`.
 */
import type { StorageBenchFact } from '../../types/index.js';
import type { FileResult } from '../file.js';

type Bench = Omit<StorageBenchFact, 'file' | 'line' | 'sha256'>;

const DD_OUT = /^(\d+)\+(\d+) records out$/;
const DD_SUMMARY = /^(\d+) bytes (?:\([^)]*\) )?copied, ([\d.]+) s, ([\d.]+) ([kMGT]?i?B)\/s$/;
const RATE: Record<string, number> = {
  B: 1,
  kB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
};

function ddBenches(lines: string[]): { bench: Bench; line: number }[] {
  const found: { bench: Bench; line: number }[] = [];
  let command: string | null = null;
  let records: number | null = null;
  lines.forEach((line, index) => {
    if (/\bdd\b.*\bof=/.test(line)) command = line;
    const out = DD_OUT.exec(line.trim());
    if (out) records = Number(out[1]) + Number(out[2]);
    const summary = DD_SUMMARY.exec(line.trim());
    if (!summary) return;
    const bytes = Number(summary[1]);
    const seconds = Number(summary[2]);
    const blockBytes = records ? Math.round(bytes / records) : null;
    const synced = command === null ? null : /\boflag=\S*\bd?sync\b/.test(command);
    found.push({
      line: index + 1,
      bench: {
        kind: 'storage-bench',
        tool: 'dd',
        syncWriteMs: records && synced !== false ? round((seconds * 1000) / records) : null,
        syncP99Ms: null,
        bytesPerSecond: Number(summary[3]) * (RATE[summary[4] as string] ?? 1),
        writes: records,
        blockBytes,
        synced,
      },
    });
    command = null;
    records = null;
  });
  return found;
}

const UNIT_MS: Record<string, number> = { nsec: 1e-6, usec: 1e-3, msec: 1 };
const round = (ms: number) => Math.round(ms * 1000) / 1000;

function fioText(lines: string[]): { bench: Bench; line: number }[] {
  const found: { bench: Bench; line: number }[] = [];
  const command = lines.find((line) => /\bfio\b.*--/.test(line)) ?? null;
  let start = -1;
  let avg: number | null = null;
  let p99: number | null = null;
  let bandwidth: number | null = null;
  let percentileUnit = 1;
  lines.forEach((line, index) => {
    const bw = /\bBW=([\d.]+)([KMG]i?B)\/s/.exec(line);
    if (bw)
      bandwidth =
        Number(bw[1]) *
        ({ KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, kB: 1e3, MB: 1e6, GB: 1e9 }[bw[2] as string] ?? 1);
    const sync = /^\s*sync \((nsec|usec|msec)\): min=[\d.]+k?, max=[\d.]+k?, avg=([\d.]+)/.exec(line);
    if (sync) {
      start = index + 1;
      avg = Number(sync[2]) * (UNIT_MS[sync[1] as string] as number);
    }
    const unit = /^\s*sync percentiles \((nsec|usec|msec)\):/.exec(line);
    if (unit) percentileUnit = UNIT_MS[unit[1] as string] as number;
    const ninetyNine = /\b99\.00th=\[\s*(\d+)\]/.exec(line);
    if (ninetyNine && start > 0 && p99 === null) p99 = Number(ninetyNine[1]) * percentileUnit;
  });
  if (start > 0) {
    found.push({
      line: start,
      bench: {
        kind: 'storage-bench',
        tool: 'fio',
        syncWriteMs: avg === null ? null : round(avg),
        syncP99Ms: p99 === null ? null : round(p99),
        bytesPerSecond: bandwidth,
        writes: null,
        blockBytes: command ? Number(/--bs=(\d+)\b/.exec(command)?.[1]) || null : null,
        synced: command === null ? true : /--(?:fdatasync|fsync)=1\b|--sync=1\b/.test(command),
      },
    });
  }
  return found;
}

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (value && typeof value === 'object' ? (value as Json) : {});

function fioJson(text: string): { bench: Bench; line: number }[] {
  let report: Json;
  try {
    report = obj(JSON.parse(text));
  } catch {
    return [];
  }
  const jobs = Array.isArray(report.jobs) ? report.jobs.map(obj) : [];
  return jobs.flatMap((job) => {
    const latency = obj(obj(job.sync).lat_ns);
    const mean = typeof latency.mean === 'number' ? latency.mean : null;
    const p99 = obj(latency.percentile)['99.000000'];
    if (mean === null && typeof p99 !== 'number') return [];
    const options = obj(job['job options']);
    const write = obj(job.write);
    return [
      {
        line: 1,
        bench: {
          kind: 'storage-bench' as const,
          tool: 'fio' as const,
          syncWriteMs: mean === null ? null : round(mean / 1e6),
          syncP99Ms: typeof p99 === 'number' ? round(p99 / 1e6) : null,
          bytesPerSecond: typeof write.bw_bytes === 'number' ? write.bw_bytes : null,
          writes: typeof obj(job.sync).total_ios === 'number' ? (obj(job.sync).total_ios as number) : null,
          blockBytes: Number(options.bs) || null,
          synced: options.fdatasync === '1' || options.fsync === '1' || options.sync === '1' ? true : null,
        },
      },
    ];
  });
}

export function parseStorageBench(text: string, file: string): Partial<FileResult> {
  const trimmed = text.trimStart();
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  const found = trimmed.startsWith('{') ? fioJson(trimmed) : [...ddBenches(lines), ...fioText(lines)];
  const facts: StorageBenchFact[] = found.map(({ bench, line }) => ({ ...bench, file, line, sha256: '' }));
  return { facts, problems: facts.length ? [] : ['no dd or fio result found in the file'] };
}
