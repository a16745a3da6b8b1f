import type { CaseData, Entity, EvidenceEvent } from '../types/index.js';

const LEASE_KINDS = new Set([
  'lease_renew_failure',
  'lease_lock_retrieve_error',
  'leader_lost',
  'leader_acquired',
]);

/**
 * Where collectors put a pod's logs, each giving namespace and pod name: `kubectl logs` saved as
 * logs/<ns>/<pod>/<container>.log, the node's /var/log/pods/<ns>_<pod>_<uid>/<container>/N.log,
 * /var/log/containers/<pod>_<ns>_<container>-<id>.log, and troubleshoot's pods/logs/<ns>/<pod>/.
 */
const POD_PATHS: { pattern: RegExp; namespace: number; pod: number }[] = [
  {
    pattern: /(?:^|\/)(?:var-log-pods|pods)\/([a-z0-9-]+)_([a-z0-9.-]+)_[0-9a-f-]{8,}\//,
    namespace: 1,
    pod: 2,
  },
  {
    pattern: /(?:^|\/)containers\/([a-z0-9.-]+)_([a-z0-9-]+)_[a-z0-9.-]+-[0-9a-f]{8,}\.log$/,
    namespace: 2,
    pod: 1,
  },
  { pattern: /(?:^|\/)logs\/([a-z0-9-]+)\/([a-z0-9.-]+)\/[^/]+$/, namespace: 1, pod: 2 },
];

export function podOfPath(path: string): string | null {
  for (const { pattern, namespace, pod } of POD_PATHS) {
    const match = pattern.exec(path);
    if (match) return `${match[namespace]}/${match[pod]}`;
  }
  return null;
}

/** `snap.microk8s.daemon-kubelite.service` and journal files named after their unit: `kubelite`. */
function componentOf(event: EvidenceEvent): string | null {
  const unit = /(?:^|\/)(?:snap\.microk8s\.daemon-)?([a-z0-9-]+?)(?:\.service)?(?:\/journal)?(?:\.log)?$/;
  if (event.subject?.endsWith('.service')) return unit.exec(event.subject)?.[1] ?? null;
  const journal =
    /(?:^|\/)(?:journal|journald)\/([^/]+)$/.exec(event.file) ??
    /(?:^|\/)(snap\.[^/]+)\/journal\.log$/.exec(event.file);
  return journal ? (unit.exec(journal[1]!)?.[1] ?? null) : null;
}

/** Resolves the entities of events against the nodes the dumps know. */
export class EntityIndex {
  private readonly nodes: Set<string>;
  /**
   * Events of one file and subject name the same entities: one shared (frozen) list for all of them,
   * found by file, then lease-or-not, then subject. Nested maps rather than one joined key: a log
   * naming 300,000 leases would keep 300,000 key strings beside the lists.
   */
  private cache = new Map<string, [Map<string, readonly Entity[]>, Map<string, readonly Entity[]>]>();

  constructor(data: CaseData) {
    this.nodes = new Set();
    for (const fact of data.facts) {
      if (fact.kind === 'node') this.nodes.add(fact.name);
      if (fact.kind === 'pod' && fact.node) this.nodes.add(fact.node);
    }
  }

  /** A folder of the path named after a known node (collectors keep one folder per node). */
  nodeOfPath(path: string): string | null {
    for (const part of path.split('/').slice(0, -1)) if (this.nodes.has(part)) return part;
    return null;
  }

  of(event: EvidenceEvent): Entity[] {
    let byKind = this.cache.get(event.file);
    if (!byKind) this.cache.set(event.file, (byKind = [new Map(), new Map()]));
    const bySubject = byKind[LEASE_KINDS.has(event.kind) ? 0 : 1];
    const subject = event.subject ?? '';
    const known = bySubject.get(subject);
    if (known) return known as Entity[];
    // A copy holds exactly its entities; the list `push` built reserves 17 slots.
    const entities = Object.freeze(this.resolve(event).slice());
    bySubject.set(subject, entities);
    return entities as Entity[];
  }

  /** Lets go of the lists `of` handed out, once every event has its own: the model keeps them. */
  forget(): void {
    this.cache = new Map();
  }

  private resolve(event: EvidenceEvent): Entity[] {
    const entities: Entity[] = [];
    const pod = podOfPath(event.file);
    if (pod) entities.push({ kind: 'pod', id: pod });
    if (event.subject && /^[a-z0-9-]+\/[a-z0-9.-]+$/.test(event.subject)) {
      const kind = LEASE_KINDS.has(event.kind) ? 'lease' : 'pod';
      if (!(kind === 'pod' && pod === event.subject)) entities.push({ kind, id: event.subject });
    }
    const node = this.nodeOfPath(event.file);
    if (node) entities.push({ kind: 'node', id: node });
    const component = componentOf(event);
    if (component) entities.push({ kind: 'component', id: component });
    return entities;
  }
}

/** Two entity lists name the same thing. */
export function sharedEntities(a: Entity[], b: Entity[]): Entity[] {
  const ids = new Set(b.map((e) => `${e.kind}:${e.id}`));
  return a.filter((e) => ids.has(`${e.kind}:${e.id}`));
}
