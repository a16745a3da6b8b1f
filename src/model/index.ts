/**
 * The evidence model: what every detector reads, derived once from a case (store → model → analyze).
 * Content is counted once (by sha256), every event carries its time quality and the entities it is
 * about, snapshot writes carry how they were placed on the clock, lease failures are counted per
 * renewal, and every assumption made about time is listed.
 */
import type { CaseData, EvidenceModel } from '../types/index.js';
import { countContentOnce } from './dedupe.js';
import { EntityIndex } from './entities.js';
import { leaseFailures } from './leases.js';
import { hashLookup } from './refs.js';
import { placeSnapshotCopies, snapshotWrites } from './snapshots.js';
import { timeAssumptions, timeQuality } from './time-quality.js';

export interface ModelSettings {
  /** The bundles in the order given: of two files with the same content, the first bundle's counts. */
  bundles?: string[];
  /** --year / --tz as given, so the assumptions say which times they set. */
  year?: number;
  tz?: string;
}

export function buildEvidenceModel(input: CaseData, settings: ModelSettings = {}): EvidenceModel {
  const { data: counted, setAside } = countContentOnce(input, settings.bundles);
  const data: CaseData = { ...counted, snapshotReports: placeSnapshotCopies(counted) };
  const sha256 = hashLookup(data.manifest);
  const entities = new EntityIndex(data);
  const datedFiles = new Set<string>();
  for (const event of data.events) if (event.ts !== null) datedFiles.add(event.file);
  // Added as columns of the case's own events: no copy of a million events.
  const events = data.events.byTime().withModel({
    quality: (event) => timeQuality(event, datedFiles.has(event.file)),
    entities: (event) => entities.of(event),
  });
  entities.forget();
  return {
    data,
    events,
    snapshots: snapshotWrites(data, sha256),
    leaseFailures: leaseFailures(events, sha256),
    timeAssumptions: timeAssumptions(data.events, settings),
    setAside,
    sha256,
    nodeOfPath: (path) => entities.nodeOfPath(path),
  };
}

export { podOfPath, sharedEntities } from './entities.js';
export { isHeartbeatLease, SAME_FAILURE_SECONDS } from './leases.js';
export {
  detachedRef,
  EndSample,
  eventRef,
  excerpt,
  factName,
  factRef,
  hashLookup,
  plural,
  sampleEnds,
} from './refs.js';
