import { z } from 'zod';
import type { PreparedCall } from '../model/call.js';
import { evaluateExpression, type Expression, ExpressionError, expressionIds, parseExpression } from './expression.js';
import { quote } from './helpers.js';
import type { MessageKey } from '../i18n/format.js';
import type { Outcome, RuleContext, RuleFinding } from './types.js';
import { defineRule } from './types.js';

/** What a named rule gave this call: `error` when it threw (or never ran). */
type NamedOutcome = Outcome | 'error';

/** How a finding names each outcome, in the run's language. */
const OUTCOME_KEYS: Record<NamedOutcome, MessageKey> = {
  pass: 'expr.outcome.pass',
  fail: 'expr.outcome.fail',
  'n/a': 'expr.outcome.na',
  review: 'expr.outcome.review',
  error: 'expr.outcome.error',
};

/** Rules awaiting review an expression is tried with every way (2^n combinations); past this it asks for review itself. */
const MAX_UNDECIDED = 8;

const whenSchema = z
  .string()
  .describe('a boolean expression over rule ids: && (and), || (or), ! (not), parentheses; a rule that passed or was n/a is true (required)')
  .transform((source, ctx): { source: string; tree: Expression } => {
    try {
      return { source: source.trim(), tree: parseExpression(source) };
    } catch (err) {
      if (!(err instanceof ExpressionError)) throw err;
      const shown = source.length > 60 ? `${source.slice(0, 57)}...` : source;
      ctx.addIssue({ code: 'custom', message: `invalid expression ${JSON.stringify(shown)} at ${err.message}`, input: shown });
      return z.NEVER;
    }
  });

/**
 * Where the finding points: the earliest moment any named rule observed (its hits and findings),
 * quoting the utterance there; untimed, the first named rule's finding.
 */
function anchor(call: PreparedCall, ids: readonly string[], context: RuleContext): Pick<RuleFinding, 'at' | 'evidence'> {
  let best: { at: number; evidence?: string } | undefined;
  let untimed: string | undefined;
  for (const id of ids) {
    const result = context.results.get(id);
    if (!result) continue;
    for (const t of result.hits ?? []) if (!best || t < best.at) best = { at: t };
    for (const f of result.findings) {
      if (f.at !== undefined && (!best || f.at < best.at)) best = { at: f.at, evidence: f.evidence };
      else if (f.at === undefined) untimed ??= f.evidence;
    }
  }
  if (!best) return { evidence: untimed ?? '' };
  const t = best.at;
  const u = call.utterances.find((x) => x.start === t) ?? call.utterances.find((x) => x.start !== undefined && x.start <= t && t <= (x.end ?? x.start));
  return { at: t, evidence: best.evidence ?? (u ? quote(u) : '') };
}

export default defineRule({
  id: 'expr',
  messages: ['expr.false', 'expr.review'],
  kind: 'type',
  description:
    'Combines other rules of the rubric: passes when `when` is true, a rule being true when it passed or was n/a (false when it failed or errored); n/a when every rule it names was n/a. A false expression is one finding listing the outcomes. A rule awaiting review may be either: when the answer depends on it, the expression awaits review too (no deduction).',
  needs: 'a rule `when` names that was not n/a (the rubric runs them first)',
  defaultDeduction: 5,
  options: { when: whenSchema },
  dependsOn: (options) => expressionIds(options.when.tree),
  check(call, { when }, context) {
    const ids = expressionIds(when.tree);
    const outcomes = new Map<string, NamedOutcome>(ids.map((id) => [id, context.results.get(id)?.outcome ?? 'error']));
    if (ids.every((id) => outcomes.get(id) === 'n/a')) return { outcome: 'n/a', findings: [] };
    // A rule awaiting review is true or false, nobody knows yet: the expression decides only if it comes
    // out the same either way (every combination, for a few such rules); otherwise it asks for review too.
    const undecided = ids.filter((id) => outcomes.get(id) === 'review');
    const results = new Set<boolean>();
    const combinations = undecided.length <= MAX_UNDECIDED ? 2 ** undecided.length : 0;
    for (let bits = 0; bits < combinations && results.size < 2; bits++) {
      const value = (id: string) => {
        const k = undecided.indexOf(id);
        if (k >= 0) return (bits & (1 << k)) !== 0;
        const outcome = outcomes.get(id);
        return outcome === 'pass' || outcome === 'n/a';
      };
      results.add(evaluateExpression(when.tree, value));
    }
    if (results.size === 1 && results.has(true)) return { outcome: 'pass', findings: [] };
    // The rules by id, as the quoted expression names them.
    const { say } = context;
    const params = {
      expression: when.source,
      outcomes: ids.map((id) => say('expr.outcome', { rule: id, outcome: say(OUTCOME_KEYS[outcomes.get(id) ?? 'error']) })),
    };
    if (results.size !== 1) return { outcome: 'review', findings: [{ ...anchor(call, ids, context), message: say('expr.review', params) }] };
    return { outcome: 'fail', findings: [{ ...anchor(call, ids, context), message: say('expr.false', params) }] };
  },
  examples: {
    pass: [
      {
        name: 'the customer asks to cancel and the agent offers to keep them',
        turns: ['客户：我要把宽带取消了。', '坐席：理解您的想法，我们现在有老用户续约优惠，您看要不要了解一下？'],
        options: { when: '!cancel-mentioned || retention-offered' },
        others: { 'cancel-mentioned': 'pass', 'retention-offered': 'pass' },
      },
      {
        name: 'no cancellation: nothing to retain',
        turns: ['客户：我想查一下话费。', '坐席：好的，请稍等。'],
        options: { when: '!cancel-mentioned || retention-offered' },
        others: { 'cancel-mentioned': 'fail', 'retention-offered': 'n/a' },
      },
    ],
    fail: [
      {
        name: 'the customer asks to cancel and the agent just does it',
        turns: ['客户：我要把宽带取消了。', '坐席：好的，已经为您办理。'],
        options: { when: '!cancel-mentioned || retention-offered' },
        others: { 'cancel-mentioned': 'pass', 'retention-offered': 'fail' },
      },
    ],
  },
});
