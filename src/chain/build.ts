import type { AnyDetector, DetectorContext } from '../analyze/detector.js';
import type { Confidence, Finding, HowAnswer, HowChain, HowStep, LinkTest } from '../types/index.js';

/** Evidence quoted per finding in an answer: enough to check the claim without repeating the findings. */
const EVIDENCE_PER_FINDING = 3;
const RANK: Record<Confidence, number> = { low: 0, medium: 1, high: 2 };
const lower = (a: Confidence, b: Confidence): Confidence => (RANK[a] <= RANK[b] ? a : b);

/**
 * Confidence is earned by the link's tests: a passed statistic, or the same entity in the right time
 * order, is strong; one passed test of entity or time is medium; a link no test could check, or one
 * that failed a test, is low and is reported as co-occurrence. It never exceeds the cause finding's own
 * confidence or the link's cap.
 */
export function linkConfidence(
  tests: LinkTest[],
  cause: Finding,
  cap: Confidence | undefined,
): { kind: 'answer' | 'co-occurrence'; confidence: Confidence; reason: string } {
  const failed = tests.filter((t) => !t.passed);
  if (tests.length === 0)
    return { kind: 'co-occurrence', confidence: 'low', reason: 'no link test could be run on this evidence' };
  if (failed.length > 0)
    return {
      kind: 'co-occurrence',
      confidence: 'low',
      reason: `failed the ${failed.map((t) => t.test).join(' and ')} test: present, not shown to cause`,
    };
  const passed = new Set(tests.map((t) => t.test));
  const strong = passed.has('statistic') || (passed.has('entity') && passed.has('time'));
  let confidence: Confidence = strong ? 'high' : 'medium';
  const why = [`passed the ${[...passed].join(', ')} test${passed.size === 1 ? '' : 's'}`];
  if (RANK[cause.confidence] < RANK[confidence]) {
    confidence = cause.confidence;
    why.push(`the finding itself is ${cause.confidence} confidence`);
  }
  if (cap && RANK[cap] < RANK[confidence]) {
    confidence = cap;
    why.push('the answer is inferred beyond what the tests show');
  }
  return { kind: 'answer', confidence, reason: why.join('; ') };
}

interface Edge {
  cause: Finding;
  answer: HowAnswer;
}

/**
 * Builds the how's chain from the findings: every detector states which findings it can explain and
 * by which tests; the chain starts at the symptoms the evidence shows and walks "how?" down the links
 * that passed. Links that failed a test are shown beside them as co-occurrence and not followed. A
 * finding nothing explains is where the evidence ends: a gap naming what to collect next.
 */
export function buildChain(
  findings: Finding[],
  detectors: readonly AnyDetector[],
  context: DetectorContext,
): HowChain {
  const found = findings.filter((f) => f.status === 'found');
  const byId = new Map(found.map((f) => [f.id, f]));
  const detectorOf = new Map(detectors.map((d) => [d.id, d]));
  const order = new Map(detectors.map((d, i) => [d.id, i]));

  // Every link that could apply, with its tests run once.
  const into = new Map<string, Edge[]>();
  for (const cause of found) {
    for (const link of detectorOf.get(cause.id)?.links ?? []) {
      const effect = byId.get(link.explains);
      if (!effect || effect === cause) continue;
      let tests: LinkTest[];
      try {
        tests = link.tests(cause, effect, context);
      } catch (error) {
        tests = [
          {
            test: 'entity',
            passed: false,
            detail: `the link test failed to run: ${(error as Error).message}`,
          },
        ];
      }
      const verdict = linkConfidence(tests, cause, link.maxConfidence);
      const answer: HowAnswer = {
        kind: verdict.kind,
        // A link's own wording claims the link; a co-occurrence gets the bare finding.
        text: link.text && verdict.kind === 'answer' ? link.text(cause, effect, context) : cause.claim,
        findings: [cause.id],
        evidence: cause.evidence.slice(0, EVIDENCE_PER_FINDING),
        confidence: verdict.confidence,
        tests,
        confidenceReason: verdict.reason,
        next: null,
        collectNext: [],
      };
      const list = into.get(effect.id) ?? [];
      list.push({ cause, answer });
      into.set(effect.id, list);
    }
  }
  for (const edges of into.values())
    edges.sort(
      (a, b) =>
        Number(b.answer.kind === 'answer') - Number(a.answer.kind === 'answer') ||
        RANK[b.answer.confidence!] - RANK[a.answer.confidence!] ||
        order.get(a.cause.id)! - order.get(b.cause.id)!,
    );

  // Every symptom the evidence shows starts a line of questioning; one reached from another symptom's
  // line is asked there, once.
  const roots = found.filter((f) => detectorOf.get(f.id)?.role === 'symptom').map((f) => f.id);
  const steps: HowStep[] = [];
  const gaps: HowChain['gaps'] = [];
  const visited = new Set<string>();
  // Depth-first from each symptom in turn, so each line of questioning reads top to bottom. An
  // explicit stack keeps deep chains off the call stack.
  const stack: { id: string; depth: number }[] = roots.map((id) => ({ id, depth: 0 })).reverse();
  while (stack.length > 0) {
    const { id, depth } = stack.pop()!;
    if (visited.has(id)) continue;
    visited.add(id);
    const finding = byId.get(id)!;
    const detector = detectorOf.get(id)!;
    const answers = (into.get(id) ?? []).map(({ cause, answer }) => ({
      ...answer,
      next: answer.kind === 'answer' ? cause.id : null,
    }));
    if (!answers.some((a) => a.kind === 'answer')) {
      const missing = detector.unexplained(finding);
      answers.push({
        kind: 'gap',
        text: missing,
        findings: [],
        evidence: [],
        confidence: null,
        tests: [],
        confidenceReason: null,
        next: null,
        collectNext: detector.collectNext,
      });
      gaps.push({ step: id, missing, collectNext: detector.collectNext });
    }
    steps.push({ id, finding: id, question: detector.question(finding), answers, depth });
    const next = answers.flatMap((a) => (a.next ? [a.next] : []));
    for (let i = next.length - 1; i >= 0; i--) stack.push({ id: next[i]!, depth: depth + 1 });
  }
  return { conclusion: conclude(roots, into, order), roots, steps, gaps };
}

/**
 * The deepest cause reached from a symptom through answers of medium or high confidence; the longest
 * such path wins, then the one with the stronger weakest link, then the one through detectors
 * registered earlier (the registry lists likelier causes first). Other symptoms traced to a cause by
 * a path sharing no finding with that one are independent problems in the same evidence (`also`),
 * so the summary can name them instead of leaving them to the chain section.
 */
function conclude(
  roots: string[],
  into: Map<string, Edge[]>,
  order: Map<string, number>,
): HowChain['conclusion'] {
  const rank = (path: string[]) => path.map((id) => order.get(id) ?? 0);
  const earlier = (a: number[], b: number[]) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
    return false;
  };
  type Path = { path: string[]; weakest: Confidence };
  const isBetter = (current: Path, best: Path | null) =>
    !best ||
    current.path.length > best.path.length ||
    (current.path.length === best.path.length &&
      (RANK[current.weakest] > RANK[best.weakest] ||
        (current.weakest === best.weakest && earlier(rank(current.path), rank(best.path)))));
  /** The best path from `root` through none of the findings in `avoid`. */
  const bestFrom = (root: string, avoid: ReadonlySet<string>): Path => {
    let best: Path | null = null;
    const stack: Path[] = [{ path: [root], weakest: 'high' }];
    while (stack.length > 0) {
      const current = stack.pop()!;
      const last = current.path[current.path.length - 1]!;
      if (isBetter(current, best)) best = current;
      for (const { cause, answer } of into.get(last) ?? []) {
        if (answer.kind !== 'answer' || RANK[answer.confidence!] < RANK.medium) continue;
        if (current.path.includes(cause.id) || avoid.has(cause.id)) continue;
        stack.push({
          path: [...current.path, cause.id],
          weakest: lower(current.weakest, answer.confidence!),
        });
      }
    }
    return best!;
  };
  const best = roots
    .map((root) => bestFrom(root, new Set()))
    .reduce<Path | null>((chosen, path) => (isBetter(path, chosen) ? path : chosen), null);
  if (!best) return { symptom: null, cause: null, path: [], also: [] };
  const taken = new Set(best.path);
  const also: HowChain['conclusion']['also'] = [];
  for (const root of roots) {
    if (taken.has(root)) continue;
    const other = bestFrom(root, taken);
    if (other.path.length < 2) continue;
    for (const id of other.path) taken.add(id);
    also.push({ symptom: root, cause: other.path[other.path.length - 1]!, path: other.path });
  }
  return {
    symptom: best.path[0]!,
    cause: best.path.length > 1 ? best.path[best.path.length - 1]! : null,
    path: best.path,
    also,
  };
}
