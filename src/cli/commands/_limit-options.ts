import type { Argv } from 'yargs';
import { UsageError } from '../../errors.js';
import { LIMITS, type LimitName, type Limits, type LimitScope, type LimitSpec } from '../../limits.js';

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** `4G`, `512MiB`, `1000000` → bytes (binary units); `option` names the flag in the error. */
export function parseByteSize(text: string, option: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?$/i.exec(text.trim());
  const unit = match ? UNITS[(match[2] ?? '').toLowerCase()] : undefined;
  const bytes = match && unit !== undefined ? Math.floor(Number(match[1]) * unit) : 0;
  if (!(bytes >= 1)) throw new UsageError(`--${option}: cannot read "${text}" as a size (e.g. 8G)`);
  return bytes;
}

/** A size as --help shows it: in the largest binary unit it is a whole number of (`16G`, `4096`). */
export function formatByteSize(bytes: number): string {
  for (const [suffix, unit] of [
    ['T', 1024 ** 4],
    ['G', 1024 ** 3],
    ['M', 1024 ** 2],
    ['K', 1024],
  ] as const)
    if (bytes % unit === 0) return `${bytes / unit}${suffix}`;
  return String(bytes);
}

/** The limits of everything that ingests a bundle: its walk, its parsers and its snapshot copies. */
export const INGEST_LIMITS: LimitScope[] = ['bundle', 'parse', 'snapshot', 'snapshot-stats'];

const inScopes = (scopes: LimitScope[]) =>
  (Object.entries(LIMITS) as [LimitName, LimitSpec][]).filter(([, spec]) => scopes.includes(spec.scope));

/**
 * The options of every limit of the readers a command runs (`scopes`), with their defaults, under
 * "Limits:" in its --help. The options come from src/limits.ts: one table for all commands.
 */
export function withLimitOptions<T>(yargs: Argv<T>, scopes: LimitScope[]): Argv<T> {
  let built = yargs;
  for (const [, spec] of inScopes(scopes)) {
    built = built.option(
      spec.option,
      spec.unit === 'bytes'
        ? { type: 'string', default: formatByteSize(spec.default), describe: spec.describe, group: 'Limits:' }
        : { type: 'number', default: spec.default, describe: spec.describe, group: 'Limits:' },
    ) as Argv<T>;
  }
  return built;
}

/** The limits the options of `scopes` give, read and checked: a bad value is a usage error naming it. */
export function limitsFrom(args: object, scopes: LimitScope[]): Partial<Limits> {
  const limits: Partial<Limits> = {};
  for (const [name, spec] of inScopes(scopes)) {
    const given = (args as Record<string, unknown>)[spec.option];
    if (given === undefined) continue;
    if (spec.unit === 'bytes') limits[name] = parseByteSize(String(given), spec.option);
    else {
      const value = Number(given);
      const whole = spec.unit === 'count';
      if (!(value >= 1) || (whole && !Number.isInteger(value)))
        throw new UsageError(
          `--${spec.option} ${String(given)}: must be a ${whole ? 'whole ' : ''}number of 1 or more`,
        );
      limits[name] = value;
    }
  }
  return limits;
}
