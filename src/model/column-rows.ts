/**
 * Rows of records kept as columns. A record per lease failure or per lease holder, in a result that
 * lists 600,000 of them, cost 100 bytes and more each as a plain object, plus the strings and
 * objects in its fields; a row here holds only its columns and its index (40 bytes), and reads its
 * fields through getters. Like an event of the event table (src/store/event-table.ts), a row's
 * fields live on its prototype: property reads, `Object.assign` onto it and JSON (`toJSON`, in the
 * order the fields are declared) see them, a spread or `Object.keys` does not — copy with `plain`.
 * (Own accessors would let spreads see them too, but defining ten per row took 3 s per 600,000.)
 */

/** How each field of `R` is read from the columns `C` (and written, for the fields that may be). */
export type FieldsOf<C, R> = {
  [K in keyof R]-?: {
    get: (columns: C, index: number) => R[K];
    set?: (columns: C, index: number, value: R[K]) => void;
  };
};

class ColumnRow<C> {
  readonly #columns: C;
  readonly #index: number;

  constructor(columns: C, index: number) {
    this.#columns = columns;
    this.#index = index;
  }

  /** The record as a plain object, its fields in their declared order. */
  toJSON(): Record<string, unknown> {
    const record: Record<string, unknown> = {};
    for (const name of (this.constructor as typeof ColumnRow<C> & { fields: string[] }).fields)
      record[name] = (this as unknown as Record<string, unknown>)[name];
    return record;
  }

  /** The accessors of `fields`, for a kind of row's prototype. */
  static accessors<C, R>(fields: FieldsOf<C, R>): PropertyDescriptorMap {
    const descriptors: PropertyDescriptorMap = {};
    for (const [name, field] of Object.entries(fields) as [string, FieldsOf<C, R>[keyof R]][]) {
      const { get, set } = field;
      descriptors[name] = {
        // Asked of the prototype itself (a test runner printing a row walks it): nothing to read.
        get(this: ColumnRow<C>) {
          return #columns in this ? get(this.#columns, this.#index) : undefined;
        },
        ...(set
          ? {
              set(this: ColumnRow<C>, value: R[keyof R]) {
                set(this.#columns, this.#index, value);
              },
            }
          : {}),
      };
    }
    return descriptors;
  }
}

/**
 * A maker of rows of type `R` over columns `C`: `row(columns, index)`. A field without a setter
 * cannot be assigned (the assignment throws), as a computed figure should not be.
 */
export function columnRows<C, R>(fields: FieldsOf<C, R>): (columns: C, index: number) => R {
  class Row extends ColumnRow<C> {
    static readonly fields = Object.keys(fields);
  }
  Object.defineProperties(Row.prototype, ColumnRow.accessors(fields));
  return (columns, index) => new Row(columns, index) as unknown as R;
}

/** A plain copy of a record: a row's fields read through its getters, any other object's own. */
export function plain<T extends object>(record: T): T {
  return (record instanceof ColumnRow ? record.toJSON() : Object.assign({}, record)) as T;
}

/** Values numbered in the order first met, each kept once: a column holds a value's number. */
export class Numbered<T> {
  readonly values: T[] = [];
  private readonly ids = new Map<T, number>();
  // Most values come in runs (a log's file, its case's reader): the last is answered first.
  private lastValue: T | undefined;
  private lastId = -1;

  idOf(value: T): number {
    if (this.lastId >= 0 && this.lastValue === value) return this.lastId;
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    this.lastValue = value;
    this.lastId = id;
    return id;
  }
}
