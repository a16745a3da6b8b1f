/**
 * A case's events as columns: one typed array per field, repeated strings stored once. A million
 * events held as objects cost about 220 bytes each in V8 and most of `analyze`'s memory; as columns
 * they cost about 50 bytes, outside the garbage-collected heap. Readers get ordinary event objects,
 * made when asked for (`at`, iteration, `ofKind`) and dropped when the reader is done with them.
 *
 * A table is a view: its rows are indexes into shared columns, so keeping some events (counting
 * content once) or ordering them (by time) copies four bytes per event, not the events.
 */
import type { Entity, EventKind, EventList, EvidenceEvent, ModelEvent, TimeQuality } from '../types/index.js';
import { IsoTimes } from '../iso-times.js';

type Attrs = NonNullable<EvidenceEvent['attrs']>;
const NONE = 0xffffffff;
const QUALITIES: TimeQuality[] = ['exact', 'year-assumed', 'zone-assumed', 'order-only', 'none'];

/**
 * Distinct triples of string ids, each stored once, so a row keeps one id instead of three: an
 * event's file, bundle and source (or kind, time source and severity) come in few combinations.
 */
class Triples {
  readonly first: number[] = [];
  readonly second: number[] = [];
  readonly third: number[] = [];
  private readonly ids = new Map<number, Map<number, Map<number, number>>>();
  private last = -1;

  idOf(first: number, second: number, third: number): number {
    // Consecutive events mostly share their triple.
    const last = this.last;
    if (last >= 0 && this.first[last] === first && this.second[last] === second && this.third[last] === third)
      return last;
    let bySecond = this.ids.get(first);
    if (!bySecond) this.ids.set(first, (bySecond = new Map()));
    let byThird = bySecond.get(second);
    if (!byThird) bySecond.set(second, (byThird = new Map()));
    let id = byThird.get(third);
    if (id === undefined) {
      id = this.first.length;
      this.first.push(first);
      this.second.push(second);
      this.third.push(third);
      byThird.set(third, id);
    }
    this.last = id;
    return id;
  }
}

/** Where the columns keep their data, sized for the rows a table is built with. */
class Columns {
  size = 0;
  /** File, bundle and source, as one of `origins`. */
  readonly origin: Uint32Array;
  readonly origins = new Triples();
  /** Kind, time source and severity, as one of `labels`. */
  readonly label: Uint32Array;
  readonly labels = new Triples();
  readonly subject: Uint32Array;
  readonly attrs: Uint32Array;
  readonly line: Uint32Array;
  readonly ts: IsoTimes;
  /** What `messageOf` is asked with: a row of the case database, or a place in kept messages. */
  readonly messageKey: Float64Array;
  readonly strings: string[] = [];
  private readonly stringIds = new Map<string, number>();
  readonly attrsList: Attrs[] = [];
  private readonly attrsIds = new Map<string, number>();

  constructor(readonly capacity: number) {
    this.origin = new Uint32Array(capacity);
    this.label = new Uint32Array(capacity);
    this.subject = new Uint32Array(capacity);
    this.attrs = new Uint32Array(capacity);
    this.line = new Uint32Array(capacity);
    this.ts = new IsoTimes(capacity);
    this.messageKey = new Float64Array(capacity);
  }

  fileId(row: number): number {
    return this.origins.first[this.origin[row]!]!;
  }

  kindId(row: number): number {
    return this.labels.first[this.label[row]!]!;
  }

  stringId(value: string | null | undefined): number {
    if (value === null || value === undefined) return NONE;
    let id = this.stringIds.get(value);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(value);
      this.stringIds.set(value, id);
    }
    return id;
  }

  /** The id of a string already stored, NONE when it is not (asking must not add it). */
  idOf(value: string): number {
    return this.stringIds.get(value) ?? NONE;
  }

  string(id: number): string | null {
    return id === NONE ? null : this.strings[id]!;
  }

  /** Attributes kept once per distinct JSON text: most events of a kind carry the same few. */
  attrsId(json: string | null): number {
    if (json === null) return NONE;
    let id = this.attrsIds.get(json);
    if (id === undefined) {
      id = this.attrsList.length;
      this.attrsList.push(Object.freeze(JSON.parse(json) as Attrs));
      this.attrsIds.set(json, id);
    }
    return id;
  }

  append(
    fields: Omit<EvidenceEvent, 'message' | 'attrs'>,
    attrsJson: string | null,
    messageKey: number,
  ): void {
    if (this.size === this.capacity)
      throw new Error(`more events than the ${this.capacity} the table was sized for`);
    const row = this.size++;
    this.origin[row] = this.origins.idOf(
      this.stringId(fields.file),
      this.stringId(fields.bundle),
      this.stringId(fields.source),
    );
    this.label[row] = this.labels.idOf(
      this.stringId(fields.kind),
      this.stringId(fields.tsSource),
      this.stringId(fields.severity),
    );
    this.subject[row] = this.stringId(fields.subject);
    this.attrs[row] = this.attrsId(attrsJson);
    this.line[row] = fields.line;
    this.messageKey[row] = messageKey;
    this.ts.set(row, fields.ts);
  }
}

/** The model's columns, indexed like the shared columns. */
interface ModelData {
  quality: Uint8Array;
  entities: Uint32Array;
  lists: readonly Entity[][];
}

/** An event made from its row: plain fields, its message read when asked for. */
class TableEvent {
  file!: string;
  line!: number;
  ts!: string | null;
  tsSource!: EvidenceEvent['tsSource'];
  kind!: EventKind;
  subject!: string | null;
  source!: string;
  severity!: EvidenceEvent['severity'];
  readonly #messageOf: (key: number) => string;
  readonly #key: number;

  constructor(columns: Columns, row: number, messageOf: (key: number) => string, model: ModelData | null) {
    const { origins, labels } = columns;
    const origin = columns.origin[row]!;
    const label = columns.label[row]!;
    this.file = columns.string(origins.first[origin]!)!;
    this.line = columns.line[row]!;
    this.ts = columns.ts.get(row);
    this.tsSource = columns.string(labels.second[label]!) as EvidenceEvent['tsSource'];
    this.kind = columns.string(labels.first[label]!) as EventKind;
    this.subject = columns.string(columns.subject[row]!);
    this.source = columns.string(origins.third[origin]!)!;
    this.severity = columns.string(labels.third[label]!) as EvidenceEvent['severity'];
    const bundle = origins.second[origin]!;
    if (bundle !== NONE) (this as EvidenceEvent).bundle = columns.strings[bundle]!;
    const attrs = columns.attrs[row]!;
    if (attrs !== NONE) (this as EvidenceEvent).attrs = columns.attrsList[attrs]!;
    if (model) {
      (this as unknown as ModelEvent).quality = QUALITIES[model.quality[row]!]!;
      (this as unknown as ModelEvent).entities = model.lists[model.entities[row]!]!;
    }
    this.#messageOf = messageOf;
    this.#key = columns.messageKey[row]!;
  }

  get message(): string {
    return this.#messageOf(this.#key);
  }

  static sourceOf(event: EvidenceEvent): MessageSource | null {
    return event instanceof TableEvent ? { read: event.#messageOf, key: event.#key } : null;
  }

  toJSON(): EvidenceEvent {
    return { ...(this as unknown as EvidenceEvent), message: this.message };
  }
}

/** Where a table reads an event's message: `read(key)`. */
export interface MessageSource {
  read: (key: number) => string;
  key: number;
}

/**
 * How to read an event's message later without keeping the event (a citation of one of a million
 * lines keeps two fields, not the event): for an event a table made, its reader and key; null for
 * a plain event, which holds its message.
 */
export function messageSource(event: EvidenceEvent): MessageSource | null {
  return TableEvent.sourceOf(event);
}

/**
 * Events as the analysis reads them. `E` is what each event is made as: an `EvidenceEvent`, or a
 * `ModelEvent` once the evidence model has added its columns.
 */
export class EventTable<E extends EvidenceEvent = EvidenceEvent> implements EventList<E> {
  private constructor(
    private readonly columns: Columns,
    /** The rows of this view, in its order. */
    private readonly rows: Uint32Array,
    private readonly messageOf: (key: number) => string,
    private readonly model: ModelData | null,
  ) {}

  /** Events already in memory (tests, a bundle read without a case): their messages are kept. */
  static from(events: Iterable<EvidenceEvent>): EventTable {
    const all = [...events];
    const builder = EventTable.builder(all.length);
    const messages: string[] = [];
    for (const { attrs, message, ...fields } of all) {
      builder.add(fields, attrs === undefined ? null : JSON.stringify(attrs), messages.length);
      messages.push(message);
    }
    return builder.done((key) => messages[key]!);
  }

  /**
   * Reads a table row by row: `add` each event's fields, its attributes as JSON and the key of its
   * message, at most `capacity` of them.
   */
  static builder(capacity: number): {
    add: (
      fields: Omit<EvidenceEvent, 'message' | 'attrs'>,
      attrsJson: string | null,
      messageKey: number,
    ) => void;
    done: (messageOf: (key: number) => string) => EventTable;
  } {
    const columns = new Columns(capacity);
    return {
      add: (fields, attrsJson, messageKey) => columns.append(fields, attrsJson, messageKey),
      done: (messageOf) => {
        const rows = new Uint32Array(columns.size);
        for (let i = 0; i < rows.length; i++) rows[i] = i;
        return new EventTable(columns, rows, messageOf, null);
      },
    };
  }

  numberOf(text: string): number {
    const id = this.columns.idOf(text);
    return id === NONE ? -1 : id;
  }

  textOf(number: number): string {
    return this.columns.strings[number]!;
  }

  get numbered(): number {
    return this.columns.strings.length;
  }

  /** Serialised as the events it holds, each with its message. */
  toJSON(): E[] {
    return [...this];
  }

  get length(): number {
    return this.rows.length;
  }

  at(index: number): E {
    return this.make(this.rows[index]!);
  }

  private make(row: number): E {
    return new TableEvent(this.columns, row, this.messageOf, this.model) as unknown as E;
  }

  *[Symbol.iterator](): Iterator<E> {
    for (const row of this.rows) yield this.make(row);
  }

  /** The rows of this view whose kind is one of these, in its order. */
  private *rowsOf(kinds: readonly EventKind[]): Generator<number> {
    const ids = new Set(kinds.map((kind) => this.columns.idOf(kind)));
    for (const row of this.rows) if (ids.has(this.columns.kindId(row))) yield row;
  }

  /** The events of these kinds, in this table's order; the others are never made. */
  ofKind(...kinds: EventKind[]): E[] {
    const found: E[] = [];
    for (const row of this.rowsOf(kinds)) found.push(this.make(row));
    return found;
  }

  eachOf(kinds: readonly EventKind[], visit: (event: E) => void): void {
    for (const row of this.rowsOf(kinds)) visit(this.make(row));
  }

  /** Events per kind, without making any. */
  countByKind(): Map<EventKind, number> {
    const byId = new Map<number, number>();
    for (const row of this.rows) {
      const id = this.columns.kindId(row);
      byId.set(id, (byId.get(id) ?? 0) + 1);
    }
    return new Map([...byId].map(([id, count]) => [this.columns.strings[id] as EventKind, count]));
  }

  filter(keep: (event: E) => unknown): E[] {
    const found: E[] = [];
    for (const row of this.rows) {
      const event = this.make(row);
      if (keep(event)) found.push(event);
    }
    return found;
  }

  find(test: (event: E) => unknown): E | undefined {
    for (const row of this.rows) {
      const event = this.make(row);
      if (test(event)) return event;
    }
    return undefined;
  }

  map<T>(each: (event: E) => T): T[] {
    const mapped: T[] = [];
    for (const row of this.rows) mapped.push(each(this.make(row)));
    return mapped;
  }

  some(test: (event: E) => unknown): boolean {
    for (const row of this.rows) if (test(this.make(row))) return true;
    return false;
  }

  /** The events `keep` accepts, as a view of the same columns. */
  where(keep: (event: E) => boolean): EventTable<E> {
    const kept: number[] = [];
    for (const row of this.rows) if (keep(this.make(row))) kept.push(row);
    return new EventTable(this.columns, Uint32Array.from(kept), this.messageOf, this.model);
  }

  /**
   * Time order, then file (by `localeCompare`) and line; undated events last. Compared on the
   * columns, so sorting makes no event.
   */
  byTime(): EventTable<E> {
    const { columns } = this;
    const seen = new Set<number>();
    for (const row of this.rows) seen.add(columns.fileId(row));
    const fileIds = [...seen];
    const fileRank = new Map(
      fileIds
        .sort((a, b) => columns.strings[a]!.localeCompare(columns.strings[b]!))
        .map((id, rank) => [id, rank] as const),
    );
    const ranks = new Uint32Array(columns.size);
    for (const row of this.rows) ranks[row] = fileRank.get(columns.fileId(row))!;
    const timeOf = (row: number): number => {
      const ms = columns.ts.ms[row]!;
      return Number.isNaN(ms) ? Infinity : ms;
    };
    // Times kept as text (outside toISOString's shape) order as text does, as all times then must.
    const byText = columns.ts.odd.size > 0;
    const compareTimes = (a: number, b: number): number => {
      if (!byText) {
        const ta = timeOf(a);
        const tb = timeOf(b);
        return ta === tb ? 0 : ta < tb ? -1 : 1;
      }
      const ta = columns.ts.get(a);
      const tb = columns.ts.get(b);
      if (ta === tb) return 0;
      if (ta === null) return 1;
      if (tb === null) return -1;
      return ta < tb ? -1 : 1;
    };
    const sorted = Uint32Array.from(this.rows).sort(
      (a, b) => compareTimes(a, b) || ranks[a]! - ranks[b]! || columns.line[a]! - columns.line[b]!,
    );
    return new EventTable(columns, sorted, this.messageOf, this.model);
  }

  /** This view with the evidence model's columns: each event made as a `ModelEvent`. */
  withModel(add: {
    quality: (event: E) => TimeQuality;
    entities: (event: E) => readonly Entity[];
  }): EventTable<E & ModelEvent> {
    const quality = new Uint8Array(this.columns.size);
    const entities = new Uint32Array(this.columns.size);
    const lists: (readonly Entity[])[] = [];
    const listIds = new Map<readonly Entity[], number>();
    for (const row of this.rows) {
      const event = this.make(row);
      quality[row] = QUALITIES.indexOf(add.quality(event));
      const list = add.entities(event);
      let id = listIds.get(list);
      if (id === undefined) {
        id = lists.length;
        lists.push(list);
        listIds.set(list, id);
      }
      entities[row] = id;
    }
    return new EventTable(this.columns, this.rows, this.messageOf, {
      quality,
      entities,
      lists: lists as Entity[][],
    });
  }
}
