/**
 * Types shared by every layer of the pipeline (bundle → parse → store → analyze → chain → render).
 * Layers exchange only these shapes; anything layer-private stays in that layer.
 */

/** Called by long-running work; the CLI turns it into a TTY-only progress bar on stderr. */
export type ProgressCallback = (done: number, total: number | null, label: string) => void;

// ---------------------------------------------------------------------------------------------
// Evidence custody (bundle/)

/** One file of an evidence bundle, as recorded in the custody manifest. */
export interface ManifestEntry {
  /** Where the bundle came from: the folder or archive path the user gave. */
  bundle: string;
  /** Path of the file inside the bundle, '/'-separated, never absolute, never containing '..'. */
  path: string;
  size: number;
  /** Modification time in ms since the Unix epoch (from the file system or the tar header). */
  mtimeMs: number;
  sha256: string;
  /** Detected type: a parser id such as 'klog', 'kubectl-json', 'dqlite-snapshot', or 'unknown'. */
  type: string;
  /** Set when the file could not be read or parsed; the run went on without it. */
  error?: string;
}

// ---------------------------------------------------------------------------------------------
// Events (parse/ → store/ → analyze/)

export const EVENT_KINDS = [
  'lease_renew_failure',
  'lease_lock_retrieve_error',
  'leader_lost',
  'leader_acquired',
  'apiserver_timeout',
  'datastore_slow',
  'crashloop',
  'unknown_flag',
  'image_pull_failure',
  'snapshot',
  'node_lease_failure',
  'shutdown',
  'disk_full',
  'node_pressure',
  'cert_invalid',
  'oom_kill',
  'dns_failure',
  'apiserver_unreachable',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export type Severity = 'error' | 'warning' | 'info';

/**
 * How an event's UTC timestamp was obtained: 'line' (full date and zone in the line), 'journald' /
 * 'cri' / 'kubectl' (from an enclosing wrapper that has both), 'override' (a missing year or zone
 * given by --year/--tz), 'year-assumed' (no year: placed at or before when the evidence was
 * collected), 'zone-assumed' (no zone: read as UTC), 'year-zone-assumed' (both), 'mtime' (a file's
 * modification time), 'none'. The evidence model turns this into a `TimeQuality`.
 */
export type TimestampSource =
  | 'line'
  | 'journald'
  | 'cri'
  | 'kubectl'
  | 'override'
  | 'year-assumed'
  | 'zone-assumed'
  | 'year-zone-assumed'
  | 'mtime'
  | 'none';

export interface EvidenceEvent {
  /** Bundle-relative path of the file the event came from. */
  file: string;
  /** 1-based line in the file as given (for archives: inside the extracted member). */
  line: number;
  /** ISO-8601 UTC timestamp with milliseconds, or null when it cannot be known. */
  ts: string | null;
  tsSource: TimestampSource;
  kind: EventKind;
  /** The lease (`kube-system/csi-nfs`), pod, node or unit the line names, when it names one. */
  subject: string | null;
  /** The component or parser that produced the line (e.g. 'klog', 'journald:k8s-dqlite'). */
  source: string;
  severity: Severity;
  /** The original text of the line (wrapper prefixes kept), capped in length. */
  message: string;
  /** Kind-specific extras, e.g. for 'snapshot': { bytes, name, term, index }. */
  attrs?: Record<string, string | number | boolean | null>;
  /** The bundle (folder or archive path as given to ingest) the file belongs to; set for events read from a case. */
  bundle?: string;
}

/**
 * A case's events as the analysis reads them (src/store/event-table.ts keeps them as columns):
 * each event is made as an object when asked for, so a reader that keeps only what it needs holds
 * only that. `ofKind`, `eachOf` and `countByKind` read the kind without making the other events.
 */
export interface EventList<E extends EvidenceEvent = EvidenceEvent> extends Iterable<E> {
  readonly length: number;
  at(index: number): E;
  /** The events of these kinds, in the list's order. */
  ofKind(...kinds: EventKind[]): E[];
  /** Hands over the events of these kinds one at a time, for readers that keep only a tally. */
  eachOf(kinds: readonly EventKind[], visit: (event: E) => void): void;
  countByKind(): Map<EventKind, number>;
  filter(keep: (event: E) => unknown): E[];
  find(test: (event: E) => unknown): E | undefined;
  map<T>(each: (event: E) => T): T[];
  some(test: (event: E) => unknown): boolean;
  /** The events `keep` accepts, as a list of the same store. */
  where(keep: (event: E) => boolean): EventList<E>;
  /** Time order, then file (by `localeCompare`) and line; undated events last. */
  byTime(): EventList<E>;
  /**
   * The number under which the list's store keeps a text its events hold (a file name, subject or
   * kind, each kept once), or -1 for a text none holds. A reader tallying per lease indexes arrays
   * by it: a map of 300,000 lease names, grown one at a time, was 30 MB to let go again.
   */
  numberOf(text: string): number;
  /** The text a number stands for (`numberOf`'s inverse). */
  textOf(number: number): string;
  /** How many texts are numbered: every number is below it. */
  readonly numbered: number;
  /** The list with the evidence model's fields added to each event. */
  withModel(add: {
    quality: (event: E) => TimeQuality;
    entities: (event: E) => readonly Entity[];
  }): EventList<E & ModelEvent>;
}

// ---------------------------------------------------------------------------------------------
// Object facts from kubectl dumps (parse/kubectl → store/ → analyze/)

export interface FactOrigin {
  file: string;
  /** 1-based line where the object starts in the file, when known. */
  line: number | null;
  sha256: string;
}

export interface PodFact extends FactOrigin {
  kind: 'pod';
  namespace: string;
  name: string;
  node: string | null;
  phase: string | null;
  restarts: number;
  lastTermination: {
    reason: string | null;
    exitCode: number | null;
    finishedAt: string | null;
    /** The container that terminated and its memory limit (`512Mi`), when the dump says. */
    container?: string;
    memoryLimit?: string | null;
  } | null;
  /** Waiting reason of any container, e.g. CrashLoopBackOff, ImagePullBackOff. */
  waitingReason: string | null;
  images: string[];
  /** Container args/command flags, for detecting unsupported flags. */
  args: string[];
}

export interface LeaseFact extends FactOrigin {
  kind: 'lease';
  namespace: string;
  name: string;
  holder: string | null;
  renewTime: string | null;
  acquireTime: string | null;
  leaseDurationSeconds: number | null;
  transitions: number | null;
}

export interface DeploymentFact extends FactOrigin {
  kind: 'deployment';
  namespace: string;
  name: string;
  generation: number | null;
  observedGeneration: number | null;
  replicas: number | null;
  readyReplicas: number | null;
  images: string[];
  /** Environment variables of all containers with literal values (secrets never copied). */
  env: Record<string, string>;
  args: string[];
}

export interface NodeFact extends FactOrigin {
  kind: 'node';
  name: string;
  conditions: { type: string; status: string; lastTransitionTime: string | null; message: string | null }[];
}

export interface CountFact extends FactOrigin {
  kind: 'count';
  /** Resource counted, e.g. 'ipamhandles.crd.projectcalico.org'. */
  resource: string;
  count: number;
}

/**
 * A storage measurement found in the bundle: `dd … oflag=dsync` output (each write waits for the
 * disk, so seconds / writes is the sync latency) or fio's fdatasync latency percentiles.
 */
export interface StorageBenchFact extends FactOrigin {
  kind: 'storage-bench';
  tool: 'dd' | 'fio';
  /** Mean time per synchronous write, ms (dd with dsync; fio's sync average). */
  syncWriteMs: number | null;
  /** 99th percentile of fdatasync, ms (fio only). */
  syncP99Ms: number | null;
  bytesPerSecond: number | null;
  writes: number | null;
  blockBytes: number | null;
  /** Whether each write was synced: true with oflag=dsync / fdatasync=1, null when the command is not in the file. */
  synced: boolean | null;
}

/** A certificate read from a PEM file or a kubeconfig in the bundle (never its key). */
export interface CertificateFact extends FactOrigin {
  kind: 'certificate';
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  /** Where in the file: `pem block 2`, `kubeconfig user admin (client-certificate-data)`. */
  where: string;
  /** A kubeconfig/PEM field or file that is empty or holds no certificate, when that is what was found. */
  empty?: boolean;
}

/** The size of a datastore file in a listing: a database, its WAL, raft segments (summed). */
export interface FileSizeFact extends FactOrigin {
  kind: 'file-size';
  path: string;
  bytes: number;
  approximate: boolean;
  role: 'database' | 'wal' | 'raft-segments';
  /** Files summed (raft segments). */
  files: number;
}

export type ObjectFact =
  | PodFact
  | LeaseFact
  | DeploymentFact
  | NodeFact
  | CountFact
  | StorageBenchFact
  | CertificateFact
  | FileSizeFact;

// ---------------------------------------------------------------------------------------------
// dqlite snapshots (parse/dqlite → store/scratch → analyze/snapshot)

export interface RaftServer {
  id: string;
  address: string;
  /** Raft on-disk role: 'standby' | 'voter' | 'spare' (numbering differs from go-dqlite YAML). */
  role: 'standby' | 'voter' | 'spare' | `unknown(${number})`;
}

export interface SnapshotMeta {
  term: number;
  index: number;
  /** The TIMESTAMP in the file name: a monotonic clock in ms (time since boot), not Unix time. */
  timestamp: number;
  /** ISO-8601 UTC estimate of when the snapshot was written, or null without an anchor. */
  wallClock: string | null;
  /** What the estimate rests on, e.g. 'file mtime' or 'boot time 2026-03-30T01:00:00Z (--boot-time)'. */
  wallClockAnchor: string;
  /** The same as a type: how the write was placed on the clock (absent in cases from before 0.2). */
  wallClockBasis?: SnapshotPlacement | 'none';
  /** From the .meta file; null when the .meta is missing. */
  configurationIndex: number | null;
  servers: RaftServer[];
  formatVersion: number | null;
  checksum: { stored: number; computed: number; ok: boolean } | null;
}

export interface TableStats {
  name: string;
  rows: number;
  /** Bytes used by the table and its indexes (DBSTAT). */
  bytes: number;
}

export interface KinePrefixStats {
  prefix: string;
  rows: number;
  liveKeys: number;
  deletedRows: number;
  /** Value bytes (value + old_value) of the rows under this prefix. */
  bytes: number;
}

/** Prefixes summed into one line, past the `maxKinePrefixes` listed one by one. */
export interface FoldedKinePrefixes {
  /** How many prefixes are summed here (0: none were folded). */
  prefixes: number;
  rows: number;
  liveKeys: number;
  deletedRows: number;
  bytes: number;
}

export interface KineStats {
  rows: number;
  liveKeys: number;
  deletedRows: number;
  /** Value bytes of every row (the listed prefixes' and the folded ones'). */
  bytes: number;
  /** Distinct prefixes in the table, listed or folded. */
  prefixCount: number;
  /** The prefixes with the most rows (ties by prefix, bytewise), at most `maxKinePrefixes`. */
  prefixes: KinePrefixStats[];
  /** Every other prefix, summed: with `prefixes`, the totals add up. */
  otherPrefixes: FoldedKinePrefixes;
}

export interface DatabaseReport {
  name: string;
  pageSize: number;
  pageCount: number;
  freelistCount: number;
  walFrames: number;
  tables: TableStats[];
  kine: KineStats | null;
}

/** The `snapshot inspect --json` schema (documented in docs/snapshot.md). */
export interface SnapshotReport {
  file: string;
  sha256: string;
  bytes: number;
  compressed: boolean;
  /** Decompressed FSM payload size. */
  payloadBytes: number;
  meta: SnapshotMeta;
  databases: DatabaseReport[];
  warnings: string[];
}

/** Decodes one snapshot copy; the bundle layer is handed one so it never reaches into the store. */
export type SnapshotDecoder = (
  path: string,
  options: { displayName: string; mtimeMs: number },
) => Promise<SnapshotReport>;

/** Everything read from one bundle, as the bundle layer hands it to the case store. */
export interface BundleRecord {
  bundle: string;
  kind: string;
  container: string;
  manifest: ManifestEntry[];
  /** Read once, as the store takes them: a large bundle's events wait on disk, not in memory. */
  events: Iterable<EvidenceEvent>;
  /** Removes what holds the events (a spill file); safe to call more than once. */
  close?: () => void;
  facts: ObjectFact[];
  snapshotReports: SnapshotReport[];
  annotations: Annotation[];
  problems: { file: string; problem: string }[];
  /** Files that could not be read at all this time: earlier rows for them are kept. */
  unreadable: Set<string>;
}

// ---------------------------------------------------------------------------------------------
// Everything the analysis reads, whatever store it came from.

/** What `howchain ingest` reports about a case: files and problems, and rows counted, not read. */
export interface CaseSummary {
  manifest: ManifestEntry[];
  problems: { bundle: string; file: string; problem: string }[];
  eventsByKind: Partial<Record<EventKind, number>>;
  factsByKind: Record<string, number>;
  /** Snapshot copies decoded. */
  snapshots: number;
}

export interface CaseData {
  manifest: ManifestEntry[];
  events: EventList;
  facts: ObjectFact[];
  /** Snapshot files decoded during ingest (copies found in the bundle). */
  snapshotReports: SnapshotReport[];
  /** Per-file problems met during ingest: the run went on without them. `bundle` is set when read from a case. */
  problems: { file: string; problem: string; bundle?: string }[];
  /** Notes users supplied as CSV (a time column and a note column), shown beside the events. */
  annotations?: Annotation[];
  /**
   * Files of a later bundle that are byte-for-byte copies (same name, same sha256) of a file of an
   * earlier bundle: the same evidence given twice. They stay in the custody manifest of the case, but
   * their rows are left out of `manifest`, `events`, `facts`, … above so nothing is counted twice.
   */
  setAside?: SetAsideFile[];
}

/** A file set aside as a copy of one already counted (src/store/set-aside.ts, src/model/dedupe.ts). */
export interface SetAsideFile extends ManifestEntry {
  /** The file that is counted instead: a file with the same sha256, from an earlier bundle or path. */
  sameAs: { bundle: string; path: string };
}

/** A user's note from an annotations CSV in a bundle. */
export interface Annotation {
  file: string;
  line: number;
  /** ISO-8601 UTC, or null when the row's time could not be read. */
  ts: string | null;
  text: string;
}

// ---------------------------------------------------------------------------------------------
// The evidence model (model/ → analyze/): what every detector reads, derived once from a case.

/**
 * How far an event's time can be trusted: 'exact' (date, year and zone from the evidence or from
 * --year/--tz), 'year-assumed' (no year in the line: placed at or before the collection time),
 * 'zone-assumed' (no zone: read as UTC), 'order-only' (no time, but its place among dated lines of
 * its file), 'none'.
 */
export type TimeQuality = 'exact' | 'year-assumed' | 'zone-assumed' | 'order-only' | 'none';

export type EntityKind = 'pod' | 'node' | 'lease' | 'component';

/** A thing evidence is about; `id` is `namespace/name` for pods and leases, a bare name otherwise. */
export interface Entity {
  kind: EntityKind;
  id: string;
}

export interface ModelEvent extends EvidenceEvent {
  quality: TimeQuality;
  /** The pod (from the log's path or the line), lease, node and component the event is about. */
  entities: Entity[];
}

/**
 * How a snapshot write was placed on the wall clock: an inventory CSV or a listing recorded the
 * file's mtime on the node, a dqlite/libraft trace line logged it, a boot time was given for the
 * monotonic TIMESTAMP in its name, or a copy kept its own mtime — which copying usually resets, so
 * 'copy-mtime' is shown but never used for correlation.
 */
export type SnapshotPlacement = 'inventory' | 'listing' | 'trace' | 'boot-time' | 'copy-mtime';

export interface SnapshotWrite extends DatedEvidence {
  placement: SnapshotPlacement;
  index: number | null;
}

/** One failed lease renewal: lines of the same lease within a second or two are one failure. */
export interface LeaseFailure extends DatedEvidence {
  /** `namespace/name` of the lease, or the log file when no line names it. */
  subject: string;
  quality: TimeQuality;
  /** Log lines that reported this one failure. */
  lines: number;
  entities: Entity[];
}

/** Something assumed about time, said in the PIR. */
export interface TimeAssumption {
  quality: TimeQuality | 'copy-mtime';
  statement: string;
  events: number;
  files: string[];
}

export interface EvidenceModel {
  /** The case with every file of repeated content counted once. */
  data: CaseData;
  /** Every event once, sorted by time (undated last), with its time quality and entities. */
  events: EventList<ModelEvent>;
  snapshots: {
    /** Writes placed on the clock well enough to correlate (never by a copy's own mtime). */
    writes: SnapshotWrite[];
    /** Copies placed only by their own mtime: shown, not correlated. */
    copyMtime: SnapshotWrite[];
    undated: number;
    /** In words: what placed the writes on the clock. */
    anchor: string;
  };
  leaseFailures: {
    failures: LeaseFailure[];
    undated: number;
    /** The event kind counted: renew failures, or leadership losses when the logs have none. */
    kind: 'lease_renew_failure' | 'leader_lost';
    /** Lines folded into a failure another line already reported. */
    mergedLines: number;
    /** Node heartbeat leases (kube-node-lease) are the kubelet's, not leader election's. */
    heartbeatFailures: number;
  };
  timeAssumptions: TimeAssumption[];
  setAside: SetAsideFile[];
  /** sha256 of a bundle-relative file. */
  sha256(file: string): string;
  /** The node a file was collected from, when a folder of its path is named after a known node. */
  nodeOfPath(path: string): string | null;
}

// ---------------------------------------------------------------------------------------------
// Findings (analyze/ → chain/ → render/)

export interface EvidenceRef {
  file: string;
  /** 1-based line, when the evidence is a line. */
  line?: number;
  /** `kind/namespace/name` when the evidence is an object from a dump. */
  object?: string;
  sha256: string;
  /** A short quote of the evidence (log text or a field value). */
  excerpt?: string;
}

export type Confidence = 'high' | 'medium' | 'low';

export interface TimeWindow {
  start: string;
  end: string;
}

export interface Finding<D = unknown> {
  /** Stable detector id, e.g. 'crashloop', 'ipam-gc-disabled'. */
  id: string;
  title: string;
  claim: string;
  evidence: EvidenceRef[];
  confidence: Confidence;
  window: TimeWindow | null;
  /** 'failed' when the detector threw; `claim` then says why. */
  status: 'found' | 'failed';
  /** The pods, leases, nodes or components the finding is about. */
  entities: Entity[];
  /** The evidence at each end of `window`, so the timeline cites the line that dates each moment. */
  windowEvidence?: { start: EvidenceRef; end: EvidenceRef } | null;
  /** The detector's own typed numbers (counts, sizes, subjects), for --json and its own links. */
  data: D;
}

/** One test of a link in the chain: the same entity, the right time order, or a statistic. */
export interface LinkTest {
  test: 'entity' | 'time' | 'statistic';
  passed: boolean;
  /** Why, in words: the shared pod, the two times, the p-value. */
  detail: string;
}

// ---------------------------------------------------------------------------------------------
// Analysis (analyze/ → chain/ → render/): what `howchain analyze --json` prints.

/** One dated point of a series the correlation compares (a snapshot write or a lease failure). */
export interface DatedEvidence {
  /** ISO-8601 UTC. */
  ts: string;
  /** Lease (`kube-system/csi-nfs`) for failures; snapshot file name for snapshots, when known. */
  subject: string | null;
  /** For snapshots: size in bytes when the evidence gives it. */
  bytes: number | null;
  evidence: EvidenceRef;
}

export interface CorrelationGroup {
  /** The lease (or the log file when the line names no lease). */
  subject: string;
  failures: number;
  withinWindow: number;
  share: number;
  medianLagSeconds: number | null;
}

/** Lease failures against snapshot writes (docs/analyze.md explains every figure). */
export interface Correlation {
  /** The window after a snapshot write in which a failure counts as "near" it (the renewDeadline). */
  windowSeconds: number;
  /** How the snapshot times were placed on wall-clock time, in words (the name's timestamp is monotonic). */
  wallClockAnchor: string;
  snapshots: DatedEvidence[];
  failures: (DatedEvidence & { lagSeconds: number | null; withinWindow: boolean; inSpan: boolean })[];
  /** Failures without a usable timestamp, or outside the span both records cover. */
  excluded: { undated: number; outsideSpan: number };
  /** The time both records cover: from the later first point to the earlier last point (+window). */
  span: TimeWindow | null;
  /** Failures inside the span. */
  failuresInSpan: number;
  /** Snapshot writes inside the span, and how many of them no failure followed within the window. */
  snapshotsInSpan: number;
  snapshotsWithoutFailure: number;
  withinWindow: number;
  /** Observed share of failures within the window after a snapshot. */
  observedShare: number | null;
  /** Share expected if failures ignored snapshots: the union of the windows as a share of the span. */
  expectedShare: number | null;
  /** observedShare / expectedShare. */
  lift: number | null;
  /** One-sided permutation p-value (circular shift of failure times within the span, seeded). */
  pValue: number | null;
  permutations: number;
  seed: number;
  perSubject: CorrelationGroup[];
  /** Why a figure is null (too few points, no snapshot times…), in words. */
  notes: string[];
}

/**
 * 'answer': a finding whose link passed every test it could run; 'co-occurrence': a finding that can
 * explain the question's finding but failed a link test (or none could be run): present, not shown to
 * cause; 'gap': nothing explains it, the evidence ends here.
 */
export type HowAnswerKind = 'answer' | 'co-occurrence' | 'gap';

/** One answer to "How did X happen?": a finding that answers it, or a gap where the evidence ends. */
export interface HowAnswer {
  kind: HowAnswerKind;
  text: string;
  /** Ids of the findings that back the answer (empty for a gap). */
  findings: string[];
  evidence: EvidenceRef[];
  confidence: Confidence | null;
  /** The link tests run, passed or not: why the answer is linked (or only co-occurs). */
  tests: LinkTest[];
  /** Why the confidence is what it is, in words. */
  confidenceReason: string | null;
  /** The next question this answer leads to (a HowStep id), or null when the chain ends here. */
  next: string | null;
  /** For gaps, and for answers that are as far as the evidence goes: what to collect next. */
  collectNext: string[];
}

export interface HowStep {
  id: string;
  /** The finding the question is about. */
  finding: string;
  /** "How did X happen?" */
  question: string;
  answers: HowAnswer[];
  /** Depth from the symptom (0 = the user-visible symptom). */
  depth: number;
}

/** Allspaw's "infinite hows" as a graph: from user-visible symptoms down as far as the evidence goes. */
export interface HowChain {
  /**
   * What the chain establishes: the symptom, the deepest cause reached through links of medium or
   * high confidence (null: no root cause established), and the findings on that path, symptom first.
   */
  conclusion: {
    symptom: string | null;
    cause: string | null;
    path: string[];
    /** Other symptoms traced to a cause by paths sharing no finding with `path`: independent problems. */
    also: { symptom: string; cause: string; path: string[] }[];
  };
  /** Ids of the steps that start the chain (user-visible symptoms). */
  roots: string[];
  steps: HowStep[];
  /** Steps whose question no evidence answers, i.e. where the chain stops. */
  gaps: { step: string; missing: string; collectNext: string[] }[];
}

export interface ActionItem {
  /** The action, authored Markdown: it carries no text from the evidence. */
  action: string;
  /** What the action is about, from the evidence (images, key prefixes): shown as code, after the action. */
  subjects: string[];
  priority: 'Critical' | 'High' | 'Medium' | 'Low';
  /** The finding that calls for it. */
  finding: string;
}

/** A pod the incident touched, as a finding shows it (the PIR's impact table). */
export interface AffectedPod {
  namespace: string;
  workload: string;
  pod: string;
  restarts: number | null;
  node: string | null;
  /** What the finding shows happened to it, e.g. 'CrashLoopBackOff'. */
  state: string;
  finding: string;
}

export interface EnvironmentFact {
  label: string;
  value: string;
}

export interface TimelineEntry {
  ts: string;
  /** Short description; log text is quoted in `excerpt` of the evidence. */
  what: string;
  evidence: EvidenceRef[];
}

/** A distinct error line shape seen in the evidence, with how often and where first. */
export interface ErrorSignature {
  kind: EventKind;
  signature: string;
  count: number;
  first: EvidenceRef;
  firstTs: string | null;
}

export interface AnalysisResult {
  /** The bundles analysed, as given. */
  bundles: string[];
  manifest: ManifestEntry[];
  /** Event counts by kind. */
  eventCounts: Partial<Record<EventKind, number>>;
  findings: Finding[];
  correlation: Correlation;
  chain: HowChain;
  timeline: TimelineEntry[];
  signatures: ErrorSignature[];
  /** Before/after row counts of the two snapshot copies furthest apart in raft index. */
  snapshotDiff: SnapshotDiff | null;
  problems: { file: string; problem: string }[];
  /** Every assumption made about time (assumed years and zones, undated lines). */
  timeAssumptions: TimeAssumption[];
  /**
   * Files not counted because the same content was already counted: copies of an earlier bundle's
   * file (same name, set aside by the store) and files with the same sha256 under another name.
   */
  setAside: SetAsideFile[];
  /** How events were counted, where that is not one line = one count (merged renewals, heartbeats). */
  countingNotes: string[];
  /** What the findings' detectors propose (owners and dates are the author's). */
  actions: ActionItem[];
  /** What the findings say about the environment (versions, sizes, counts). */
  environment: EnvironmentFact[];
  /** Pods the findings show affected. */
  affected: AffectedPod[];
  settings: { renewDeadlineSeconds: number; seed: number; permutations: number };
}

// ---------------------------------------------------------------------------------------------
// Snapshot before/after comparison (analyze/snapshot-diff → render/snapshot-diff, `snapshot diff --json`)

/** Which snapshot one side of a diff is. */
export interface SnapshotDiffSide {
  file: string;
  sha256: string;
  term: number;
  index: number;
  timestamp: number;
  wallClock: string | null;
}

export type SnapshotDiffMetric =
  | 'prefixes'
  | 'rows'
  | 'liveKeys'
  | 'deletedRows'
  | 'valueBytes'
  | 'tableBytes'
  | 'fileBytes'
  | 'payloadBytes'
  | 'pageCount'
  | 'freelistCount'
  | 'databaseBytes';

export interface SnapshotDiffEntry {
  /** Database name, or null for whole-file numbers (fileBytes, payloadBytes). */
  database: string | null;
  /** Table name, kine key prefix (e.g. `/registry/pods/`), or '' for the other kinds. */
  subject: string;
  /** `kine-folded`: the prefixes not listed (past `maxKinePrefixes`), summed; metric 'prefixes' counts them. */
  kind: 'table' | 'kine-prefix' | 'kine-folded' | 'database' | 'file';
  metric: SnapshotDiffMetric;
  /** null when the subject does not exist on that side, or when its value there is `unknown`. */
  before: number | null;
  after: number | null;
  /** after − before (a side where the subject does not exist counts 0); null when a side is `unknown`. */
  delta: number | null;
  /** delta / before × 100, rounded to 0.1; null when before is null or 0. */
  percent: number | null;
  /**
   * The side whose value is not known: the prefix is not among the ones that side lists, and that
   * side folded some, so it may be one of them (never read as 0). Absent when both are known.
   */
  unknown?: 'before' | 'after';
  /** With `unknown`: the most that side's value can be (what its folded prefixes allow). */
  atMost?: number;
}

/** The `snapshot diff --json` schema (docs/snapshot.md). Entries are sorted by the largest change. */
export interface SnapshotDiff {
  before: SnapshotDiffSide;
  after: SnapshotDiffSide;
  /**
   * Row counts: per table (metric 'rows'), per kine prefix ('rows', 'liveKeys', 'deletedRows') and,
   * when a side folded prefixes, for the folded ones ('prefixes' too).
   */
  counts: SnapshotDiffEntry[];
  /** Sizes: file and payload bytes; per database bytes, pages, free pages; per table bytes; per kine prefix (and the folded ones) value bytes. */
  sizes: SnapshotDiffEntry[];
}
