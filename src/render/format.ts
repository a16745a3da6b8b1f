/** Formatting for the PIR: sizes, durations, times, and Markdown that survives log text. */
import type { EvidenceRef } from '../types/index.js';
import { maxOf } from '../bounded.js';

/** Decimal units, as `ls -h` and the reference PIR quote snapshot sizes (215 MB). */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return 'unknown size';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || Math.abs(value) >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${units[unit]}`;
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return 'unknown';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${Number(seconds.toFixed(1))} s`;
  const s = Math.round(seconds);
  const parts: [number, string][] = [
    [Math.floor(s / 86400), 'd'],
    [Math.floor((s % 86400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'min'],
    [s % 60, 's'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  return parts
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, u]) => `${n} ${u}`)
    .join(' ');
}

/** `2026-03-31 22:04:43 UTC` (seconds; the evidence tables keep the full precision). */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return 'unknown time';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function formatPercent(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return 'n/a';
  return `${(share * 100).toFixed(share > 0 && share < 0.1 ? 1 : 0)}%`;
}

/** C0 controls (but tab and newline), DEL and the C1 controls terminals also act on (CSI is U+009B). */
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const CONTROLS_AND_BREAKS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const visible = (char: string) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;

/**
 * Text from evidence made safe to print on a terminal, on one line: escape sequences (ESC), bells,
 * carriage returns that overwrite what came before, and line breaks are shown as `\xNN`, never acted on.
 */
export function terminalText(text: string): string {
  return text.replace(CONTROLS_AND_BREAKS, (char) =>
    char === '\u2028' || char === '\u2029' ? ' ' : visible(char),
  );
}

/** Like terminalText, but keeps line breaks and tabs (for multi-line output such as a PIR code block). */
export function withVisibleControls(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(CONTROLS, visible);
}

/**
 * Backslash-escapes the characters Markdown and HTML would act on, so evidence text is shown, not
 * interpreted: no heading, link (autolinks included), image, raw HTML tag or table cell can come
 * from a log line or a database name. Line breaks become spaces; other controls are shown as `\xNN`.
 */
export function escapeMarkdown(text: string): string {
  return (
    withVisibleControls(text)
      .replace(/[\r\n\u2028\u2029]+/g, ' ')
      .replace(/([\\`*_{}[\]<>#|~])/g, '\\$1')
      // No autolinks either: a URL or address in a log line stays text (GFM links `http://`, `www.`, `a@b`).
      .replace(/:\/\//g, '\\://')
      .replace(/\b(www)\./gi, '$1\\.')
      .replace(/@/g, '\\@')
  );
}

/** Inline code that holds any text: the fence is longer than any backtick run inside. Pipes escaped for tables. */
export function inlineCode(text: string): string {
  const flat = withVisibleControls(text).replace(/[\r\n\u2028\u2029]+/g, ' ');
  const longest = maxOf(
    (flat.match(/`+/g) ?? []).map((run) => run.length),
    0,
  );
  const fence = '`'.repeat(longest + 1);
  const padded = flat.startsWith('`') || flat.endsWith('`') ? ` ${flat} ` : flat;
  return `${fence}${padded.replace(/\|/g, '\\|')}${fence}`;
}

/** A fenced block that no line of the text can close early. */
export function codeBlock(text: string, language = 'text'): string {
  const longest = maxOf(
    (text.match(/`{3,}/g) ?? []).map((run) => run.length),
    2,
  );
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${withVisibleControls(text).replace(/\s+$/, '')}\n${fence}`;
}

/** `file:line` (or the object) with the first 12 hex digits of the file's sha256. */
export function citation(ref: EvidenceRef): string {
  const where =
    ref.line !== undefined ? `${ref.file}:${ref.line}` : ref.object ? `${ref.file} ${ref.object}` : ref.file;
  return `${inlineCode(where)} (sha256 ${ref.sha256.slice(0, 12)})`;
}
