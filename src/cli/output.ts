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

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** One line on stderr; text from the evidence in it cannot drive the terminal (see terminalText). */
export function warn(message: string): void {
  process.stderr.write(`${paint(process.stderr, 'yellow', 'warning')}: ${terminalText(message)}\n`);
}
