/**
 * `kubectl describe pod` text (kubectl pkg/describe): the pod's name, namespace, node and status,
 * per container `Restart Count`, `State: Waiting / Reason`, and the `Last State: Terminated` block
 * (RFC1123Z times), plus the Events table, whose rows are classified (`Back-off restarting failed
 * container … (x702 over 55d)` → crashloop). Event ages are relative, so those events carry no time.
 * `kubectl describe node` (a block with `Roles:`) gives the node's Conditions table instead.
 */
import type { NodeFact, ObjectFact, PodFact } from '../../types/index.js';
import type { PendingEvent } from '../event.js';
import { objectEvent } from './_object-event.js';
import type { ObjectResult } from './objects.js';

function rfc1123ToIso(text: string): string | null {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString().replace('.000Z', 'Z');
}

const EVENT_ROW = /^\s+(Normal|Warning)\s+(\S+)\s+(.+?)\s{2,}(\S.*?)\s{2,}(\S.*)$/;

export function parseDescribe(text: string, file: string): ObjectResult & { problems: string[] } {
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  const pods: PodFact[] = [];
  const nodes = new Map<PodFact, NodeFact>();
  const events: PendingEvent[] = [];
  let pod: PodFact | null = null;
  let inEvents = false;
  let inConditions = false;
  let inLastState = false;
  let lastState: { reason: string | null; exitCode: number | null; finishedAt: string | null } | null = null;
  lines.forEach((raw, index) => {
    const line = index + 1;
    const top = /^([A-Z][\w ]*):\s*(.*)$/.exec(raw);
    if (top) {
      inEvents = top[1] === 'Events';
      inConditions = top[1] === 'Conditions';
      if (top[1] === 'Name') {
        pod = {
          kind: 'pod',
          file,
          line,
          sha256: '',
          namespace: '',
          name: (top[2] as string).trim(),
          node: null,
          phase: null,
          restarts: 0,
          lastTermination: null,
          waitingReason: null,
          images: [],
          args: [],
        };
        pods.push(pod);
      } else if (pod) {
        const value = (top[2] as string).trim();
        if (top[1] === 'Namespace') pod.namespace = value;
        else if (top[1] === 'Node') pod.node = value.split('/')[0] || null;
        else if (top[1] === 'Status') pod.phase = value;
        else if (top[1] === 'Roles') {
          nodes.set(pod, { kind: 'node', file, line: pod.line, sha256: '', name: pod.name, conditions: [] });
        }
      }
      return;
    }
    const current = pod as PodFact | null;
    const node = current ? nodes.get(current) : undefined;
    if (node && inConditions) {
      const cells = raw.trim().split(/\s{2,}/);
      if (cells.length >= 6 && cells[0] !== 'Type' && !/^-+$/.test(cells[0] as string)) {
        node.conditions.push({
          type: cells[0] as string,
          status: cells[1] as string,
          lastTransitionTime: rfc1123ToIso(cells[3] as string),
          message: cells.slice(5).join('  '),
        });
      }
      return;
    }
    if (inEvents) {
      const row = EVENT_ROW.exec(raw);
      if (!row || row[1] === undefined || row[2] === 'Reason') return;
      const age = row[3] as string;
      const repeat = /\(x(\d+) over (\S+)\)/.exec(age);
      const event = objectEvent({
        file,
        line,
        text: row[5] as string,
        reason: row[2] as string,
        subject: current ? (node ? current.name : `${current.namespace}/${current.name}`) : null,
        objectKind: node ? 'Node' : 'Pod',
        time: null,
        source: `kubectl:describe/${row[4]}`,
        shown: raw.trim(),
        attrs: { age, ...(repeat ? { count: Number(repeat[1]), over: repeat[2] as string } : {}) },
      });
      if (event) events.push(event);
      return;
    }
    if (!current) return;
    const field = /^\s+([A-Z][\w ]*):\s+(.*)$/.exec(raw);
    if (!field) return;
    const [, key, value] = field as unknown as [string, string, string];
    if (key === 'Image') current.images.push(value.trim());
    else if (key === 'Restart Count') current.restarts += Number.parseInt(value, 10) || 0;
    else if (key === 'Last State') {
      inLastState = value.trim() === 'Terminated';
      if (inLastState) {
        lastState = { reason: null, exitCode: null, finishedAt: null };
        current.lastTermination = lastState;
      }
    } else if (key === 'State' || key === 'Ready') inLastState = false;
    else if (key === 'Reason') {
      if (inLastState && lastState) lastState.reason = value.trim();
      else if (!current.waitingReason && value.trim() !== 'Completed') current.waitingReason = value.trim();
    } else if (key === 'Exit Code' && inLastState && lastState)
      lastState.exitCode = Number.parseInt(value, 10);
    else if (key === 'Finished' && inLastState && lastState)
      lastState.finishedAt = rfc1123ToIso(value.trim());
  });
  const facts: ObjectFact[] = pods.map((fact) => nodes.get(fact) ?? fact);
  return { facts, events, problems: [] };
}
