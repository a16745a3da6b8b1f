import type { Confidence, Finding, HowAnswer, HowChain, HowStep } from '../types/index.js';
import { ROOTS, STEPS, type StepRule } from './rules.js';

/** Evidence quoted per finding in an answer: enough to check the claim without repeating the findings. */
const EVIDENCE_PER_FINDING = 3;
const RANK: Confidence[] = ['low', 'medium', 'high'];

function weakest(findings: Finding[]): Confidence | null {
  if (findings.length === 0) return null;
  return findings.map((f) => f.confidence).reduce((a, b) => (RANK.indexOf(a) <= RANK.indexOf(b) ? a : b));
}

function capped(confidence: Confidence | null, cap: Confidence | undefined): Confidence | null {
  if (confidence === null || cap === undefined) return confidence;
  return RANK.indexOf(confidence) <= RANK.indexOf(cap) ? confidence : cap;
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
  const visited = new Set<string>();
  // Depth-first from each symptom in turn, so each line of questioning reads top to bottom.
  const ask = (id: string, depth: number): void => {
    if (visited.has(id)) return;
    visited.add(id);
    const rule = byId.get(id);
    if (!rule) throw new Error(`how's chain rule ${id} is referenced but not defined`);
    const answers: HowAnswer[] = [];
    for (const answer of rule.answers) {
      const backing = answer.anyOf.flatMap((f) => found.get(f) ?? []);
      if (backing.length === 0) continue;
      answers.push({
        kind: 'answer',
        text: answer.text(found),
        findings: backing.map((f) => f.id),
        evidence: backing.flatMap((f) => f.evidence.slice(0, EVIDENCE_PER_FINDING)),
        confidence: capped(weakest(backing), answer.maxConfidence),
        next: answer.next(found),
        collectNext: answer.collectNext ?? [],
      });
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
    steps.push({ id, question: rule.question(found), answers, depth });
    for (const answer of answers) if (answer.next) ask(answer.next, depth + 1);
  };
  for (const root of roots) ask(root, 0);
  return { roots, steps, gaps };
}
