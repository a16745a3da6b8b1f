/**
 * `kubectl get` tables (cli-runtime tabwriter: columns padded with ≥3 spaces, headers like
 * `NOMINATED NODE` contain one). Several tables may follow each other separated by blank lines
 * (`kubectl get all`, where names carry a `kind/` prefix). Reads pods (RESTARTS `712 (3m ago)`),
 * leases, nodes, events and counts IPAMHandles; `--no-headers` handle listings count too.
 * Tables have only relative ages, so their events carry no time.
 */
import type { ObjectFact, PodFact } from '../../types/index.js';
import { KIND_SEVERITY } from '../classify/index.js';
import { eventMessage, type PendingEvent } from '../event.js';
import { objectEvent } from './_object-event.js';
import type { ObjectResult } from './objects.js';

interface Column {
  name: string;
  start: number;
}

function headerColumns(header: string): Column[] {
  return [...header.matchAll(/\S+(?: \S+)*/g)].map((match) => ({ name: match[0], start: match.index ?? 0 }));
}

function cells(row: string, columns: Column[]): Record<string, string> {
  const record: Record<string, string> = {};
  columns.forEach((column, index) => {
    const next = columns[index + 1];
    record[column.name] = row.slice(column.start, next ? next.start : undefined).trim();
  });
  return record;
}

const WAITING =
  /^(?:CrashLoopBackOff|ImagePullBackOff|ErrImagePull|CreateContainerConfigError|ContainerCreating|Init:.*)$/;
const PHASES = new Set(['Running', 'Pending', 'Succeeded', 'Failed', 'Unknown', 'Completed']);

function splitKind(name: string): { kind: string | null; name: string } {
  const slash = name.indexOf('/');
  return slash > 0 ? { kind: name.slice(0, slash), name: name.slice(slash + 1) } : { kind: null, name };
}

const HANDLE = /^(?:k8s-pod-network\.|ipip-tunnel-addr-|vxlan-tunnel-addr-|wireguard-tunnel-addr-)/;

export function parseKubectlTable(text: string, file: string): ObjectResult & { problems: string[] } {
  const facts: ObjectFact[] = [];
  const events: PendingEvent[] = [];
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  const isIpamFile = /ipamhandle/i.test(file);
  let handles = 0;
  let handlesLine: number | null = null;
  let index = 0;
  while (index < lines.length) {
    while (index < lines.length && (lines[index] as string).trim() === '') index++;
    if (index >= lines.length) break;
    const blockStart = index;
    while (index < lines.length && (lines[index] as string).trim() !== '') index++;
    const block = lines.slice(blockStart, index);
    const header = block[0] as string;
    const headed = /^(?:NAMESPACE|NAME|LAST SEEN)\s/.test(header);
    const columns = headed ? headerColumns(header) : [];
    const names = new Set(columns.map((column) => column.name));
    const rows = headed ? block.slice(1) : block;
    rows.forEach((row, rowIndex) => {
      const line = blockStart + rowIndex + (headed ? 2 : 1);
      if (!headed) {
        const first = row.trim().split(/\s+/)[0] ?? '';
        if (isIpamFile || HANDLE.test(first)) {
          handles++;
          handlesLine ??= line;
        }
        return;
      }
      const record = cells(row, columns);
      const { kind, name } = splitKind(record.NAME ?? '');
      const namespace = record.NAMESPACE ?? '';
      if (names.has('RESTARTS') && names.has('STATUS') && (kind === null || kind === 'pod')) {
        const status = record.STATUS ?? '';
        const restarts = Number.parseInt(record.RESTARTS ?? '0', 10);
        const pod: PodFact = {
          kind: 'pod',
          file,
          line,
          sha256: '',
          namespace,
          name,
          node: record.NODE && record.NODE !== '<none>' ? record.NODE : null,
          phase: PHASES.has(status) ? status : null,
          restarts: Number.isFinite(restarts) ? restarts : 0,
          lastTermination: null,
          waitingReason: WAITING.test(status) ? status : null,
          images: [],
          args: [],
        };
        facts.push(pod);
        const eventKind =
          status === 'CrashLoopBackOff'
            ? 'crashloop'
            : /^(?:ImagePullBackOff|ErrImagePull)$/.test(status)
              ? 'image_pull_failure'
              : null;
        if (eventKind) {
          events.push({
            file,
            line,
            time: null,
            origin: 'kubectl',
            kind: eventKind,
            subject: namespace ? `${namespace}/${name}` : name,
            source: 'kubectl:table',
            severity: KIND_SEVERITY[eventKind],
            message: eventMessage(row.trim()),
            attrs: { status, restarts: pod.restarts },
          });
        }
      } else if (names.has('HOLDER')) {
        facts.push({
          kind: 'lease',
          file,
          line,
          sha256: '',
          namespace,
          name,
          holder: record.HOLDER && record.HOLDER !== '<none>' ? record.HOLDER : null,
          renewTime: null,
          acquireTime: null,
          leaseDurationSeconds: null,
          transitions: null,
        });
      } else if (names.has('ROLES') && names.has('VERSION') && names.has('STATUS')) {
        const status = record.STATUS ?? '';
        facts.push({
          kind: 'node',
          file,
          line,
          sha256: '',
          name,
          conditions: [
            {
              type: 'Ready',
              status: status.split(',')[0] === 'Ready' ? 'True' : 'False',
              lastTransitionTime: null,
              message: status,
            },
          ],
        });
      } else if (names.has('REASON') && names.has('MESSAGE') && names.has('OBJECT')) {
        const object = splitKind(record.OBJECT ?? '');
        const event = objectEvent({
          file,
          line,
          text: record.MESSAGE ?? '',
          reason: record.REASON ?? '',
          subject: namespace ? `${namespace}/${object.name}` : object.name,
          objectKind: object.kind,
          time: null,
          source: 'kubectl:table',
          shown: row.trim(),
          attrs: { lastSeen: record['LAST SEEN'] ?? null },
        });
        if (event) events.push(event);
      } else if (isIpamFile || kind === 'ipamhandle.crd.projectcalico.org' || HANDLE.test(name)) {
        handles++;
        handlesLine ??= line;
      }
    });
  }
  if (handles > 0) {
    facts.push({
      kind: 'count',
      file,
      line: handlesLine,
      sha256: '',
      resource: 'ipamhandles.crd.projectcalico.org',
      count: handles,
    });
  }
  return { facts, events, problems: [] };
}
