/**
 * Parses one file of a bundle while it streams: log files through the needle scanner, documents
 * (kubectl dumps, listings, CSV) once they are read whole. Problems are collected per file; nothing
 * here throws on bad content.
 */
import { raiseWith } from '../limits.js';
import type { Annotation, ObjectFact } from '../types/index.js';
import { parseDocument } from './documents.js';
import type { PendingEvent } from './event.js';
import { DEFAULT_LIMITS, logProblems, logScan, type ParseLimits } from './log-scan.js';
import type { FileType } from './sniff.js';

export {
  DEFAULT_LIMITS,
  eventFromLine,
  logProblems,
  logScan,
  type LogScanSummary,
  type ParseLimits,
} from './log-scan.js';

export interface FileResult {
  events: PendingEvent[];
  facts: ObjectFact[];
  annotations: Annotation[];
  problems: string[];
}

export interface FileParser {
  push(chunk: Buffer): void;
  end(): FileResult;
}

function logParser(
  file: string,
  type: FileType,
  limits: ParseLimits,
  onEvent?: (event: PendingEvent) => void,
  options: { messages?: boolean } = {},
): FileParser {
  const events: PendingEvent[] = [];
  const scan = logScan(file, type, limits, onEvent ?? ((event) => events.push(event)), options);
  return {
    push: (chunk) => scan.push(chunk),
    end: () => ({ events, facts: [], annotations: [], problems: logProblems(scan.end(), limits) }),
  };
}

function documentParser(file: string, type: FileType, limits: ParseLimits): FileParser {
  const chunks: Buffer[] = [];
  let bytes = 0;
  let tooLarge = false;
  return {
    push(chunk) {
      if (tooLarge) return;
      bytes += chunk.length;
      if (bytes > limits.maxDocumentBytes) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(Buffer.from(chunk));
    },
    end() {
      if (tooLarge) {
        return {
          events: [],
          facts: [],
          annotations: [],
          problems: [
            `larger than ${limits.maxDocumentBytes} bytes, the limit for a ${type.id} document; not parsed (${raiseWith('maxDocumentBytes')})`,
          ],
        };
      }
      return parseDocument(Buffer.concat(chunks).toString('utf8'), file, type.id, limits);
    },
  };
}

const nothing: FileParser = {
  push() {},
  end: () => ({ events: [], facts: [], annotations: [], problems: [] }),
};

/**
 * A parser for one file of the given type. With `onEvent`, log events are handed over as they are
 * found instead of kept, so memory stays flat whatever the file's size (`events --count`).
 * `messages: false`: log events without their message (a count needs none, and redacting one costs
 * about as much as classifying the line).
 */
export function createFileParser(
  file: string,
  type: FileType,
  limits: ParseLimits = DEFAULT_LIMITS,
  onEvent?: (event: PendingEvent) => void,
  options: { messages?: boolean } = {},
): FileParser {
  if (type.handling === 'log') return logParser(file, type, limits, onEvent, options);
  if (type.handling === 'document') return documentParser(file, type, limits);
  return nothing;
}
