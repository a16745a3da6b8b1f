/**
 * Decides what a file is from its name and first bytes, so the ingest can pick a parser while it
 * streams. Type ids are documented in docs/formats.md; 'unknown' files are listed, never dropped.
 */
import { parseSnapshotName } from './dqlite/name.js';
import { readLine } from './logs/index.js';

/** How the ingest handles a type: scan lines, read whole as a document, decode a snapshot, or only hash. */
export type Handling = 'log' | 'document' | 'snapshot' | 'hash';

export interface FileType {
  id: string;
  handling: Handling;
  /** Set when the file is unusable as what it claims to be (e.g. binary data in a `.log`). */
  problem?: string;
}

/** Bytes of the head used for detection. */
export const SNIFF_BYTES = 64 * 1024;

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Many bytes that are neither UTF-8 nor text controls (NUL included) mean binary. One stray NUL or
 * bad byte in a log (a torn write, a crash mid-line) does not: that log's other lines are still read.
 */
export function looksBinary(head: Buffer): boolean {
  if (head.length === 0) return false;
  const text = head.toString('utf8');
  let bad = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (
      code === 0xfffd ||
      (code < 32 && code !== 9 && code !== 10 && code !== 13 && code !== 27 && code !== 12)
    )
      bad++;
  }
  // A head cut mid-character leaves at most a few replacement characters.
  return (bad > 8 && bad / text.length > 0.01) || bad / text.length > 0.1;
}

function firstLines(head: Buffer, count: number): string[] {
  const text = head.toString('utf8');
  const lines = text.split('\n');
  // The last piece may be cut by the head limit.
  if (head.length >= SNIFF_BYTES) lines.pop();
  return lines
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => line.trim() !== '')
    .slice(0, count);
}

const LISTING_LINE = /^[-dlcbps][-rwxsStT]{9}[.+@]?\s+\d+\s/;
const TABLE_HEADER = /^(?:NAMESPACE|NAME|LAST SEEN)\s{2,}\S/;

function documentType(path: string, lines: string[]): string | null {
  const name = basename(path).toLowerCase();
  const first = lines[0] ?? '';
  if (/^\s*\d+\s*$/.test(first) && lines.length === 1) return 'count';
  if (lines.some((line) => line.startsWith('-----BEGIN ')) && /\.(?:pem|crt|cert|cer|key)$/.test(name))
    return 'pem';
  if (lines.some((line) => line.startsWith('-----BEGIN CERTIFICATE-----'))) return 'pem';
  if (
    lines.some((line) => /^kind:\s*Config\s*$/.test(line)) &&
    lines.some((line) => /^(?:clusters|users):/.test(line))
  )
    return 'kubeconfig';
  if (lines.some((line) => /^\d+\+\d+ records out$/.test(line.trim()))) return 'storage-bench';
  if (
    lines.some((line) =>
      /^\s*(?:fsync\/fdatasync\/sync_file_range:|sync \((?:nsec|usec|msec)\): min=)/.test(line),
    )
  )
    return 'storage-bench';
  if (first.startsWith('{') && lines.slice(0, 3).some((line) => line.includes('"fio version"')))
    return 'storage-bench';
  if (name.endsWith('.csv')) return 'csv';
  if (first.startsWith('{') || first.startsWith('[')) {
    // Typed clients leave items without apiVersion/kind; `metadata` still says Kubernetes objects.
    const joined = lines.slice(0, 12).join('\n');
    if (/"(?:apiVersion|kind|metadata)"\s*:/.test(joined)) return 'kubectl-json';
    return null;
  }
  if (lines.some((line) => /^(?:apiVersion|kind|items):/.test(line)) && /\.ya?ml$|^[^.]*$/.test(name)) {
    return 'kubectl-yaml';
  }
  if (/^Name:\s+\S/.test(first) && lines.some((line) => /^(?:Namespace|Labels|Events):/.test(line))) {
    return 'kubectl-describe';
  }
  if (TABLE_HEADER.test(first)) return 'kubectl-table';
  if (/^total \d+/.test(first) || lines.slice(0, 5).some((line) => LISTING_LINE.test(line)))
    return 'ls-listing';
  if (lines.slice(0, 20).filter((line) => /(?:^|[\s/])snapshot-\d+-\d+-\d+(?:\s|$)/.test(line)).length >= 1) {
    return 'find-listing';
  }
  if (/ipamhandle/.test(name) && lines.every((line) => /^\S+(\s+\S+)?$/.test(line))) return 'kubectl-table';
  return null;
}

/** The log format most of the first lines parse as (wrapper id when wrapped), or null. */
function logType(lines: string[]): string | null {
  const votes = new Map<string, number>();
  let readable = 0;
  for (const line of lines.slice(0, 40)) {
    const reading = readLine(line);
    const id = reading.formats[0];
    if (!id) continue;
    readable++;
    votes.set(id, (votes.get(id) ?? 0) + 1);
  }
  if (readable === 0 || readable < Math.min(lines.length, 40) / 3) return null;
  return [...votes.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

export function detectFileType(path: string, head: Buffer): FileType {
  const name = basename(path);
  if (parseSnapshotName(name)) return { id: 'dqlite-snapshot', handling: 'snapshot' };
  if (name.endsWith('.meta') && parseSnapshotName(name.slice(0, -5)))
    return { id: 'dqlite-snapshot-meta', handling: 'hash' };
  if (/^\d{16}-\d{16}$/.test(name) || /^open-\d+$/.test(name))
    return { id: 'dqlite-segment', handling: 'hash' };
  if (/^metadata[12]$/.test(name)) return { id: 'dqlite-metadata', handling: 'hash' };
  if (head.length === 0) return { id: 'empty', handling: 'hash' };
  if (head[0] === 0x1f && head[1] === 0x8b) return { id: 'gzip', handling: 'hash' };
  if (looksBinary(head)) {
    const textual = /\.(?:log|txt|json|ya?ml|csv|out)$|journal/i.test(name);
    return textual
      ? { id: 'unknown', handling: 'hash', problem: 'binary data where text was expected; not parsed' }
      : { id: 'unknown', handling: 'hash' };
  }
  const lines = firstLines(head, 60);
  if (/^==== START logs for container /m.test(head.toString('utf8')) || name === 'cluster-info-dump') {
    return { id: 'cluster-info-dump', handling: 'document' };
  }
  const log = logType(lines);
  if (log) return { id: log, handling: 'log' };
  const document = documentType(path, lines);
  if (document) return { id: document, handling: 'document' };
  return { id: 'text', handling: 'log' };
}
