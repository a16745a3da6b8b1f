/** Entity tests shared by the detectors' links: the same pod (by workload), node or lease on both sides. */
import { workloadName } from '../pods.js';
import type {
  CaseData,
  DeploymentFact,
  Entity,
  EntityKind,
  Finding,
  LinkTest,
  ModelEvent,
} from '../types/index.js';

/** The distinct entities of some kinds that events name (events of one file share their list). */
export function entitiesOf(events: Iterable<ModelEvent>, kinds: EntityKind[]): Entity[] {
  const lists = new Set<readonly Entity[]>();
  for (const event of events) lists.add(event.entities);
  return entitiesOfLists(lists, kinds);
}

/** The entities of some kinds in lists gathered already (EventSpan's), once each. */
export function entitiesOfLists(lists: Iterable<readonly Entity[]>, kinds: EntityKind[]): Entity[] {
  const found = new Map<string, Entity>();
  for (const list of lists)
    for (const entity of list)
      if (kinds.includes(entity.kind)) found.set(`${entity.kind}:${entity.id}`, entity);
  return [...found.values()];
}

/** Pods are compared by workload: a restarted or rescheduled pod gets a new name, its workload does not. */
function normalise(entity: Entity, deployments: DeploymentFact[]): string {
  if (entity.kind !== 'pod') return `${entity.kind}:${entity.id}`;
  const [namespace, name] = entity.id.split('/') as [string, string];
  return `pod:${namespace}/${workloadName({ namespace, name }, deployments)}`;
}

const shown = (keys: Set<string>) =>
  [...keys]
    .map((k) => k.slice(k.indexOf(':') + 1))
    .sort()
    .join(', ') || 'none';

/**
 * The same-entity test: passes when both findings name a common entity of one of `kinds`. The detail
 * names what they share, and what the effect names that the cause does not, so an unrelated pod in a
 * crash-loop finding is visibly left unexplained.
 */
export function sameEntity(
  cause: Finding,
  effect: Finding,
  kinds: EntityKind[],
  data: CaseData,
): LinkTest | null {
  const deployments = data.facts.filter((f): f is DeploymentFact => f.kind === 'deployment');
  const keys = (f: Finding) =>
    new Set(f.entities.filter((e) => kinds.includes(e.kind)).map((e) => normalise(e, deployments)));
  const causeKeys = keys(cause);
  const effectKeys = keys(effect);
  if (causeKeys.size === 0 || effectKeys.size === 0) return null;
  const shared = new Set([...effectKeys].filter((k) => causeKeys.has(k)));
  const unexplained = new Set([...effectKeys].filter((k) => !causeKeys.has(k)));
  const kind = kinds.join('/');
  if (shared.size === 0)
    return {
      test: 'entity',
      passed: false,
      detail: `no ${kind} in common: ${cause.title.toLowerCase()} names ${shown(causeKeys)}; ${effect.title.toLowerCase()} names ${shown(effectKeys)}`,
    };
  return {
    test: 'entity',
    passed: true,
    detail:
      `same ${kind}: ${shown(shared)}` + (unexplained.size > 0 ? `; not linked: ${shown(unexplained)}` : ''),
  };
}
