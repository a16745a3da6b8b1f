/**
 * Every limit on what evidence can make howchain do, in one table: the field the code reads, the
 * command-line option that sets it, its default and what it caps. The layers take their defaults
 * from here (DEFAULT_BUNDLE_LIMITS, the parsers' DEFAULT_LIMITS, the snapshot decoder's), the CLI
 * builds its options from it (src/cli/commands/_limit-options.ts), and every refusal names the
 * option that raises it: whoever meets a limit on genuine evidence knows what to type.
 *
 * Kept free of imports so that `--help` can show the defaults without loading any reader.
 */

/**
 * Which readers a limit belongs to: commands offer the options of the readers they run.
 * 'snapshot' decodes a snapshot (extract too); 'snapshot-stats' measures what it decoded (not extract).
 */
export type LimitScope = 'bundle' | 'parse' | 'snapshot' | 'snapshot-stats';

export interface LimitSpec {
  /** The command-line option, without its dashes. */
  option: string;
  default: number;
  /** Bytes take sizes (`16G`, `512M`, `4096`); counts and ratios take plain numbers. */
  unit: 'bytes' | 'count' | 'ratio';
  scope: LimitScope;
  describe: string;
}

const KiB = 1024;
const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

export const LIMITS = {
  maxEntries: {
    option: 'max-files',
    default: 500_000,
    unit: 'count',
    scope: 'bundle',
    describe: 'Most files in one bundle (archive members, or files in a folder); the rest are not read',
  },
  maxEntryBytes: {
    option: 'max-file-size',
    default: 16 * GiB,
    unit: 'bytes',
    scope: 'bundle',
    describe: 'Largest single file read from a bundle (its size as stored in the folder or archive)',
  },
  maxTotalBytes: {
    option: 'max-bundle-size',
    default: 64 * GiB,
    unit: 'bytes',
    scope: 'bundle',
    describe: 'Most bytes read from one bundle in all, after decompression',
  },
  maxRatio: {
    option: 'max-ratio',
    default: 200,
    unit: 'ratio',
    scope: 'bundle',
    describe: 'Largest decompressed-to-compressed ratio of gzip data (decompression bomb guard)',
  },
  ratioFloorBytes: {
    option: 'ratio-floor',
    default: 256 * MiB,
    unit: 'bytes',
    scope: 'bundle',
    describe: 'Decompressed bytes of gzip data before --max-ratio is checked',
  },
  maxPathBytes: {
    option: 'max-path',
    default: 4 * KiB,
    unit: 'bytes',
    scope: 'bundle',
    describe: 'Longest archive member name, in bytes as stored (PATH_MAX on Linux)',
  },
  maxLineBytes: {
    option: 'max-line',
    default: 1 * MiB,
    unit: 'bytes',
    scope: 'parse',
    describe: 'Longest log line read; a longer one is skipped and named, the rest of the file read',
  },
  maxDocumentBytes: {
    option: 'max-document',
    default: 512 * MiB,
    unit: 'bytes',
    scope: 'parse',
    describe: 'Largest document (JSON/YAML dump, listing, CSV) parsed; it is read whole',
  },
  maxOutputBytes: {
    option: 'max-output',
    default: 4 * GiB,
    unit: 'bytes',
    scope: 'snapshot',
    describe: "Largest decoded size of a dqlite snapshot's LZ4 data (LZ4 bomb guard)",
  },
  maxDatabases: {
    option: 'max-databases',
    default: 64,
    unit: 'count',
    scope: 'snapshot',
    describe: 'Most databases in one dqlite snapshot (dqlite writes one or a few)',
  },
  maxKinePrefixes: {
    option: 'max-kine-prefixes',
    default: 1000,
    unit: 'count',
    scope: 'snapshot-stats',
    describe:
      'Most kine key prefixes listed one by one (those with the most rows); the rest are summed into one line',
  },
} satisfies Record<string, LimitSpec>;

export type LimitName = keyof typeof LIMITS;
export type Limits = Record<LimitName, number>;

/** The default of every limit. */
export const DEFAULT_LIMIT_VALUES = Object.fromEntries(
  Object.entries(LIMITS).map(([name, spec]) => [name, spec.default]),
) as Limits;

/** The end of a refusal: which option raises the limit that was met. */
export function raiseWith(name: LimitName): string {
  return `raise it with --${LIMITS[name].option}`;
}
