/** The readers of whole documents, by detected type (docs/formats.md, "Documents"). */
import type { FileResult, ParseLimits } from './file.js';
import { parseCount } from './inventory/count.js';
import { parseCsv } from './inventory/csv.js';
import { parseListing } from './inventory/listing.js';
import { parseClusterInfoDump } from './kubectl/cluster-info-dump.js';
import { parseDescribe } from './kubectl/describe.js';
import { parseKubectlJson } from './kubectl/json.js';
import { parseKubectlTable } from './kubectl/table.js';
import { parseKubectlYaml } from './kubectl/yaml.js';
import { parseKubeconfig, parsePem } from './measure/certificate.js';
import { parseStorageBench } from './measure/storage-bench.js';

type DocumentReader = (text: string, file: string, limits: ParseLimits) => Partial<FileResult>;

export const DOCUMENT_READERS: Record<string, DocumentReader> = {
  'kubectl-json': parseKubectlJson,
  'kubectl-yaml': parseKubectlYaml,
  'cluster-info-dump': parseClusterInfoDump,
  'kubectl-table': parseKubectlTable,
  'kubectl-describe': parseDescribe,
  'ls-listing': parseListing,
  'find-listing': parseListing,
  csv: parseCsv,
  count: parseCount,
  pem: parsePem,
  kubeconfig: parseKubeconfig,
  'storage-bench': parseStorageBench,
};

export function parseDocument(text: string, file: string, type: string, limits: ParseLimits): FileResult {
  const part = DOCUMENT_READERS[type]?.(text, file, limits) ?? {};
  return {
    events: part.events ?? [],
    facts: part.facts ?? [],
    annotations: part.annotations ?? [],
    problems: part.problems ?? [],
  };
}
