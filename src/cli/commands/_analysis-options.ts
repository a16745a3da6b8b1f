import type { Argv } from 'yargs';
import { UsageError } from '../../errors.js';

/** Options `analyze` and `correlate` share: how the correlation is computed and how times are read. */
export interface AnalysisArgs {
  'renew-deadline': number;
  seed: number;
  permutations: number;
  year?: number;
  tz?: string;
}

export function withAnalysisOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('renew-deadline', {
      type: 'number',
      default: 10,
      describe: 'Correlation window in seconds after a snapshot write (client-go renewDeadline)',
    })
    .option('seed', { type: 'number', default: 1, describe: 'Seed of the permutation test' })
    .option('permutations', {
      type: 'number',
      default: 9999,
      describe: 'Circular shifts in the permutation test',
    })
    .option('year', { type: 'number', describe: 'Year of log lines that carry none (klog, journald short)' })
    .option('tz', { type: 'string', describe: 'Zone of log lines that carry none: +10:00 or an IANA name' });
}

export function checkAnalysisArgs(args: AnalysisArgs): void {
  if (!(args['renew-deadline'] > 0))
    throw new UsageError('--renew-deadline must be a positive number of seconds');
  if (!Number.isInteger(args.permutations) || args.permutations < 0)
    throw new UsageError('--permutations must be a whole number ≥ 0');
  if (!Number.isInteger(args.seed)) throw new UsageError('--seed must be a whole number');
}
