import type { PreparedCall } from '../model/call.js';
import type { CallResult, Finding } from '../scoring/score-call.js';
import { compactText } from './evidence.js';
import type { LlmConfig, LlmOutcome } from './types.js';

/** The start of the first utterance holding the quote (masked digits written * match any digit), for the finding's time. */
function quoteTime(call: PreparedCall, quote: string): number | undefined {
  const fragment = compactText(quote.split(/[…⋯]|\.\.+|。。。/)[0] ?? '');
  if (fragment === '') return undefined;
  const pattern = new RegExp(
    fragment.replace(/[.*+?^${}()|[\]\\]/g, (c) => (c === '*' ? '.' : `\\${c}`)),
    'u',
  );
  return call.utterances.find((u) => pattern.test(compactText(u.text)))?.start;
}

/**
 * Folds the model's grading into a call's result: each criterion that deducts becomes a finding
 * (`llm:<id>`, its reason and verified evidence), and the score drops by what they deduct. An
 * unverified criterion deducts nothing; a grading that failed changes nothing but the status.
 */
export function applyLlm(result: CallResult, outcome: LlmOutcome, config: LlmConfig, passScore: number, call: PreparedCall): CallResult {
  result.llm = outcome;
  if (outcome.status !== 'ok' && outcome.status !== 'cached') return result;
  let lost = 0;
  for (const grade of outcome.grades ?? []) {
    if (grade.deduction <= 0) continue;
    const criterion = config.criteria.find((c) => c.id === grade.id);
    const finding: Finding = {
      rule: `llm:${grade.id}`,
      deduction: grade.deduction,
      message: `${grade.score}/${criterion?.max_score ?? '?'}: ${grade.reason}`,
      evidence: grade.evidence.join(' / '),
    };
    const at = grade.evidence[0] === undefined ? undefined : quoteTime(call, grade.evidence[0]);
    if (at !== undefined) finding.at = at;
    result.findings.push(finding);
    lost += grade.deduction;
  }
  if (result.criticalFailures.length === 0) result.score = Math.max(0, result.score - lost);
  result.passed = result.score >= passScore;
  return result;
}
