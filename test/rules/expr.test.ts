import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/format.js';
import { parseRubric, RubricError } from '../../src/rubric/load.js';
import rule from '../../src/rules/expr.js';
import type { Outcome, RuleContext, RuleResult } from '../../src/rules/types.js';
import { EMPTY_CONTEXT, optionsSchema } from '../../src/rules/types.js';
import { scoreCall } from '../../src/scoring/score-call.js';
import { call, ruleTable } from '../helpers/rule-table.js';

/** The run's language Simplified Chinese: messages as a QA supervisor writes them. */
const ZH = { ...EMPTY_CONTEXT, say: translator('zh-CN') };

const RETENTION = '!cancel-mentioned || retention-offered';

function results(outcomes: Record<string, Outcome | RuleResult>): RuleContext {
  return {
    ...EMPTY_CONTEXT,
    results: new Map(Object.entries(outcomes).map(([id, r]) => [id, typeof r === 'string' ? { outcome: r, findings: [] } : r])),
  };
}

const plain = call(['客户：我要把宽带取消了。', '坐席：好的，已经为您办理。']);
const timed = call(['[00:00-00:04] 坐席：您好，星辰通信。', '[00:05-00:09] 客户：我要把宽带取消了。', '[00:10-00:13] 坐席：好的，已经为您办理。']);

describe('expr', () => {
  ruleTable(rule, {
    valid: [
      {
        name: 'the condition holds: cancellation met by a retention offer',
        call: plain,
        options: { when: RETENTION },
        context: results({ 'cancel-mentioned': 'pass', 'retention-offered': 'pass' }),
      },
      {
        name: 'no cancellation: the implication holds whatever follows',
        call: plain,
        options: { when: RETENTION },
        context: results({ 'cancel-mentioned': 'fail', 'retention-offered': 'fail' }),
      },
      {
        name: 'n/a counts as true (the offer rule could not place its window)',
        call: plain,
        options: { when: 'greeting && closing' },
        context: results({ greeting: 'pass', closing: 'n/a' }),
      },
      {
        name: 'Chinese rule ids',
        call: plain,
        options: { when: '提及退订 && 挽留话术' },
        context: results({ 提及退订: 'pass', 挽留话术: 'pass' }),
      },
      {
        name: 'a lone id',
        call: plain,
        options: { when: 'greeting' },
        context: results({ greeting: 'pass' }),
      },
    ],
    invalid: [
      {
        name: 'cancellation without a retention offer; points at where the named rules observed',
        call: timed,
        options: { when: RETENTION },
        context: results({
          'cancel-mentioned': { outcome: 'pass', findings: [], hits: [5] },
          'retention-offered': {
            outcome: 'fail',
            findings: [{ at: 10, message: 'none of "优惠" said by the agent', evidence: '好的，已经为您办理。' }],
            hits: [],
          },
        }),
        findings: [
          {
            at: 5,
            message: '"!cancel-mentioned || retention-offered" is false (cancel-mentioned: pass, retention-offered: fail)',
            evidence: '我要把宽带取消了。',
          },
        ],
      },
      {
        name: 'the earliest finding of a named rule, with its evidence',
        call: timed,
        options: { when: 'a && b' },
        context: results({
          a: { outcome: 'fail', findings: [{ at: 10, message: 'x', evidence: '好的，已经为' }] },
          b: { outcome: 'fail', findings: [{ at: 0, message: 'y', evidence: '您好' }], hits: [5] },
        }),
        findings: [{ at: 0, message: '"a && b" is false (a: fail, b: fail)', evidence: '您好' }],
      },
      {
        name: 'untimed: no time, the first untimed finding as evidence',
        call: plain,
        options: { when: 'a || b' },
        context: results({ a: 'fail', b: { outcome: 'fail', findings: [{ message: 'y', evidence: '好的，已经为您办理。' }] } }),
        findings: [{ at: undefined, message: '"a || b" is false (a: fail, b: fail)', evidence: '好的，已经为您办理。' }],
      },
      {
        name: 'nothing observed: no time, empty evidence',
        call: timed,
        options: { when: '!a' },
        context: results({ a: 'pass' }),
        findings: [{ message: '"!a" is false (a: pass)', evidence: '' }],
      },
      {
        name: 'a rule that errored (absent from the results) is false',
        call: plain,
        options: { when: 'greeting || closing' },
        context: results({ greeting: 'fail' }),
        findings: [{ message: '"greeting || closing" is false (greeting: fail, closing: error)' }],
      },
      {
        name: 'the expression is shown as written, trimmed',
        call: plain,
        options: { when: '  !(a&&b) ' },
        context: results({ a: 'n/a', b: 'pass' }),
        findings: [{ message: '"!(a&&b)" is false (a: n/a, b: pass)' }],
      },
    ],
    notApplicable: [
      {
        name: 'every named rule was n/a',
        call: plain,
        options: { when: '!a && !b' },
        context: results({ a: 'n/a', b: 'n/a' }),
      },
    ],
  });

  it('finding at is absent, not undefined-valued, for untimed calls', () => {
    const options = optionsSchema(rule).parse({ when: 'a' }) as never;
    const [finding] = rule.check(plain, options, results({ a: 'fail' })).findings;
    expect(finding).toEqual({ evidence: '', message: '"a" is false (a: fail)' });
  });

  it('depends on every id it names, once each', () => {
    const options = optionsSchema(rule).parse({ when: '!a || (b && a) || 提及退订' }) as never;
    expect(rule.dependsOn?.(options)).toEqual(['a', 'b', '提及退订']);
  });

  it('rejects a syntax error as an issue on `when` with the position', () => {
    const parsed = optionsSchema(rule).safeParse({ when: 'a && (b ||' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => ({ path: i.path, message: i.message }))).toEqual([
      { path: ['when'], message: 'invalid expression "a && (b ||" at column 11: expected a rule id, "!" or "(" after "||", got the end of the expression' },
    ]);
  });

  it('requires `when`', () => {
    expect(optionsSchema(rule).safeParse({}).success).toBe(false);
  });
});

describe('expr in a rubric', () => {
  const rubric = (rules: string) => `name: t\nrules:\n${rules}`;
  const problems = (text: string): string[] => {
    try {
      parseRubric(text, 'r.yaml');
    } catch (err) {
      if (err instanceof RubricError) return err.problems;
      throw err;
    }
    return [];
  };

  it('reports a syntax error at rules.<id>.when with its line', () => {
    const text = rubric('  hangup-order: {}\n  combo:\n    type: expr\n    when: "hangup-order &&"\n');
    expect(problems(text)).toEqual([
      'r.yaml:6: rules.combo.when: invalid expression "hangup-order &&" at column 16: expected a rule id, "!" or "(" after "&&", got the end of the expression',
    ]);
  });

  it('reports an unknown character', () => {
    const text = rubric('  hangup-order: {}\n  combo: { type: expr, when: "hangup-order = 1" }\n');
    expect(problems(text)).toEqual([
      'r.yaml:4: rules.combo.when: invalid expression "hangup-order = 1" at column 14: unexpected character "="; expected a rule id (letters, digits, "-", "_"), "&&", "||", "!", "(" or ")"',
    ]);
  });

  it('rejects ids that are not rules of the rubric, and cycles', () => {
    expect(problems(rubric('  hangup-order: {}\n  combo: { type: expr, when: "hangup-order && nope" }\n'))).toEqual([
      'r.yaml:4: rules.combo: refers to "nope", which is not a rule of this rubric',
    ]);
    const cycle = problems(rubric('  a: { type: expr, when: "b" }\n  b: { type: expr, when: "!a" }\n'));
    expect(cycle).toHaveLength(1);
    expect(cycle[0]).toMatch(/rules refer to each other in a cycle: (a → b → a|b → a → b)/);
  });

  it('runs after the rules it names, whatever the rubric order, and scores from their outcomes', () => {
    const loaded = parseRubric(
      rubric(
        [
          '  keep-customer: { type: expr, when: "!cancel-mentioned || retention-offered", deduction: 10 }',
          '  cancel-mentioned: { type: phrases, phrases: [取消, 退订], speaker: customer, deduction: 0 }',
          '  retention-offered: { type: phrases, phrases: [优惠], window: { after: cancel-mentioned }, deduction: 0 }',
        ].join('\n'),
      ),
      'r.yaml',
    );
    expect(loaded.rules.map((r) => r.id)).toEqual(['cancel-mentioned', 'retention-offered', 'keep-customer']);
    const result = scoreCall(timed, loaded);
    expect(result.outcomes).toEqual({ 'cancel-mentioned': 'pass', 'retention-offered': 'fail', 'keep-customer': 'fail' });
    expect(result.findings.find((f) => f.rule === 'keep-customer')).toMatchObject({
      rule: 'keep-customer',
      at: 5,
      deduction: 10,
      message: '"!cancel-mentioned || retention-offered" is false (cancel-mentioned: pass, retention-offered: fail)',
      evidence: '我要把宽带取消了。',
    });
    expect(result.score).toBe(90);
  });
});

describe('expr in Chinese', () => {
  const zh = (outcomes: Record<string, Outcome>) => ({ ...results(outcomes), say: ZH.say });
  ruleTable(rule, {
    invalid: [
      {
        name: 'zh-CN: the expression as written, each rule by id with its outcome in Chinese',
        call: plain,
        options: { when: RETENTION },
        context: zh({ 'cancel-mentioned': 'pass', 'retention-offered': 'fail' }),
        findings: [{ message: '组合条件“!cancel-mentioned || retention-offered”不成立（cancel-mentioned：通过、retention-offered：未通过）' }],
      },
    ],
  });

  it('zh-CN: waits on review', () => {
    const context = zh({ 'cancel-mentioned': 'pass', 'retention-offered': 'review' });
    const result = rule.check(plain, optionsSchema(rule).parse({ when: RETENTION }) as never, context);
    expect(result.outcome).toBe('review');
    expect(result.findings.map((f) => f.message)).toEqual([
      '组合条件“!cancel-mentioned || retention-offered”需待复核后才能判定（cancel-mentioned：通过、retention-offered：待复核）',
    ]);
  });
});
