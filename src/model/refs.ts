import type { MessageSource } from '../store/event-table.js';
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

/**
 * A citation of an event that reads its quote when asked for (serialised, rendered) instead of
 * holding it: the model cites every lease failure, and a stall's journal can hold hundreds of
 * thousands, whose quotes were most of analyze's memory. It reads the case, so it is read while the
 * case is open; `detachedRef` makes the plain ref that outlives it. `excerpt` is an own enumerable
 * getter: JSON, spreads and templates see a field.
 */
class LazyEventRef implements EvidenceRef {
  readonly file: string;
  readonly line: number;
  readonly sha256: string;
  declare readonly excerpt: string;
  readonly #read: MessageSource['read'];
  readonly #key: number;

  static readonly #excerpt: PropertyDescriptor = {
    enumerable: true,
    get(this: LazyEventRef) {
      return excerpt(this.#read(this.#key));
    },
  };

  constructor(file: string, line: number, sha256: string, message: MessageSource) {
    this.file = file;
    this.line = line;
    this.sha256 = sha256;
    this.#read = message.read;
    this.#key = message.key;
    // One shared getter: every ref has the same shape and only its own fields.
    Object.defineProperty(this, 'excerpt', LazyEventRef.#excerpt);
  }
}

/** `eventRef` of the line `file:line` whose message `message` reads when the quote is asked for. */
export function lazyRef(file: string, line: number, sha256: string, message: MessageSource): EvidenceRef {
  return new LazyEventRef(file, line, sha256, message);
}

/** A ref that no longer needs the case: a lazy one read into a plain one, any other as it is. */
export function detachedRef(ref: EvidenceRef): EvidenceRef {
  return ref instanceof LazyEventRef ? { ...ref } : ref;
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
