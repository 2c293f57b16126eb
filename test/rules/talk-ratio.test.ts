import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/format.js';
import { parseRubric } from '../../src/rubric/load.js';
import rule from '../../src/rules/talk-ratio.js';
import { EMPTY_CONTEXT, optionsSchema } from '../../src/rules/types.js';
import { call, ruleTable } from '../helpers/rule-table.js';

/** The run's language Simplified Chinese: messages as a QA supervisor writes them. */
const ZH = { ...EMPTY_CONTEXT, say: translator('zh-CN') };

/** Agent 0–10 and 20–50 (40 s), customer 8–20 (12 s, 2 s of it over the agent): agent share 40 / 52 = 77%. */
const MONOLOGUE = call([
  '[00:00-00:10] agent: 您好，这里是星辰通信，我是王芳，很高兴为您服务。',
  '[00:08-00:20] customer: 我想换个便宜点的套餐。',
  '[00:20-00:50] agent: 好的，我们现在有三种套餐，第一种五十八元，第二种八十八元，第三种一百二十八元。',
]);

describe('talk-ratio', () => {
  ruleTable(rule, {
    valid: [
      { name: 'under max', call: MONOLOGUE, options: { max: 0.8 } },
      { name: 'within [min, max]', call: MONOLOGUE, options: { min: 0.3, max: 0.8 } },
      { name: 'only the agent spoke, and max is 1', call: call(['[00:00-00:05] agent: 您好。']), options: { max: 1 } },
      { name: 'gaps do not count', call: call(['[00:00-00:05] agent: 您好。', '[01:00-01:05] customer: 你好。']), options: { min: 0.5, max: 0.5 } },
    ],
    invalid: [
      {
        name: 'the agent talks too much: the agent’s longest utterance',
        call: MONOLOGUE,
        options: { max: 0.7 },
        findings: [
          {
            at: 20,
            message: 'the agent did 77% of the talking (40 s of 52 s), more than the 70% allowed',
            evidence: '好的，我们现在有三种套餐，第一种五十八元，第二种八十八元，第三种一百二十八元。',
          },
        ],
      },
      {
        name: 'the agent talks too little: the customer’s longest utterance',
        call: MONOLOGUE,
        options: { min: 0.8 },
        findings: [{ at: 8, message: 'the agent did 77% of the talking (40 s of 52 s), less than the 80% required', evidence: '我想换个便宜点的套餐。' }],
      },
      {
        name: 'the agent never spoke',
        call: call(['[00:00-00:05] 客戶：喂？有人嗎？']),
        options: { min: 0.2 },
        findings: [{ at: 0, message: /^the agent did 0% of the talking \(0 s of 5 s\)/, evidence: '喂？有人嗎？' }],
      },
    ],
    notApplicable: [
      { name: 'untimed transcript', call: call(['agent: 您好。', 'customer: 你好。']), options: { max: 0.7 } },
      { name: 'no speech (zero-length utterances)', call: call(['[00:05-00:05] agent: 您好。']), options: { max: 0.7 } },
    ],
  });

  it('a rule without min or max is refused when it runs', () => {
    expect(() => rule.check(MONOLOGUE, optionsSchema(rule).parse({}) as never, EMPTY_CONTEXT)).toThrow('expected min, max or both');
    expect(() => rule.check(MONOLOGUE, optionsSchema(rule).parse({ min: 0.8, max: 0.2 }) as never, EMPTY_CONTEXT)).toThrow('expected min ≤ max, got 0.8 > 0.2');
  });

  it('validates its options with the key path', () => {
    const yaml = (opts: string) => `name: t\nrules:\n  agent-share:\n    type: talk-ratio\n${opts}`;
    expect(() => parseRubric(yaml('    max: 70\n'), 'r.yaml')).toThrow('r.yaml:5: rules.agent-share.max: expected a number ≤ 1, got 70');
    expect(() => parseRubric(yaml('    min: -0.1\n'), 'r.yaml')).toThrow('rules.agent-share.min: expected a number ≥ 0, got -0.1');
    expect(() => parseRubric(yaml('    max: 70%\n'), 'r.yaml')).toThrow('rules.agent-share.max: expected a number, got "70%"');
  });
});

describe('talk-ratio in Chinese', () => {
  ruleTable(rule, {
    invalid: [
      {
        name: 'zh-CN: above the highest share',
        call: call(['[00:00-00:02] customer: 我想换套餐。', '[00:02-00:20] agent: 好的，我们现在有三种套餐。']),
        options: { max: 0.7 },
        context: ZH,
        findings: [{ message: '坐席说话占比 90%（20 秒中占 18 秒），高于上限 70%' }],
      },
      {
        name: 'zh-CN: below the lowest share',
        call: call(['[00:00-00:18] customer: 我想换套餐，现在这个太贵了。', '[00:18-00:20] agent: 好的。']),
        options: { min: 0.3 },
        context: ZH,
        findings: [{ message: '坐席说话占比 10%（20 秒中占 2 秒），低于下限 30%' }],
      },
    ],
  });
});
