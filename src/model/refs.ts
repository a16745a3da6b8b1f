import type { EvidenceEvent, EvidenceRef, ManifestEntry, ObjectFact } from '../types/index.js';

const EXCERPT_LIMIT = 240;

/** `1 restart`, `1,234 restarts`. */
export const plural = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** Log text as quoted evidence: one line, capped, so a PIR never carries a 5 MB line. */
export function excerpt(text: string): string {
  const line = text.replace(/\s*\n\s*/g, ' ').trim();
  return line.length > EXCERPT_LIMIT ? `${line.slice(0, EXCERPT_LIMIT - 1)}…` : line;
}

/** sha256 of each evidence file, from the custody manifest. */
export function hashLookup(manifest: ManifestEntry[]): (file: string) => string {
  const byPath = new Map(manifest.map((m) => [m.path, m.sha256]));
  return (file) => byPath.get(file) ?? 'unknown';
}

export function eventRef(event: EvidenceEvent, sha256: (file: string) => string): EvidenceRef {
  return { file: event.file, line: event.line, sha256: sha256(event.file), excerpt: excerpt(event.message) };
}

export function factName(fact: ObjectFact): string {
  switch (fact.kind) {
    case 'node':
      return `node/${fact.name}`;
    case 'count':
      return `count/${fact.resource}`;
    case 'storage-bench':
      return `storage-bench/${fact.tool}`;
    case 'certificate':
      return `certificate/${fact.subject}`;
    case 'file-size':
      return `file-size/${fact.path}`;
    default:
      return `${fact.kind}/${fact.namespace}/${fact.name}`;
  }
}

export function factRef(fact: ObjectFact, quote?: string): EvidenceRef {
  return {
    file: fact.file,
    ...(fact.line !== null ? { line: fact.line } : {}),
    object: factName(fact),
    sha256: fact.sha256,
    ...(quote ? { excerpt: excerpt(quote) } : {}),
  };
}

/** `sampleEnds` of items met one at a time: the first and the latest `each` are all it keeps. */
export class EndSample<T> {
  private readonly head: T[] = [];
  private readonly tail: T[] = [];
  constructor(private readonly each = 2) {}

  add(item: T): void {
    if (this.head.length < this.each) this.head.push(item);
    else {
      this.tail.push(item);
      if (this.tail.length > this.each) this.tail.shift();
    }
  }

  get items(): T[] {
    return [...this.head, ...this.tail];
  }
}

/** First and last few of a long list: enough to check, short enough to read. */
export function sampleEnds<T>(items: T[], each = 2): T[] {
  return items.length <= each * 2 ? items : [...items.slice(0, each), ...items.slice(-each)];
}
