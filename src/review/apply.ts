import { maskPersonalNumbers } from '../privacy/mask.js';
import type { CallResult, Finding, RuleOutcome } from '../scoring/score-call.js';
import { findingIds } from './ids.js';
import type { Review, Verdict } from './verdict.js';

/**
 * A verdict as a finding keeps it (results.jsonl's `findings[].review`), with what the finding and its rule
 * were before any verdict: a later verdict (an appeal that upholds a rejected finding) restores them.
 */
export interface FindingReview {
  verdict: Verdict;
  note: string;
  reviewer: string;
  /** When it was given (reviews.csv's reviewed_at). */
  at: string;
  /** What the finding deducted before any verdict. */
  deduction: number;
  /** Its rule failed the call (outcome `fail`) before any verdict. */
  ruleFailed?: true;
  /** Its rule was one of the call's critical failures (一票否决) before any verdict. */
  critical?: true;
}

/** The time a verdict orders by: its `at`; one that does not parse comes before any that does. */
function timeOf(review: Review): number {
  const t = Date.parse(review.at);
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

/**
 * The verdict that stands for each finding: the latest by `at`; among equal times the later file, then the
 * later line (`reviews` in the order read: readReviews reads the files in the order named, each top to bottom).
 */
export function standingVerdicts(reviews: readonly Review[]): Map<string, Review> {
  const standing = new Map<string, Review>();
  for (const review of reviews) {
    const before = standing.get(review.findingId);
    if (before === undefined || timeOf(review) >= timeOf(before)) standing.set(review.findingId, review);
  }
  return standing;
}

/** A rule's state before any verdict, read from its findings' reviews when verdicts changed it already. */
interface RuleBefore {
  failed: boolean;
  critical: boolean;
}

function rulesBefore(result: CallResult): Map<string, RuleBefore> {
  const rules = new Map<string, RuleBefore>();
  const critical = new Set(result.criticalFailures);
  for (const f of result.findings) {
    const rule = rules.get(f.rule) ?? { failed: result.outcomes[f.rule] === 'fail', critical: critical.has(f.rule) };
    if (f.review?.ruleFailed) rule.failed = true;
    if (f.review?.critical) rule.critical = true;
    rules.set(f.rule, rule);
  }
  return rules;
}

/** Rounds away the last bits of a difference of decimals (87.5 − 100 + 12.5 may come out as 1e-14). */
function tidy(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/**
 * The bonus a result's score holds (scoreCall's points for rules passed): saved since reviews; for an older
 * record, inferred from its score where the score tells it: a score strictly between 0 and 100 was not clamped,
 * so bonus = score − 100 + the rules' deductions (the model's deducted after the clamp); a score of 100 holds at
 * least the rules' deductions (the least is taken: any more gives 100 too); a score of 0 (or a critical failure)
 * tells nothing, and 0 is taken.
 */
export function bonusOf(result: CallResult): number {
  if (result.bonus !== undefined) return result.bonus;
  if (result.criticalFailures.length > 0 || result.score <= 0) return 0;
  let rules = 0;
  let llm = 0;
  for (const f of result.findings) {
    if (f.rule.startsWith('llm:')) llm += f.deduction;
    else rules += f.deduction;
  }
  const beforeModel = result.score + llm;
  return tidy(beforeModel >= 100 ? rules : beforeModel - 100 + rules);
}

/**
 * scoreCall's score and applyLlm's after it: max(0, 100 − the rules' deductions + bonus) at most 100, less the
 * model's deductions (at least 0); 0 on a critical failure. Summed in the findings' order, as scoreCall does.
 */
function scoreOf(findings: readonly Finding[], bonus: number, critical: boolean): number {
  if (critical) return 0;
  let rules = 0;
  let llm = 0;
  for (const f of findings) {
    if (f.rule.startsWith('llm:')) llm += f.deduction;
    else rules += f.deduction;
  }
  const score = Math.min(100, Math.max(0, 100 - rules + bonus));
  return llm > 0 ? Math.max(0, score - llm) : score;
}

/** A finding judged: its verdict kept with what it deducted before, and what it deducts now (nothing when rejected). */
function judged(f: Finding, review: Review, rule: RuleBefore | undefined): Finding {
  const deduction = f.review ? f.review.deduction : f.deduction;
  const kept: FindingReview = { verdict: review.verdict, note: review.note, reviewer: review.reviewer, at: review.at, deduction };
  if (rule?.failed) kept.ruleFailed = true;
  if (rule?.critical) kept.critical = true;
  return { ...f, deduction: review.verdict === 'rejected' ? 0 : deduction, review: kept };
}

/** The rules every finding of which (`which`: those that count) is rejected. */
function overturnedRules(findings: readonly Finding[], which: (f: Finding) => boolean = () => true): Set<string> {
  const judgedAll = new Map<string, boolean>();
  for (const f of findings) if (which(f)) judgedAll.set(f.rule, (judgedAll.get(f.rule) ?? true) && f.review?.verdict === 'rejected');
  return new Set([...judgedAll].filter(([, all]) => all).map(([rule]) => rule));
}

/**
 * A call's result with the verdicts on its findings applied (`verdicts`: by finding id, standingVerdicts). Ids
 * are findingIds' over the masked evidence, as findings.csv shows them (masking is idempotent: a record read back
 * and a result fresh from scoreCall give the same ids). A rejected finding deducts nothing; a rule every finding
 * of which is rejected passes (when it failed) and is no longer a critical failure; confirmed and unsure ones are
 * marked and change no figure. The score and `passed` are recomputed (score = 100 − deductions + bonus, clamped;
 * bonusOf). Each judged finding keeps what it deducted before any verdict, so a later verdict that upholds it
 * restores it; a finding no verdict names keeps the review it had. Pure: the result given is not changed (the
 * same result back when no verdict names any of its findings), and applying the same verdicts again changes nothing.
 */
export function applyVerdicts<T extends CallResult>(result: T, verdicts: ReadonlyMap<string, Review>, passScore: number): T {
  if (verdicts.size === 0 || result.findings.length === 0) return result;
  const ids = findingIds(
    result.callId,
    result.findings.map((f) => ({ rule: f.rule, at: f.at, evidence: maskPersonalNumbers(f.evidence) })),
  );
  if (!ids.some((id) => verdicts.has(id))) return result;
  const before = rulesBefore(result);
  const findings = result.findings.map((f, i) => {
    const review = verdicts.get(ids[i] as string);
    return review ? judged(f, review, before.get(f.rule)) : f;
  });
  const overturned = overturnedRules(findings);
  const outcomes: Record<string, RuleOutcome> = Object.create(null);
  for (const [rule, outcome] of Object.entries(result.outcomes)) {
    const failed = before.get(rule)?.failed ?? outcome === 'fail';
    outcomes[rule] = failed ? (overturned.has(rule) ? 'pass' : 'fail') : outcome;
  }
  // A critical rule zeroes the call while one of its findings of a critical kind stands (privacy: an ID number
  // overturned, a mobile read back left: the mobile deducts, the call is no longer 0).
  const criticalFailures = criticalOf(
    result,
    before,
    overturnedRules(findings, (f) => f.critical !== false),
  );
  const bonus = bonusOf(result);
  const score = scoreOf(findings, bonus, criticalFailures.length > 0);
  const reviewed: T = { ...result, score, passed: score >= passScore, outcomes, findings, criticalFailures };
  if (bonus !== 0) reviewed.bonus = bonus;
  return reviewed;
}

/** The critical failures that stand: those before any verdict (in the rules' order) less the rules whose critical findings are all overturned. */
function criticalOf(result: CallResult, before: ReadonlyMap<string, RuleBefore>, overturned: ReadonlySet<string>): string[] {
  const all = [...result.criticalFailures];
  for (const [rule, state] of before) if (state.critical && !all.includes(rule)) all.push(rule);
  const order = Object.keys(result.outcomes);
  const place = (rule: string) => {
    const at = order.indexOf(rule);
    return at < 0 ? order.length : at;
  };
  return all.sort((a, b) => place(a) - place(b)).filter((rule) => !overturned.has(rule));
}

/** findings.csv's `verdict` and `review_note` cells of a finding: its verdict's id and note, empty when none. */
export function reviewCells(f: Pick<Finding, 'review'>): [string, string] {
  return f.review ? [f.review.verdict, f.review.note] : ['', ''];
}
