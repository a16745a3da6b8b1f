/**
 * Parses one file of a bundle while it streams: log files through the needle scanner, documents
 * (kubectl dumps, listings, CSV) once they are read whole. Problems are collected per file; nothing
 * here throws on bad content.
 */
import type { Annotation, ObjectFact } from '../types/index.js';
import { classifyLine, EVENT_NEEDLES } from './classify/index.js';
import { parseDocument } from './documents.js';
import { eventMessage, type PendingEvent } from './event.js';
import { NeedleScanner } from './scan.js';
import type { FileType } from './sniff.js';

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

export interface ParseLimits {
  /** Longest log line read; longer ones are skipped and reported. */
  maxLineBytes: number;
  /** Largest document (JSON/YAML dump, listing, CSV) read whole. */
  maxDocumentBytes: number;
}

export const DEFAULT_LIMITS: ParseLimits = { maxLineBytes: 1 << 20, maxDocumentBytes: 512 << 20 };

/** Classified events of the lines of `text` (used for log sections inside documents). */
export function eventFromLine(
  text: string,
  file: string,
  line: number,
  defaultSubject: string | null = null,
): PendingEvent | null {
  const classified = classifyLine(text);
  if (!classified) return null;
  const { reading, event } = classified;
  const pending: PendingEvent = {
    file,
    line,
    time: reading.time,
    origin: reading.origin,
    kind: event.kind,
    subject: event.subject ?? defaultSubject,
    source: reading.source,
    severity: event.severity,
    message: eventMessage(text),
  };
  if (event.attrs) pending.attrs = event.attrs;
  return pending;
}

function logParser(
  file: string,
  type: FileType,
  limits: ParseLimits,
  onEvent?: (event: PendingEvent) => void,
): FileParser {
  const events: PendingEvent[] = [];
  const emit = onEvent ?? ((event: PendingEvent) => events.push(event));
  const problems: string[] = [];
  let notJson = 0;
  let firstNotJson = 0;
  const needles = type.id === 'journald-json' ? [...EVENT_NEEDLES, '"MESSAGE":['] : EVENT_NEEDLES;
  const scanner = new NeedleScanner(
    needles,
    {
      candidate(text, line) {
        const event = eventFromLine(text, file, line);
        if (event) emit(event);
      },
      overlong(line, bytes) {
        problems.push(`line ${line} is longer than ${limits.maxLineBytes} bytes (${bytes}+); skipped`);
      },
      // A file of JSON lines may carry other formats too (klog from client-go beside zap, a Go panic):
      // every line goes through the format sniffers anyway. Only a JSON object cut short is a problem.
      notJson(line, text) {
        if (!text.startsWith('{')) return;
        if (notJson === 0) firstNotJson = line;
        notJson++;
      },
    },
    { maxLineBytes: limits.maxLineBytes, jsonLines: type.id === 'json-log' || type.id === 'journald-json' },
  );
  return {
    push: (chunk) => scanner.push(chunk),
    end() {
      scanner.end();
      if (notJson > 0) {
        problems.push(
          `${notJson} of ${scanner.lines} lines are cut-off JSON objects (first: line ${firstNotJson}); read as text`,
        );
      }
      return { events, facts: [], annotations: [], problems };
    },
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
            `larger than ${limits.maxDocumentBytes} bytes, the cap for a ${type.id} document; not parsed`,
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
 */
export function createFileParser(
  file: string,
  type: FileType,
  limits: ParseLimits = DEFAULT_LIMITS,
  onEvent?: (event: PendingEvent) => void,
): FileParser {
  if (type.handling === 'log') return logParser(file, type, limits, onEvent);
  if (type.handling === 'document') return documentParser(file, type, limits);
  return nothing;
}
