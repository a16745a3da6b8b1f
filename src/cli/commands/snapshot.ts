import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../../errors.js';
import { limitsFrom, withLimitOptions } from './_limit-options.js';
import type { KinePrefixStats, SnapshotReport } from '../../types/index.js';
import type { InspectOptions } from '../../store/snapshot-db.js';
import { raiseWith, type LimitScope } from '../../limits.js';
import { createProgress, printJson, warn } from '../output.js';
import { maxOf } from '../../bounded.js';
import { terminalText } from '../../render/format.js';
import { helpTextWhenShown } from './_help-text.js';
import type { CommandBody } from './index.js';

function parseBootTime(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new UsageError(`--boot-time: "${text}" is not an ISO-8601 time`);
  return date;
}

/**
 * The report as text. Names come from the snapshot (database, table and key names are arbitrary
 * bytes), so each is made safe for the terminal; lines are written in batches, not joined, since a
 * kine table can hold a million prefixes.
 */
function printReport(report: SnapshotReport): void {
  // Made here, not when the module loads: setting one up takes ~6 ms, which --json runs need not pay.
  const thousands = new Intl.NumberFormat('en-US');
  const { meta } = report;
  let batch = '';
  const line = (text: string) => {
    batch += `${text}\n`;
    if (batch.length > 1 << 16) {
      process.stdout.write(batch);
      batch = '';
    }
  };
  line(terminalText(report.file));
  line(
    `  ${thousands.format(report.bytes)} bytes, ${report.compressed ? `LZ4 frame, ${thousands.format(report.payloadBytes)} bytes decompressed` : 'uncompressed'}; sha256 ${report.sha256}`,
  );
  line(
    `  term ${meta.term}, index ${meta.index}, timestamp ${meta.timestamp} ms (monotonic clock, not Unix time)`,
  );
  // A copy's own mtime is usually when it was copied: never printed as the write time.
  line(
    meta.wallClockBasis === 'copy-mtime'
      ? `  written: unknown — the copy's mtime (${meta.wallClock}) is when it was copied unless the copy kept it (cp -p, rsync -t, tar); give --boot-time, or analyze it with the bundle's listing`
      : `  written ≈ ${meta.wallClock ?? 'unknown'} — anchor: ${terminalText(meta.wallClockAnchor)}`,
  );
  if (meta.configurationIndex !== null) {
    line(
      `  raft configuration (from log index ${meta.configurationIndex}), .meta checksum ${meta.checksum?.ok ? 'ok' : 'BAD'}:`,
    );
    for (const s of meta.servers) line(`    ${s.id}  ${terminalText(s.address)}  ${s.role}`);
  }
  for (const db of report.databases) {
    line(
      `  database ${terminalText(db.name)}: page size ${db.pageSize}, ${thousands.format(db.pageCount)} pages, ${thousands.format(db.freelistCount)} free, ${thousands.format(db.walFrames)} WAL frames applied`,
    );
    for (const t of db.tables)
      line(
        `    table ${terminalText(t.name)}: ${thousands.format(t.rows)} rows, ${thousands.format(t.bytes)} bytes`,
      );
    if (db.kine) {
      line(
        `    kine: ${thousands.format(db.kine.rows)} rows, ${thousands.format(db.kine.liveKeys)} live keys, ${thousands.format(db.kine.deletedRows)} deleted rows`,
      );
      const prefixes = db.kine.prefixes.map((p) => terminalText(p.prefix));
      const width = maxOf(
        prefixes.map((prefix) => prefix.length),
        6,
      );
      line(
        `      ${'prefix'.padEnd(width)}  ${'rows'.padStart(9)}  ${'live'.padStart(9)}  ${'deleted'.padStart(9)}  ${'value bytes'.padStart(13)}`,
      );
      const row = (label: string, p: Omit<KinePrefixStats, 'prefix'>) =>
        line(
          `      ${label.padEnd(width)}  ${thousands.format(p.rows).padStart(9)}  ${thousands.format(p.liveKeys).padStart(9)}  ${thousands.format(p.deletedRows).padStart(9)}  ${thousands.format(p.bytes).padStart(13)}`,
        );
      db.kine.prefixes.forEach((p, i) => row(prefixes[i]!, p));
      const folded = db.kine.otherPrefixes;
      if (folded.prefixes > 0) {
        row(`(${thousands.format(folded.prefixes)} more prefixes)`, folded);
        line(
          `      ${thousands.format(db.kine.prefixes.length)} of ${thousands.format(db.kine.prefixCount)} prefixes listed (most rows first); ${thousands.format(folded.prefixes)} more prefixes hold ${thousands.format(folded.rows)} rows (${raiseWith('maxKinePrefixes')})`,
        );
      }
    }
  }
  process.stdout.write(batch);
}

/** The options every snapshot command has besides its files: the limits (src/limits.ts). */
interface SnapshotOptionArgs {
  'boot-time'?: string;
  'max-output': string;
  'max-databases': number;
  'max-kine-prefixes': number;
}

interface SnapshotFileArgs extends SnapshotOptionArgs {
  file: string;
  json: boolean;
}

/** The limits of inspect and diff, which decode and measure; extract only decodes. */
const MEASURE_LIMITS: LimitScope[] = ['snapshot', 'snapshot-stats'];
const withSnapshotLimits = <T>(yargs: Argv<T>, scopes: LimitScope[] = MEASURE_LIMITS) =>
  withLimitOptions(yargs, scopes);

function withBootTime<T>(yargs: Argv<T>) {
  return yargs.option('boot-time', {
    type: 'string',
    describe: 'Host boot time (ISO-8601): anchors the monotonic TIMESTAMP to the wall clock',
  });
}

/** Runs `read` with the options every snapshot command reads the same way, and the progress bar. */
async function withProgress<T>(
  args: SnapshotOptionArgs,
  read: (options: InspectOptions) => Promise<T>,
): Promise<T> {
  const limits = limitsFrom(args, MEASURE_LIMITS);
  const bootTime = parseBootTime(args['boot-time']);
  const progress = createProgress();
  try {
    return await read({ bootTime, ...limits, onProgress: progress.update });
  } finally {
    progress.done();
  }
}

const snapshotEpilogue =
  'Evidence is opened read-only. Exit codes: 0 decoded; 2 bad input or usage. Docs: docs/snapshot.md';

const inspectCommand: CommandModule<object, SnapshotFileArgs> = {
  command: 'inspect <file>',
  describe: 'Row counts per table and kine prefix, raft term/index/configuration, the write time',
  builder: (yargs: Argv) =>
    withSnapshotLimits(
      withBootTime(
        yargs.positional('file', {
          type: 'string',
          demandOption: true,
          describe: 'A copy of a dqlite snapshot file; the .meta beside it is read too',
        }),
      ),
    )
      .example('$0 snapshot inspect backend/snapshot-4-183435887-1738473286', 'the report as text')
      .example('$0 snapshot inspect snapshot-… --json', 'the schema in docs/snapshot.md')
      .example(
        '$0 snapshot inspect snapshot-… --boot-time 2026-03-30T08:00:00Z',
        'anchor the monotonic clock',
      )
      .epilogue(snapshotEpilogue) as unknown as Argv<SnapshotFileArgs>,
  handler: async (args) => {
    const { inspectSnapshot } = await import('../../store/snapshot-db.js');
    const report = await withProgress(args, (options) => inspectSnapshot(args.file, options));
    if (args.json) await printJson(report);
    else printReport(report);
    for (const warning of report.warnings) warn(`${report.file}: ${warning}`);
  },
};

interface SnapshotDiffArgs extends Omit<SnapshotFileArgs, 'file'> {
  before: string;
  after: string;
}

const diffCommand: CommandModule<object, SnapshotDiffArgs> = {
  command: 'diff <before> <after>',
  describe: 'Before/after row counts and sizes of two snapshots, largest change first',
  builder: (yargs: Argv) =>
    withSnapshotLimits(
      withBootTime(
        yargs
          .positional('before', { type: 'string', demandOption: true, describe: 'The earlier snapshot copy' })
          .positional('after', { type: 'string', demandOption: true, describe: 'The later snapshot copy' }),
      ),
    )
      .example(
        '$0 snapshot diff snapshot-4-183435887-1738473286 snapshot-4-183437979-1822515154',
        'a Markdown table: rows, live keys, bytes per kine prefix',
      )
      .example('$0 snapshot diff before after --json', 'both sides and each change, as in docs/snapshot.md')
      .epilogue(snapshotEpilogue) as unknown as Argv<SnapshotDiffArgs>,
  handler: async (args) => {
    const { diffSnapshots } = await import('../../analyze/snapshot-diff.js');
    // Both sides read together, so that a prefix one side folded is looked up there, not guessed.
    const { inspectSnapshotPair } = await import('../../store/snapshot-db.js');
    const { before, after } = await withProgress(args, (options) =>
      inspectSnapshotPair(args.before, args.after, options),
    );
    const diff = diffSnapshots(before, after, { listedOnBoth: true });
    if (args.json) await printJson(diff);
    else {
      const { renderSnapshotDiffMarkdown } = await import('../../render/snapshot-diff.js');
      process.stdout.write(renderSnapshotDiffMarkdown(diff));
    }
    for (const report of [before, after])
      for (const warning of report.warnings) warn(`${report.file}: ${warning}`);
  },
};

interface SnapshotExtractArgs extends Omit<SnapshotOptionArgs, 'boot-time' | 'max-kine-prefixes'> {
  file: string;
  out: string;
  json: boolean;
}

const extractCommand: CommandModule<object, SnapshotExtractArgs> = {
  command: 'extract <file>',
  describe: 'Leave the rebuilt SQLite databases of a snapshot in a folder, for sqlite3',
  builder: (yargs: Argv) =>
    withSnapshotLimits(
      yargs
        .positional('file', {
          type: 'string',
          demandOption: true,
          describe: 'A copy of a dqlite snapshot file',
        })
        .option('out', {
          type: 'string',
          demandOption: true,
          describe:
            'Folder for the rebuilt SQLite files (created; not inside the evidence the snapshot is in, up to the working, home or temp folder)',
        }),
      ['snapshot'],
    )
      .example(
        '$0 snapshot extract snapshot-4-183437979-1822515154 --out /tmp/k8s-db',
        'then: sqlite3 /tmp/k8s-db/k8s.sqlite',
      )
      .epilogue(snapshotEpilogue) as unknown as Argv<SnapshotExtractArgs>,
  handler: async (args) => {
    const { extractSnapshot } = await import('../../store/snapshot-db.js');
    const progress = createProgress();
    const databases = await extractSnapshot(args.file, args.out, {
      ...limitsFrom(args, ['snapshot']),
      onProgress: progress.update,
    }).finally(progress.done);
    if (args.json) await printJson({ file: args.file, databases });
    else
      for (const db of databases)
        process.stdout.write(`${terminalText(db.name)}\t${terminalText(db.path)}\n`);
  },
};

/** `snapshot inspect|diff|extract`: three commands of their own, each with its own help and examples. */
export const snapshotCommand: CommandBody<object> = {
  builder: (yargs: Argv) =>
    yargs
      .command([inspectCommand, diffCommand, extractCommand].map(helpTextWhenShown))
      .demandCommand(
        1,
        'Name one: snapshot inspect | diff | extract (see howchain snapshot <command> --help)',
      ),
  handler: () => {},
};

export default snapshotCommand;
