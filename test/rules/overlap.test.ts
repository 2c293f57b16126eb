import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/format.js';
import { parseRubric } from '../../src/rubric/load.js';
import rule from '../../src/rules/overlap.js';
import { EMPTY_CONTEXT, optionsSchema } from '../../src/rules/types.js';
import { call, ruleTable } from '../helpers/rule-table.js';

/** The run's language Simplified Chinese: messages as a QA supervisor writes them. */
const ZH = { ...EMPTY_CONTEXT, say: translator('zh-CN') };

/** The agent cuts in at 5 for 3 s; the customer cuts in at 9 for 1.5 s. */
const CROSSTALK = call([
  '[00:00-00:08] customer: 我上个月的账单多扣了五十块钱。',
  '[00:05-00:10.5] agent: 您先别急，这个是系统自动扣的。',
  '[00:09-00:14] customer: 自动扣的也不对啊。',
]);

describe('overlap', () => {
  ruleTable(rule, {
    valid: [
      { name: 'no overlap', call: call(['[00:00-00:04] customer: 喂？', '[00:04.5-00:08] agent: 您好，请讲。']), options: { min_seconds: 0 } },
      { name: 'overlaps under min_seconds', call: CROSSTALK, options: { min_seconds: 3.5 } },
      { name: 'by: customer, max_count 1', call: CROSSTALK, options: { by: 'customer', min_seconds: 1, max_count: 1 } },
      { name: 'by: any, max_count 2', call: CROSSTALK, options: { min_seconds: 0, max_count: 2 } },
      { name: 'touching turns do not overlap', call: call(['[00:00-00:04] customer: 喂？', '[00:04-00:08] agent: 您好。']), options: { min_seconds: 0 } },
    ],
    invalid: [
      {
        name: 'by: any (the default) lists both directions',
        call: CROSSTALK,
        options: { min_seconds: 1 },
        findings: [
          { at: 5, message: 'the agent started speaking while the customer was still speaking (3 s of overlap)', evidence: '您先别急，这个是系统自动扣的。' },
          { at: 9, message: 'the customer started speaking while the agent was still speaking (1.5 s of overlap)', evidence: '自动扣的也不对啊。' },
        ],
      },
      { name: 'by: agent', call: CROSSTALK, options: { by: 'agent', min_seconds: 1 }, findings: [{ at: 5, message: /^the agent started/ }] },
      { name: 'by: customer', call: CROSSTALK, options: { by: 'customer', min_seconds: 1 }, findings: [{ at: 9, message: /^the customer started/ }] },
      { name: 'min_seconds filters', call: CROSSTALK, options: { min_seconds: 2 }, findings: [{ at: 5 }] },
      {
        name: 'Traditional script, verbatim evidence',
        call: call(['[00:00-00:06] 客戶：我要投訴。', '[00:04-00:07] 客服：您先聽我說。']),
        options: { by: 'agent', min_seconds: 0.5 },
        findings: [{ at: 4, message: /2 s of overlap/, evidence: '您先聽我說。' }],
      },
    ],
    notApplicable: [{ name: 'untimed transcript', call: call(['customer: 喂？', 'agent: 您好。']), options: { min_seconds: 0 } }],
  });

  it('hits are the overlaps that count, whatever the outcome', () => {
    const options = optionsSchema(rule).parse({ min_seconds: 1, max_count: 5 }) as never;
    expect(rule.check(CROSSTALK, options, EMPTY_CONTEXT)).toEqual({ outcome: 'pass', findings: [], hits: [5, 9] });
  });

  it('validates its options with the key path', () => {
    const yaml = (opts: string) => `name: t\nrules:\n  crosstalk:\n    type: overlap\n${opts}`;
    expect(() => parseRubric(yaml('    by: agent\n'), 'r.yaml')).toThrow('rules.crosstalk.min_seconds: expected a number, got nothing');
    expect(() => parseRubric(yaml('    by: both\n    min_seconds: 1\n'), 'r.yaml')).toThrow(
      'r.yaml:5: rules.crosstalk.by: expected agent, customer or any, got "both"',
    );
    expect(() => parseRubric(yaml('    min_seconds: -1\n'), 'r.yaml')).toThrow('rules.crosstalk.min_seconds: expected a number ≥ 0, got -1');
    expect(() => parseRubric(yaml('    min_seconds: 1\n    max_count: 2.5\n'), 'r.yaml')).toThrow(
      'rules.crosstalk.max_count: expected a whole number, got 2.5',
    );
    expect(parseRubric(yaml('    min_seconds: 1\n'), 'r.yaml').rules[0]?.options).toMatchObject({ by: 'any', min_seconds: 1, max_count: 0 });
  });
});

describe('overlap in Chinese', () => {
  ruleTable(rule, {
    invalid: [
      {
        name: 'zh-CN: who started speaking over whom',
        call: CROSSTALK,
        options: { min_seconds: 1 },
        context: ZH,
        findings: [{ message: '坐席在客户尚未说完时开始说话（重叠 3 秒）' }, { message: '客户在坐席尚未说完时开始说话（重叠 1.5 秒）' }],
      },
    ],
  });
});
