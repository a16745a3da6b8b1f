/** The detector catalogue as plain data: what `howchain detectors` prints (docs/detectors.md). */
import { detectors } from '../analyze/detectors/index.js';

export interface DetectorEntry {
  id: string;
  title: string;
  role: string;
  reads: string;
  thresholds: { name: string; value: string }[];
  /** Ids of the findings this detector's finding can explain. */
  explains: string[];
}

export function detectorCatalog(): DetectorEntry[] {
  return detectors.map((d) => ({
    id: d.id,
    title: d.title,
    role: d.role,
    reads: d.reads,
    thresholds: d.thresholds,
    explains: d.links.map((link) => link.explains),
  }));
}
