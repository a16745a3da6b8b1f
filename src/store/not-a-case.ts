/** The tables every howchain case has had since schema 1 (docs/case-schema.md). */
export const CASE_TABLES = ['bundles', 'manifest', 'events'];

/** Why an SQLite file that opens is not a case. */
export const WITHOUT_CASE_TABLES = `an SQLite file without a case's ${CASE_TABLES.join('/')} tables`;

/**
 * The one refusal of a file given as a case that is not one, whichever command meets it: ingest and
 * analyze writing to --case, serve and verify reading it, events, correlate and analyze given it as
 * an input. `why` is WITHOUT_CASE_TABLES, or what SQLite said when it could not read the file.
 */
export function notACase(why: string): string {
  return `not a howchain case database (${why}); it was left as it was`;
}
