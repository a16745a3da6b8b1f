/**
 * `kubectl cluster-info dump` to stdout (microk8s inspect's `k8s/cluster-info-dump`): pretty JSON
 * Lists (nodes, then per namespace events, services, …, pods) with each pod's current container log
 * between `==== START logs for container C of pod NS/POD ====` and the matching END marker. Log lines
 * there have no timestamps of their own beyond what the program wrote (usually klog, without a year).
 */
import { EVENT_NEEDLES } from '../classify/index.js';
import type { PendingEvent } from '../event.js';
import { eventFromLine, type ParseLimits } from '../file.js';
import { LineIndex } from './_lines.js';
import { readJsonDocuments, splitJsonDocuments, type JsonDocument } from './json.js';
import type { ObjectResult } from './objects.js';
import { appendAll } from '../../bounded.js';

const START = /^==== START logs for container (\S+) of pod (\S+) ====$/;
const END = /^==== END logs for container \S+ of pod \S+ ====$/;

export function parseClusterInfoDump(
  text: string,
  file: string,
  limits: ParseLimits,
): ObjectResult & { problems: string[] } {
  const lines = new LineIndex(text);
  const documents: JsonDocument[] = [];
  const events: PendingEvent[] = [];
  const problems: string[] = [];
  let at = 0;
  while (at < text.length) {
    const split = splitJsonDocuments(text, at);
    appendAll(documents, split.documents);
    if (split.error) {
      problems.push(`${split.error} (line ${lines.lineOf(split.stoppedAt)})`);
    }
    at = split.stoppedAt;
    if (at >= text.length) break;
    const lineEnd = text.indexOf('\n', at);
    const first = text.slice(at, lineEnd < 0 ? text.length : lineEnd);
    const start = START.exec(first);
    if (!start) {
      // Inline errors (`The connection to the server … was refused`) and other stray text.
      at = lineEnd < 0 ? text.length : lineEnd + 1;
      continue;
    }
    const subject = start[2] as string;
    at = lineEnd < 0 ? text.length : lineEnd + 1;
    while (at < text.length) {
      const end = text.indexOf('\n', at);
      const line = text.slice(at, end < 0 ? text.length : end);
      const lineNumber = lines.lineOf(at);
      at = end < 0 ? text.length : end + 1;
      if (END.test(line)) break;
      if (line.length > limits.maxLineBytes || !EVENT_NEEDLES.some((needle) => line.includes(needle)))
        continue;
      const event = eventFromLine(line, file, lineNumber, subject);
      if (event) {
        event.source = `cluster-info-dump:${subject}/${start[1]}|${event.source}`;
        events.push(event);
      }
    }
  }
  const objects = readJsonDocuments(documents, text, lines, file);
  return {
    facts: objects.facts,
    events: [...objects.events, ...events],
    problems: [...problems, ...objects.problems],
  };
}
