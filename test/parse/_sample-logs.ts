import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SAMPLES = fileURLToPath(new URL('../../samples/', import.meta.url));

/**
 * Every line of every `.log` file under `dir` (default: samples/, the sample bundle and the incident
 * bundles), in walk order, empty lines included: the real-format corpus the fast readers are
 * compared on.
 */
export function sampleLogLines(dir: string = SAMPLES): string[] {
  const lines: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) lines.push(...sampleLogLines(path));
    else if (name.endsWith('.log')) lines.push(...readFileSync(path, 'utf8').split('\n'));
  }
  return lines;
}
