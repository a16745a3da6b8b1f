import type { CaseData, ErrorSignature, EventKind, EvidenceEvent } from '../types/index.js';
import { eventRef, hashLookup } from '../model/index.js';

/** Kinds whose line shapes belong in "key error signatures" (snapshots and acquisitions are not errors). */
const ERROR_KINDS: EventKind[] = [
  'lease_renew_failure',
  'lease_lock_retrieve_error',
  'leader_lost',
  'apiserver_timeout',
  'datastore_slow',
  'crashloop',
  'unknown_flag',
  'image_pull_failure',
];
const PER_KIND = 3;

// Most specific first: a journald line also starts with an RFC3339 stamp.
const WRAPPERS = [
  // journald short-iso[-precise]: stamp host ident[pid]:
  /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)\s+\S+\s+[^\s:]+:\s+/,
  // kubectl --timestamps / CRI: RFC3339 stamp, optionally "stdout|stderr F|P"
  /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)\s+(?:(?:stdout|stderr)\s+[FP]\S*\s+)?/,
  // journald short / syslog: Mon DD HH:MM:SS host ident[pid]:
  /^[A-Z][a-z]{2}\s+\d+\s+\d\d:\d\d:\d\d(?:\.\d+)?\s+\S+\s+[^\s:]+:\s+/,
];
const KLOG = /^([IWEF])\d{4}\s+\d\d:\d\d:\d\d\.\d+\s+\d+\s+([\w.-]+):\d+\]\s*(.*)$/;

/** The shape of a line: wrappers, times, ids and numbers removed, so repeats of one error group together. */
export function signatureOf(event: EvidenceEvent): string {
  let text = event.message.trim();
  for (const wrapper of WRAPPERS) text = text.replace(wrapper, '');
  let head = '';
  const klog = KLOG.exec(text);
  if (klog) {
    head = `${klog[1]} ${klog[2]}] `;
    text = klog[3]!;
  } else if (text.startsWith('{')) {
    try {
      const json = JSON.parse(text) as Record<string, unknown>;
      const level = typeof json.level === 'string' ? `${json.level} ` : '';
      head = level;
      text = [json.msg, json.error].filter((v) => typeof v === 'string').join(': ');
    } catch {
      // not JSON after all: keep the text
    }
  }
  if (event.subject) text = text.split(event.subject).join('<subject>');
  text = text
    .replace(/\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:?\d\d)?/g, '<time>')
    .replace(/\/(?:registry|apis?)\/[^\s"':,]+/g, '<path>')
    .replace(/\b[0-9a-f]{8,}(?:-[0-9a-f]{4,})*\b/gi, '<id>')
    .replace(/\b\d+(?:\.\d+)?(?:ms|s|m|h)\b/g, '<duration>')
    .replace(/\b\d+\b/g, 'N');
  return `${head}${text}`.slice(0, 200);
}

/** The order a signature's first line is chosen by: undated lines first, then time, file, line. */
function earlier(a: EvidenceEvent, b: EvidenceEvent): boolean {
  return ((a.ts ?? '').localeCompare(b.ts ?? '') || a.file.localeCompare(b.file) || a.line - b.line) < 0;
}

export function errorSignatures(data: CaseData): ErrorSignature[] {
  const sha = hashLookup(data.manifest);
  // A count and the first line per signature, not the lines themselves: a case can hold millions.
  const groups = new Map<string, { kind: EventKind; count: number; first: EvidenceEvent }>();
  data.events.eachOf(ERROR_KINDS, (event) => {
    const key = `${event.kind}\u0000${signatureOf(event)}`;
    const group = groups.get(key);
    if (!group) groups.set(key, { kind: event.kind, count: 1, first: event });
    else {
      group.count++;
      if (earlier(event, group.first)) group.first = event;
    }
  });
  const all = [...groups.entries()].map(([key, g]) => ({
    kind: g.kind,
    signature: key.split('\u0000')[1]!,
    count: g.count,
    first: eventRef(g.first, sha),
    firstTs: g.first.ts,
  }));
  return ERROR_KINDS.flatMap((kind) =>
    all
      .filter((s) => s.kind === kind)
      .sort((a, b) => b.count - a.count || a.signature.localeCompare(b.signature))
      .slice(0, PER_KIND),
  );
}
