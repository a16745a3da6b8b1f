import type { Confidence, Finding, HowAnswer, HowChain, HowStep } from '../types/index.js';
import { ROOTS, STEPS, type StepRule } from './rules.js';

/** Evidence quoted per finding in an answer: enough to check the claim without repeating the findings. */
const EVIDENCE_PER_FINDING = 3;
const RANK: Confidence[] = ['low', 'medium', 'high'];

function weakest(findings: Finding[]): Confidence | null {
  if (findings.length === 0) return null;
  return findings.map((f) => f.confidence).reduce((a, b) => (RANK.indexOf(a) <= RANK.indexOf(b) ? a : b));
}

/**
 * Builds the how's chain: starting from each user-visible symptom that a finding shows, asks each rule's
 * question, answers it from the findings that exist, and follows every answer to its next question.
 * A question nothing answers stays in the chain as a gap that says what is missing and what to collect.
 * Failed detectors answer nothing.
 */
export function buildChain(findings: Finding[], rules: StepRule[] = STEPS): HowChain {
  const found = new Map(findings.filter((f) => f.status === 'found').map((f) => [f.id, f]));
  const byId = new Map(rules.map((r) => [r.id, r]));
  const roots = ROOTS.filter((r) => found.has(r.symptom)).map((r) => r.step);
  // With no visible symptom, still ask the first question so the draft says what is missing.
  if (roots.length === 0) roots.push(ROOTS[0]!.step);

  const steps: HowStep[] = [];
  const gaps: HowChain['gaps'] = [];
  const depth = new Map<string, number>(roots.map((r) => [r, 0]));
  const queue = [...roots];
  const visited = new Set<string>();
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (visited.has(id)) continue;
    visited.add(id);
    const rule = byId.get(id);
    if (!rule) throw new Error(`how's chain rule ${id} is referenced but not defined`);
    const answers: HowAnswer[] = [];
    for (const answer of rule.answers) {
      const backing = answer.anyOf.flatMap((f) => found.get(f) ?? []);
      if (backing.length === 0) continue;
      const next = answer.next(found);
      answers.push({
        kind: 'answer',
        text: answer.text(found),
        findings: backing.map((f) => f.id),
        evidence: backing.flatMap((f) => f.evidence.slice(0, EVIDENCE_PER_FINDING)),
        confidence: weakest(backing),
        next,
        collectNext: answer.collectNext ?? [],
      });
      if (next && !visited.has(next)) {
        depth.set(next, Math.min(depth.get(next) ?? Infinity, depth.get(id)! + 1));
        queue.push(next);
      }
    }
    if (answers.length === 0) {
      const missing = rule.missing(found);
      answers.push({
        kind: 'gap',
        text: missing,
        findings: [],
        evidence: [],
        confidence: null,
        next: null,
        collectNext: rule.collectNext,
      });
      gaps.push({ step: id, missing, collectNext: rule.collectNext });
    }
    steps.push({ id, question: rule.question(found), answers, depth: depth.get(id)! });
  }
  return { roots, steps, gaps };
}
