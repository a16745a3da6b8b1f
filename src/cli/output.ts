import { once } from 'node:events';
import { terminalText } from '../render/format.js';
import { ProgressCallback } from '../types/index.js';

/** Colour only when stderr/stdout is a terminal and the user has not asked for none (https://no-color.org). */
function useColor(stream: NodeJS.WriteStream): boolean {
  if ('NO_COLOR' in process.env && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR) return true;
  return Boolean(stream.isTTY);
}

const codes = { red: 31, yellow: 33, green: 32, dim: 2, bold: 1 } as const;

export function paint(stream: NodeJS.WriteStream, style: keyof typeof codes, text: string): string {
  return useColor(stream) ? `\x1b[${codes[style]}m${text}\x1b[0m` : text;
}

/**
 * A progress bar on stderr, drawn only when stderr is a TTY so logs and CI output stay clean.
 * Redraws at most every 100 ms; `done()` clears the line.
 */
export function createProgress(stream: NodeJS.WriteStream = process.stderr): {
  update: ProgressCallback;
  done: () => void;
} {
  if (!stream.isTTY) return { update: () => {}, done: () => {} };
  let last = 0;
  let drawn = false;
  const update: ProgressCallback = (done, total, label) => {
    const now = Date.now();
    if (now - last < 100 && !(total !== null && done >= total)) return;
    last = now;
    const width = 24;
    const share = total ? Math.min(1, done / total) : null;
    const bar =
      share === null
        ? `${done}`
        : `[${'#'.repeat(Math.round(share * width)).padEnd(width, '.')}] ${Math.round(share * 100)}%`;
    const columns = stream.columns || 80;
    stream.write(`\r${paint(stream, 'dim', `${bar} ${label}`.slice(0, columns - 1))}\x1b[K`);
    drawn = true;
  };
  return {
    update,
    done: () => {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}

/**
 * `JSON.stringify(value, null, 2)` and a newline, written to stdout in pieces as the reader takes them: a result that grows
 * with the evidence (a finding citing 300,000 lease holders is 480 MB of JSON) would pass V8's
 * longest string (about 512 MiB) and die with "Invalid string length" if made as one string.
 */
export async function printJson(value: unknown): Promise<void> {
  let batch = '';
  for (const piece of jsonPieces(viaToJSON(value, ''), '')) {
    batch += piece;
    if (batch.length >= 1 << 16) {
      // Waiting for a slow reader keeps the output from queueing up in memory, and lets a reader
      // that has gone (`| head`: EPIPE) end the run now rather than after the last piece.
      if (!process.stdout.write(batch)) await once(process.stdout, 'drain');
      batch = '';
    }
  }
  process.stdout.write(`${batch}\n`);
}

/** What JSON.stringify leaves out of an object (and writes as null in an array). */
const unwritten = (value: unknown) =>
  value === undefined || typeof value === 'function' || typeof value === 'symbol';

/** A value as JSON.stringify sees it: through its toJSON, once. */
function viaToJSON(value: unknown, key: string): unknown {
  const withToJSON = value as { toJSON?: (key: string) => unknown } | null;
  return typeof withToJSON?.toJSON === 'function' ? withToJSON.toJSON(key) : value;
}

/** The pieces of `JSON.stringify(value, null, 2)` for a value already passed through viaToJSON. */
function* jsonPieces(value: unknown, indent: string): Generator<string> {
  if (value === null || typeof value !== 'object') {
    yield unwritten(value) ? 'null' : JSON.stringify(value);
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return yield '[]';
    for (let i = 0; i < value.length; i++) {
      yield `${i === 0 ? '[' : ','}\n${inner}`;
      yield* jsonPieces(viaToJSON(value[i], String(i)), inner);
    }
    return yield `\n${indent}]`;
  }
  let first = true;
  for (const name of Object.keys(value)) {
    const item = viaToJSON((value as Record<string, unknown>)[name], name);
    if (unwritten(item)) continue;
    yield `${first ? '{' : ','}\n${inner}${JSON.stringify(name)}: `;
    first = false;
    yield* jsonPieces(item, inner);
  }
  yield first ? '{}' : `\n${indent}}`;
}

/** One line on stderr; text from the evidence in it cannot drive the terminal (see terminalText). */
export function warn(message: string): void {
  process.stderr.write(`${paint(process.stderr, 'yellow', 'warning')}: ${terminalText(message)}\n`);
}
