/**
 * Kubernetes objects (from JSON or YAML dumps) → object facts and classified events. Shapes follow
 * kubernetes/api (bundles-and-signatures.md §6): Pods, Leases, Deployments, Nodes, core/v1 and
 * events.k8s.io/v1 Events, Calico IPAMHandles (counted). Secrets are never read.
 */
import type { DeploymentFact, LeaseFact, NodeFact, ObjectFact, PodFact } from '../../types/index.js';
import type { PendingEvent } from '../event.js';
import { isSecretName, redact, redactArgs } from '../redact.js';
import { parseIsoPartial } from '../time.js';
import { objectEvent } from './_object-event.js';

type Json = Record<string, unknown>;

export interface ObjectResult {
  facts: ObjectFact[];
  events: PendingEvent[];
}

const obj = (value: unknown): Json =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const num = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

function containersOf(spec: Json): Json[] {
  return [...arr(spec.initContainers), ...arr(spec.containers)].map(obj);
}

function argsOf(containers: Json[]): string[] {
  return containers.flatMap((container) =>
    redactArgs(
      [...arr(container.command), ...arr(container.args)].filter((a): a is string => typeof a === 'string'),
    ),
  );
}

function imagesOf(containers: Json[]): string[] {
  return (
    containers
      .map((container) => str(container.image))
      .filter((image): image is string => image !== null)
      // `user:pass@registry/app:1.0` carries registry credentials.
      .map(redact)
  );
}

function podFact(item: Json, metadata: Json, origin: Origin): PodFact {
  const spec = obj(item.spec);
  const status = obj(item.status);
  const statuses = [...arr(status.initContainerStatuses), ...arr(status.containerStatuses)].map(obj);
  const containers = containersOf(spec);
  // The memory limit of the container that terminated: with OOMKilled / exit 137 it is what was hit.
  const memoryLimit = (name: string | null) =>
    str(obj(obj(containers.find((c) => str(c.name) === name)?.resources).limits).memory);
  let lastTermination: PodFact['lastTermination'] = null;
  let waitingReason: string | null = null;
  let restarts = 0;
  for (const containerStatus of statuses) {
    restarts += num(containerStatus.restartCount) ?? 0;
    const waiting = str(obj(obj(containerStatus.state).waiting).reason);
    if (waiting && !waitingReason) waitingReason = waiting;
    const terminated = obj(obj(containerStatus.lastState).terminated);
    const finishedAt = str(terminated.finishedAt);
    if (
      Object.keys(terminated).length > 0 &&
      (!lastTermination || (finishedAt ?? '') > (lastTermination.finishedAt ?? ''))
    ) {
      const container = str(containerStatus.name);
      lastTermination = {
        reason: str(terminated.reason),
        exitCode: num(terminated.exitCode),
        finishedAt,
        ...(container ? { container, memoryLimit: memoryLimit(container) } : {}),
      };
    }
  }
  return {
    kind: 'pod',
    ...origin,
    namespace: str(metadata.namespace) ?? '',
    name: str(metadata.name) ?? '',
    node: str(spec.nodeName),
    phase: str(status.phase),
    restarts,
    lastTermination,
    waitingReason,
    images: imagesOf(containers),
    args: argsOf(containers),
  };
}

function leaseFact(item: Json, metadata: Json, origin: Origin): LeaseFact {
  const spec = obj(item.spec);
  return {
    kind: 'lease',
    ...origin,
    namespace: str(metadata.namespace) ?? '',
    name: str(metadata.name) ?? '',
    holder: str(spec.holderIdentity),
    renewTime: str(spec.renewTime),
    acquireTime: str(spec.acquireTime),
    leaseDurationSeconds: num(spec.leaseDurationSeconds),
    transitions: num(spec.leaseTransitions),
  };
}

/** Literal env values only; values from Secrets/ConfigMaps are not resolved, secret-named ones redacted. */
function envOf(containers: Json[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const container of containers) {
    for (const variable of arr(container.env).map(obj)) {
      const name = str(variable.name);
      const value = str(variable.value);
      if (!name || value === null) continue;
      env[name] = isSecretName(name) ? '[redacted]' : redact(value);
    }
  }
  return env;
}

function deploymentFact(item: Json, metadata: Json, origin: Origin): DeploymentFact {
  const spec = obj(item.spec);
  const status = obj(item.status);
  const containers = containersOf(obj(obj(spec.template).spec));
  return {
    kind: 'deployment',
    ...origin,
    namespace: str(metadata.namespace) ?? '',
    name: str(metadata.name) ?? '',
    generation: num(metadata.generation),
    observedGeneration: num(status.observedGeneration),
    replicas: num(spec.replicas),
    readyReplicas: num(status.readyReplicas),
    images: imagesOf(containers),
    env: envOf(containers),
    args: argsOf(containers),
  };
}

function nodeFact(item: Json, metadata: Json, origin: Origin): NodeFact {
  return {
    kind: 'node',
    ...origin,
    name: str(metadata.name) ?? '',
    conditions: arr(obj(item.status).conditions)
      .map(obj)
      .map((condition) => ({
        type: str(condition.type) ?? '',
        status: str(condition.status) ?? '',
        lastTransitionTime: str(condition.lastTransitionTime),
        message: str(condition.message),
      })),
  };
}

interface Origin {
  file: string;
  line: number | null;
  sha256: string;
}

/**
 * A core/v1 or events.k8s.io/v1 Event, classified on its reason and message. The time is the last
 * occurrence (series.lastObservedTime, lastTimestamp, eventTime, firstTimestamp, as kubectl's printer
 * picks it); the count goes into attrs.
 */
function eventFromObject(item: Json, metadata: Json, file: string, line: number): PendingEvent | null {
  const regarding = obj(item.involvedObject ?? item.regarding);
  const namespace = str(regarding.namespace) ?? str(metadata.namespace);
  const name = str(regarding.name);
  const message = str(item.message) ?? str(item.note) ?? '';
  const reason = str(item.reason) ?? '';
  const series = obj(item.series);
  const stamp =
    str(series.lastObservedTime) ??
    str(item.lastTimestamp) ??
    str(item.deprecatedLastTimestamp) ??
    str(item.eventTime) ??
    str(item.firstTimestamp) ??
    str(item.deprecatedFirstTimestamp);
  const count = num(series.count) ?? num(item.count) ?? num(item.deprecatedCount);
  const first = str(item.firstTimestamp) ?? str(item.deprecatedFirstTimestamp) ?? str(item.eventTime);
  const component =
    str(obj(item.source).component) ??
    str(item.reportingController) ??
    str(item.reportingComponent) ??
    'unknown';
  return objectEvent({
    file,
    line,
    text: message,
    reason,
    subject: name ? (namespace ? `${namespace}/${name}` : name) : null,
    objectKind: str(regarding.kind),
    time: stamp ? parseIsoPartial(stamp) : null,
    source: `kubectl:event/${component}`,
    shown: `${reason}: ${message}`,
    attrs: { ...(count !== null ? { count } : {}), ...(first ? { firstSeen: first } : {}) },
  });
}

/** Facts and events from a flat list of objects, each with the line it starts on. */
/**
 * The kind of objects whose own `kind` is empty, as typed clients write them: from the List's kind
 * (`PodList` → `Pod`, kubectl cluster-info dump) or from where collectors put them (troubleshoot's
 * `cluster-resources/pods/<ns>.json`, must-gather's `core/pods.yaml`).
 */
const KIND_BY_FOLDER: [RegExp, string][] = [
  [/(?:^|\/)pods(?:\/|\.json$|\.ya?ml$)/, 'Pod'],
  [/(?:^|\/)leases(?:\/|\.json$|\.ya?ml$)/, 'Lease'],
  [/(?:^|\/)deployments(?:\/|\.json$|\.ya?ml$)/, 'Deployment'],
  [/(?:^|\/)nodes(?:\/|\.json$|\.ya?ml$)/, 'Node'],
  [/(?:^|\/)events(?:\/|\.json$|\.ya?ml$)/, 'Event'],
  [/(?:^|\/)ipamhandles[^/]*(?:\/|\.json$|\.ya?ml$)/, 'IPAMHandle'],
];

export function kindFromPath(file: string): string | null {
  return KIND_BY_FOLDER.find(([pattern]) => pattern.test(file))?.[1] ?? null;
}

export function readObjects(
  items: Iterable<{ value: unknown; line: number | null; kind?: string | null }>,
  file: string,
): ObjectResult {
  const result: ObjectResult = { facts: [], events: [] };
  let ipamHandles = 0;
  let ipamLine: number | null = null;
  const pathKind = kindFromPath(file);
  for (const { value, line, kind } of items) {
    const item = obj(value);
    const metadata = obj(item.metadata);
    const origin: Origin = { file, line, sha256: '' };
    switch (str(item.kind) || kind || pathKind) {
      case 'Pod':
        result.facts.push(podFact(item, metadata, origin));
        break;
      case 'Lease':
        result.facts.push(leaseFact(item, metadata, origin));
        break;
      case 'Deployment':
        result.facts.push(deploymentFact(item, metadata, origin));
        break;
      case 'Node':
        result.facts.push(nodeFact(item, metadata, origin));
        break;
      case 'Event': {
        const event = eventFromObject(item, metadata, file, line ?? 1);
        if (event) result.events.push(event);
        break;
      }
      case 'IPAMHandle':
        ipamHandles++;
        ipamLine ??= line;
        break;
      default:
        break;
    }
  }
  if (ipamHandles > 0) {
    result.facts.push({
      kind: 'count',
      file,
      line: ipamLine,
      sha256: '',
      resource: 'ipamhandles.crd.projectcalico.org',
      count: ipamHandles,
    });
  }
  return result;
}

/**
 * The items of a List (kind `List` or `*List`) or a JSON array, else the object itself; `itemKind` is
 * what a typed List's kind says its items are (`PodList` → `Pod`).
 */
export function flattenList(value: unknown): { items: unknown[]; list: boolean; itemKind: string | null } {
  const record = obj(value);
  const kind = str(record.kind) ?? '';
  if (Array.isArray(record.items) && kind.endsWith('List')) {
    return { items: record.items, list: true, itemKind: kind.length > 4 ? kind.slice(0, -4) : null };
  }
  if (Array.isArray(value)) return { items: value, list: true, itemKind: null };
  return { items: [value], list: false, itemKind: null };
}
