import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../../errors.js';
import type { SnapshotReport } from '../../types/index.js';
import { createProgress, printJson, warn } from '../output.js';
import { maxOf } from '../../bounded.js';

interface SnapshotArgs {
  subcommand: string;
  files: string[];
  out?: string;
  'boot-time'?: string;
  'max-output': string;
  json: boolean;
}

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** `4G`, `512MiB`, `1000000` → bytes (binary units). */
function parseByteSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?$/i.exec(text.trim());
  const unit = match ? UNITS[(match[2] ?? '').toLowerCase()] : undefined;
  if (!match || unit === undefined)
    throw new UsageError(`--max-output: cannot read "${text}" as a size (e.g. 8G)`);
  return Math.floor(Number(match[1]) * unit);
}

function parseBootTime(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new UsageError(`--boot-time: "${text}" is not an ISO-8601 time`);
  return date;
}

const thousands = new Intl.NumberFormat('en-US');

function printReport(report: SnapshotReport): void {
  const { meta } = report;
  const lines = [
    `${report.file}`,
    `  ${thousands.format(report.bytes)} bytes, ${report.compressed ? `LZ4 frame, ${thousands.format(report.payloadBytes)} bytes decompressed` : 'uncompressed'}; sha256 ${report.sha256}`,
    `  term ${meta.term}, index ${meta.index}, timestamp ${meta.timestamp} ms (monotonic clock, not Unix time)`,
    `  written ≈ ${meta.wallClock ?? 'unknown'} — anchor: ${meta.wallClockAnchor}`,
  ];
  if (meta.configurationIndex !== null) {
    lines.push(
      `  raft configuration (from log index ${meta.configurationIndex}), .meta checksum ${meta.checksum?.ok ? 'ok' : 'BAD'}:`,
      ...meta.servers.map((s) => `    ${s.id}  ${s.address}  ${s.role}`),
    );
  }
  for (const db of report.databases) {
    lines.push(
      `  database ${db.name}: page size ${db.pageSize}, ${thousands.format(db.pageCount)} pages, ${thousands.format(db.freelistCount)} free, ${thousands.format(db.walFrames)} WAL frames applied`,
    );
    for (const t of db.tables)
      lines.push(`    table ${t.name}: ${thousands.format(t.rows)} rows, ${thousands.format(t.bytes)} bytes`);
    if (db.kine) {
      lines.push(
        `    kine: ${thousands.format(db.kine.rows)} rows, ${thousands.format(db.kine.liveKeys)} live keys, ${thousands.format(db.kine.deletedRows)} deleted rows`,
      );
      const width = maxOf(
        db.kine.prefixes.map((p) => p.prefix.length),
        6,
      );
      lines.push(
        `      ${'prefix'.padEnd(width)}  ${'rows'.padStart(9)}  ${'live'.padStart(9)}  ${'deleted'.padStart(9)}  ${'value bytes'.padStart(13)}`,
      );
      for (const p of db.kine.prefixes) {
        lines.push(
          `      ${p.prefix.padEnd(width)}  ${thousands.format(p.rows).padStart(9)}  ${thousands.format(p.liveKeys).padStart(9)}  ${thousands.format(p.deletedRows).padStart(9)}  ${thousands.format(p.bytes).padStart(13)}`,
        );
      }
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

export const snapshotCommand: CommandModule<object, SnapshotArgs> = {
  command: 'snapshot <subcommand> <files..>',
  describe: 'Decode copies of dqlite snapshot files read-only: inspect, diff before/after, extract SQLite',
  builder: (yargs: Argv) =>
    yargs
      .positional('subcommand', { choices: ['inspect', 'diff', 'extract'] as const, describe: 'what to do' })
      .positional('files', {
        type: 'string',
        array: true,
        describe: 'snapshot file(s); the .meta beside each is read too',
      })
      .option('out', {
        type: 'string',
        describe: 'extract: folder for the rebuilt SQLite files (outside the evidence folder)',
      })
      .option('boot-time', {
        type: 'string',
        describe: 'host boot time (ISO-8601): anchors the monotonic TIMESTAMP to the wall clock',
      })
      .option('max-output', {
        type: 'string',
        default: '4G',
        describe: 'cap on decompressed bytes (LZ4 bomb guard), e.g. 8G',
      })
      .example(
        '$0 snapshot inspect backend/snapshot-4-183435887-1738473286 --json',
        'row counts per table and kine prefix',
      )
      .example('$0 snapshot diff before/snapshot-… after/snapshot-…', 'Markdown before/after table')
      .example(
        '$0 snapshot extract snapshot-… --out /tmp/k8s-db',
        'then: sqlite3 /tmp/k8s-db/k8s.sqlite',
      ) as unknown as Argv<SnapshotArgs>,
  handler: async (args) => {
    const { inspectSnapshot, extractSnapshot } = await import('../../store/snapshot-db.js');
    const maxOutputBytes = parseByteSize(args['max-output']);
    const bootTime = parseBootTime(args['boot-time']);
    const progress = createProgress();
    const inspect = async (file: string) => {
      try {
        return await inspectSnapshot(file, { bootTime, maxOutputBytes, onProgress: progress.update });
      } finally {
        progress.done();
      }
    };
    const files = args.files;
    switch (args.subcommand) {
      case 'inspect': {
        if (files.length !== 1) throw new UsageError('snapshot inspect takes exactly one file');
        const report = await inspect(files[0] as string);
        if (args.json) printJson(report);
        else printReport(report);
        for (const warning of report.warnings) warn(`${report.file}: ${warning}`);
        return;
      }
      case 'diff': {
        if (files.length !== 2) throw new UsageError('snapshot diff takes two files: <before> <after>');
        const { diffSnapshots } = await import('../../analyze/snapshot-diff.js');
        const before = await inspect(files[0] as string);
        const after = await inspect(files[1] as string);
        const diff = diffSnapshots(before, after);
        if (args.json) printJson(diff);
        else {
          const { renderSnapshotDiffMarkdown } = await import('../../render/snapshot-diff.js');
          process.stdout.write(renderSnapshotDiffMarkdown(diff));
        }
        for (const report of [before, after])
          for (const warning of report.warnings) warn(`${report.file}: ${warning}`);
        return;
      }
      case 'extract': {
        if (files.length !== 1) throw new UsageError('snapshot extract takes exactly one file');
        if (!args.out) throw new UsageError('snapshot extract needs --out <dir>');
        const file = files[0] as string;
        const databases = await extractSnapshot(file, args.out, {
          maxOutputBytes,
          onProgress: progress.update,
        }).finally(progress.done);
        if (args.json) printJson({ file, databases });
        else for (const db of databases) process.stdout.write(`${db.name}\t${db.path}\n`);
        return;
      }
      default:
        throw new UsageError(`unknown snapshot subcommand ${args.subcommand}`);
    }
  },
};

export default snapshotCommand;
