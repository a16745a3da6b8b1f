/** Dispatches a whole document to the reader for its detected type. */
import type { FileResult, ParseLimits } from './file.js';
import { parseClusterInfoDump } from './kubectl/cluster-info-dump.js';
import { parseDescribe } from './kubectl/describe.js';
import { parseKubectlJson } from './kubectl/json.js';
import { parseKubectlTable } from './kubectl/table.js';
import { parseKubectlYaml } from './kubectl/yaml.js';
import { parseCount } from './inventory/count.js';
import { parseCsv } from './inventory/csv.js';
import { parseListing } from './inventory/listing.js';

const empty = (): FileResult => ({ events: [], facts: [], annotations: [], problems: [] });

export function parseDocument(text: string, file: string, type: string, limits: ParseLimits): FileResult {
  const result = empty();
  const merge = (part: Partial<FileResult>) => {
    result.events.push(...(part.events ?? []));
    result.facts.push(...(part.facts ?? []));
    result.annotations.push(...(part.annotations ?? []));
    result.problems.push(...(part.problems ?? []));
  };
  switch (type) {
    case 'kubectl-json':
      merge(parseKubectlJson(text, file));
      break;
    case 'kubectl-yaml':
      merge(parseKubectlYaml(text, file));
      break;
    case 'cluster-info-dump':
      merge(parseClusterInfoDump(text, file, limits));
      break;
    case 'kubectl-table':
      merge(parseKubectlTable(text, file));
      break;
    case 'kubectl-describe':
      merge(parseDescribe(text, file));
      break;
    case 'ls-listing':
    case 'find-listing':
      merge(parseListing(text, file));
      break;
    case 'csv':
      merge(parseCsv(text, file));
      break;
    case 'count':
      merge(parseCount(text, file));
      break;
    default:
      break;
  }
  return result;
}
