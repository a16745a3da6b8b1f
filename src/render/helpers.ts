import type { HelperDelegate } from 'handlebars';
import type { EvidenceRef } from '../types/index.js';
import {
  citation,
  codeBlock,
  escapeMarkdown,
  formatBytes,
  formatDuration,
  formatPercent,
  formatTime,
  inlineCode,
} from './format.js';

/** Handlebars passes its options object last; helpers with optional arguments must not mistake it for one. */
const given = (value: unknown) =>
  value !== undefined && !(typeof value === 'object' && value !== null && 'hash' in value && 'data' in value);

/**
 * The helpers templates may use (docs/templates.md lists them). All output is Markdown; the Handlebars
 * instance runs with noEscape, so text from evidence must go through `md`, `code` or `codeblock`.
 */
export const helpers: Record<string, HelperDelegate> = {
  bytes: (n: number) => formatBytes(n),
  duration: (seconds: number) => formatDuration(seconds),
  time: (iso: string) => formatTime(iso),
  pct: (share: number) => formatPercent(share),
  number: (n: number) => (typeof n === 'number' ? n.toLocaleString('en-US') : String(n ?? '')),
  fixed: (n: number, digits: unknown) =>
    typeof n === 'number' ? n.toFixed(given(digits) ? Number(digits) : 1) : 'n/a',
  md: (text: string) => escapeMarkdown(String(text ?? '')),
  code: (text: string) => inlineCode(String(text ?? '')),
  codeblock: (text: string, language: unknown) =>
    codeBlock(String(text ?? ''), given(language) ? String(language) : 'text'),
  cite: (ref: EvidenceRef) => citation(ref),
  short: (sha: string) => String(sha ?? '').slice(0, 12),
  todo: (what: string) => `**TODO(author):** ${what}`,
  eq: (a: unknown, b: unknown) => a === b,
  gt: (a: number, b: number) => a > b,
  len: (list: unknown[]) => (Array.isArray(list) ? list.length : 0),
  inc: (n: number) => n + 1,
  join: (list: unknown[], separator: unknown) =>
    Array.isArray(list) ? list.join(given(separator) ? String(separator) : ', ') : '',
  or: (...args: unknown[]) => args.slice(0, -1).find(Boolean) ?? false,
};
