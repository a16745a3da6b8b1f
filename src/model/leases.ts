import { IsoTimes } from '../iso-times.js';
import { messageSource, type MessageSource } from '../store/event-table.js';
import type {
  Entity,
  EventKind,
  EventList,
  EvidenceEvent,
  EvidenceModel,
  EvidenceRef,
  LeaseFailure,
  ModelEvent,
  TimeQuality,
} from '../types/index.js';
import { columnRows, Numbered } from './column-rows.js';
import { eventRef, lazyRef } from './refs.js';

/** Lines of one lease this close together report one failed renewal (client-go logs it up to twice). */
export const SAME_FAILURE_SECONDS = 2;

/** kubelet's node heartbeats live in kube-node-lease: their failures say a node is unhealthy, not a leader. */
export const isHeartbeatLease = (subject: string | null) => subject?.startsWith('kube-node-lease/') === true;

const LEADER_ELECTION_KINDS: EventKind[] = [
  'lease_renew_failure',
  'lease_lock_retrieve_error',
  'leader_lost',
  'leader_acquired',
];

/**
 * `leaderelection lost` names no lease; in a controller's own log it is about the lease the log's
 * other lines name most often. Tallied line by line: `add` each, then `named`. Only the files given
 * are tallied: those with a line naming no lease (a log naming 300,000 leases has no other use for
 * a count of each).
 */
class LeaseOfFile {
  private readonly counts = new Map<string, Map<string, number>>();

  constructor(files: Iterable<string>) {
    for (const file of files) this.counts.set(file, new Map());
  }

  add(e: EvidenceEvent): void {
    if (!e.subject) return;
    const perFile = this.counts.get(e.file);
    perFile?.set(e.subject, (perFile.get(e.subject) ?? 0) + 1);
  }

  named(): Map<string, string> {
    const named = new Map<string, string>();
    for (const [file, perFile] of this.counts) {
      let top: [string, number] | undefined;
      for (const entry of perFile)
        if (!top || entry[1] > top[1] || (entry[1] === top[1] && entry[0] < top[0])) top = entry;
      if (top) named.set(file, top[0]);
    }
    return named;
  }
}

/** A failure as the correlation leaves it: its three fields are undefined until it is correlated. */
type FailureRow = LeaseFailure & { lagSeconds?: number | null; withinWindow?: boolean; inSpan?: boolean };

/** Which of the correlation's fields a failure has been given, and their flags. */
const LAG_SET = 1;
const WITHIN_SET = 2;
const WITHIN = 4;
const IN_SPAN_SET = 8;
const IN_SPAN = 16;

/**
 * The model's lease failures as columns, each a number per field: 600,000 failures as objects,
 * each with its lazy citation and its time as text, held 200 bytes apiece. The rows (`failureRow`)
 * read them; the citation is made when asked for.
 */
class FailureColumns {
  size = 0;
  readonly times: IsoTimes;
  /** The lease (or file) failing, as the events' number of its name (`EventList.numberOf`). */
  readonly subject: Uint32Array;
  /** The cited line: its file, line number, and where its message is read. */
  readonly file: Uint32Array;
  readonly files = new Numbered<string>();
  readonly line: Uint32Array;
  readonly messageKey: Float64Array;
  readonly reader: Uint32Array;
  readonly readers = new Numbered<MessageSource['read']>();
  /** Citations held as refs: of events with no case behind them, or detached from the case. */
  readonly refs = new Map<number, EvidenceRef>();
  readonly quality: Uint8Array;
  readonly qualities = new Numbered<TimeQuality>();
  readonly lines: Uint32Array;
  /** The event's entity list: the model's own, shared by the events of one file and lease. */
  readonly entities: Entity[][];
  /** The correlation's fields: the lag (NaN for none) and the flags above. */
  readonly lag: Float64Array;
  readonly state: Uint8Array;

  constructor(
    capacity: number,
    readonly events: EventList<ModelEvent>,
    readonly sha256: (file: string) => string,
  ) {
    this.entities = new Array<Entity[]>(capacity);
    this.times = new IsoTimes(capacity);
    this.subject = new Uint32Array(capacity);
    this.file = new Uint32Array(capacity);
    this.line = new Uint32Array(capacity);
    this.messageKey = new Float64Array(capacity);
    this.reader = new Uint32Array(capacity);
    this.quality = new Uint8Array(capacity);
    this.lines = new Uint32Array(capacity);
    this.lag = new Float64Array(capacity);
    this.state = new Uint8Array(capacity);
  }

  /** A new failure of lease number `subject` at `event`'s line; its index. */
  add(event: ModelEvent, subject: number): number {
    const i = this.size++;
    this.times.set(i, event.ts);
    this.subject[i] = subject;
    const message = messageSource(event);
    if (message) {
      this.file[i] = this.files.idOf(event.file);
      this.line[i] = event.line;
      this.messageKey[i] = message.key;
      this.reader[i] = this.readers.idOf(message.read);
    } else this.refs.set(i, eventRef(event, this.sha256));
    this.quality[i] = this.qualities.idOf(event.quality);
    this.lines[i] = 1;
    this.entities[i] = event.entities;
    return i;
  }

  evidence(i: number): EvidenceRef {
    const held = this.refs.get(i);
    if (held) return held;
    const file = this.files.values[this.file[i]!]!;
    return lazyRef(file, this.line[i]!, this.sha256(file), {
      read: this.readers.values[this.reader[i]!]!,
      key: this.messageKey[i]!,
    });
  }

  flag(i: number, set: number, on: number, value: boolean): void {
    this.state[i] = (this.state[i]! | set | on) ^ (value ? 0 : on);
  }

  flagged(i: number, set: number, on: number): boolean | undefined {
    return this.state[i]! & set ? (this.state[i]! & on) !== 0 : undefined;
  }
}

/** A failure's row, in the field order its JSON has always had. */
const failureRow = columnRows<FailureColumns, FailureRow>({
  ts: { get: (c, i) => c.times.get(i)! },
  subject: { get: (c, i) => c.events.textOf(c.subject[i]!) },
  bytes: { get: () => null },
  evidence: { get: (c, i) => c.evidence(i), set: (c, i, ref) => c.refs.set(i, ref) },
  quality: { get: (c, i) => c.qualities.values[c.quality[i]!]! },
  lines: { get: (c, i) => c.lines[i]! },
  entities: { get: (c, i) => c.entities[i]! },
  lagSeconds: {
    get: (c, i) => (c.state[i]! & LAG_SET ? (Number.isNaN(c.lag[i]!) ? null : c.lag[i]!) : undefined),
    set: (c, i, lag) => {
      c.lag[i] = lag ?? NaN;
      c.state[i]! |= LAG_SET;
    },
  },
  withinWindow: {
    get: (c, i) => c.flagged(i, WITHIN_SET, WITHIN),
    set: (c, i, value) => c.flag(i, WITHIN_SET, WITHIN, value === true),
  },
  inSpan: {
    get: (c, i) => c.flagged(i, IN_SPAN_SET, IN_SPAN),
    set: (c, i, value) => c.flag(i, IN_SPAN_SET, IN_SPAN, value === true),
  },
});

/**
 * Leader-election failures, each once: a renew failure is where a leader gives up; evidence without
 * any (only `leaderelection lost` exits) falls back to leadership losses, and `kind` says which.
 * Lines of the same lease within SAME_FAILURE_SECONDS are one failure, however many files show it.
 * Read in passes over the events of these kinds, keeping only the failures, as columns: a million
 * lines of one outage are never held at once, nor an object per failure with its fields.
 */
export function leaseFailures(
  /** In time order, as the model keeps them. */
  events: EventList<ModelEvent>,
  sha256: (file: string) => string,
): EvidenceModel['leaseFailures'] {
  let heartbeatFailures = 0;
  // Lines of each kind that may be failures: room for as many failures.
  let renewLines = 0;
  let lostLines = 0;
  const unnamedIn = new Set<string>();
  events.eachOf(LEADER_ELECTION_KINDS, (e) => {
    if (!isHeartbeatLease(e.subject)) {
      if (e.kind === 'lease_renew_failure') renewLines++;
      if (e.kind === 'leader_lost') lostLines++;
      if (!e.subject) unnamedIn.add(e.file);
    } else if (e.kind === 'lease_renew_failure' || e.kind === 'leader_lost') heartbeatFailures++;
  });
  const kind = renewLines > 0 ? 'lease_renew_failure' : 'leader_lost';
  const leaseNames = new LeaseOfFile(unnamedIn);
  if (unnamedIn.size > 0)
    events.eachOf(LEADER_ELECTION_KINDS, (e) => {
      if (!isHeartbeatLease(e.subject)) leaseNames.add(e);
    });
  const leaseOfFile = leaseNames.named();
  // Events come in time order (then file, line), so each lease's lines are met in order: a line
  // within SAME_FAILURE_SECONDS of its lease's previous failure is that failure, seen again.
  const columns = new FailureColumns(renewLines > 0 ? renewLines : lostLines, events, sha256);
  let mergedLines = 0;
  let undated = 0;
  // Each lease's latest failure (-1: none yet), whose time is where its lines are measured from.
  const lastOf = new Int32Array(events.numbered).fill(-1);
  events.eachOf([kind], (event) => {
    if (isHeartbeatLease(event.subject)) return;
    if (event.ts === null) {
      undated++;
      return;
    }
    const at = Date.parse(event.ts);
    // A name the events hold: the line's own lease, or one its file names, or the file's.
    const subject = events.numberOf(event.subject ?? leaseOfFile.get(event.file) ?? event.file);
    const last = lastOf[subject]!;
    if (last >= 0 && at - columns.times.ms[last]! <= SAME_FAILURE_SECONDS * 1000) {
      columns.lines[last]!++;
      mergedLines++;
      return;
    }
    lastOf[subject] = columns.add(event, subject);
  });
  const { times, subject } = columns;
  const order = Array.from({ length: columns.size }, (_, i) => i).sort(
    (a, b) => times.compare(a, b) || events.textOf(subject[a]!).localeCompare(events.textOf(subject[b]!)),
  );
  const failures = order.map((i) => failureRow(columns, i));
  return { failures, undated, kind, mergedLines, heartbeatFailures };
}
