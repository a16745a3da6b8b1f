/** The incident library (samples/incidents/) read as detector input, and a detector's link tests run on it. */
import { join } from 'node:path';
import type { AnyDetector, Detector } from '../../src/analyze/detector.js';
import { runDetectors } from '../../src/analyze/detector.js';
import { detectorContext } from '../../src/analyze/run.js';
import { ingest } from '../../src/pipeline/ingest.js';
import type { CaseData, Finding, LinkTest } from '../../src/types/index.js';

const LIBRARY = join(import.meta.dirname, '../../samples/incidents');
const cache = new Map<string, Promise<CaseData>>();

export function incident(id: string, variant: 'bundle' | 'noisy' = 'bundle'): Promise<CaseData> {
  const key = `${id}/${variant}`;
  if (!cache.has(key)) cache.set(key, ingest([join(LIBRARY, id, variant)]));
  return cache.get(key)!;
}

/** Runs detectors on a case; the findings by detector id. */
export function findings(data: CaseData, detectors: AnyDetector[]): Map<string, Finding> {
  const context = detectorContext(data, { permutations: 99 });
  return new Map(runDetectors(detectors, context).map((f) => [f.id, f]));
}

/** The tests of `cause`'s link to `effect`'s finding, both detected on `data`. */
export function linkTests<D>(cause: Detector<D>, effect: AnyDetector, data: CaseData): LinkTest[] {
  const context = detectorContext(data, { permutations: 99 });
  const found = findings(data, [cause as AnyDetector, effect]);
  const link = cause.links.find((l) => l.explains === effect.id);
  if (!link) throw new Error(`${cause.id} has no link to ${effect.id}`);
  return link.tests(found.get(cause.id) as Finding<D>, found.get(effect.id)!, context);
}

/** One detector's finding on a case, typed by the detector's data. */
export function findingOf<D>(data: CaseData, detector: Detector<D>): Finding<D> | undefined {
  return findings(data, [detector as AnyDetector]).get(detector.id) as Finding<D> | undefined;
}
