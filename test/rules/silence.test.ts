import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/format.js';
import { parseRubric } from '../../src/rubric/load.js';
import rule from '../../src/rules/silence.js';
import { EMPTY_CONTEXT, type RuleContext } from '../../src/rules/types.js';
import { call, ruleTable } from '../helpers/rule-table.js';

/** The run's language Simplified Chinese: messages as a QA supervisor writes them. */
const ZH = { ...EMPTY_CONTEXT, say: translator('zh-CN') };

const afterRule = (id: string, hits: number[]): RuleContext => ({ ...EMPTY_CONTEXT, results: new Map([[id, { outcome: 'pass', findings: [], hits }]]) });

/** Gaps: 4–12 (8 s, after the agent) and 16–36 (20 s, after the customer). */
const TWO_GAPS = call(['[00:00-00:04] agent: 您好，很高兴为您服务。', '[00:12-00:16] customer: 我的宽带断了。', '[00:36-00:40] agent: 好的，我帮您看看。']);

describe('silence', () => {
  ruleTable(rule, {
    valid: [
      { name: 'no silence over max_seconds', call: TWO_GAPS, options: { max_seconds: 20 } },
      { name: 'max_count tolerates some', call: TWO_GAPS, options: { max_seconds: 5, max_count: 2 } },
      { name: 'window: only the silence after the first turn', call: TWO_GAPS, options: { max_seconds: 10, window: { first_turns: 1 } } },
      { name: 'window: first_seconds', call: TWO_GAPS, options: { max_seconds: 10, window: { first_seconds: 10 } } },
      { name: 'window: last_turns (nothing follows the last turn)', call: TWO_GAPS, options: { max_seconds: 5, window: { last_turns: 1 } } },
      {
        name: 'window: after another rule hit',
        call: TWO_GAPS,
        options: { max_seconds: 10, window: { after: 'hold' } },
        context: afterRule('hold', [36]),
      },
      {
        name: 'overlapping turns are speech',
        call: call(['[00:00-00:30] customer: 我跟你说，这个问题拖了一个月了。', '[00:05-00:06] agent: 嗯。', '[00:31-00:35] agent: 我理解。']),
        options: { max_seconds: 3 },
      },
    ],
    invalid: [
      {
        name: 'every long silence is a finding',
        call: TWO_GAPS,
        options: { max_seconds: 5 },
        findings: [
          { at: 4, message: '8 s of silence after the agent spoke (longer than 5 s)', evidence: '您好，很高兴为您服务。' },
          { at: 16, message: '20 s of silence after the customer spoke (longer than 5 s)', evidence: '我的宽带断了。' },
        ],
      },
      {
        name: 'more than max_count: all are listed',
        call: TWO_GAPS,
        options: { max_seconds: 5, max_count: 1 },
        findings: [{ at: 4 }, { at: 16 }],
      },
      {
        name: 'window: first_turns',
        call: TWO_GAPS,
        options: { max_seconds: 5, window: { first_turns: 1 } },
        findings: [{ at: 4, message: /^8 s of silence/ }],
      },
      {
        name: 'window: last_seconds (the silence after an utterance starting in the last 30 s)',
        call: TWO_GAPS,
        options: { max_seconds: 5, window: { last_seconds: 30 } },
        findings: [{ at: 16, message: /^20 s of silence/ }],
      },
      {
        name: 'window: after another rule hit',
        call: TWO_GAPS,
        options: { max_seconds: 5, window: { after: 'complaint' } },
        context: afterRule('complaint', [12]),
        findings: [{ at: 16, evidence: '我的宽带断了。' }],
      },
      {
        name: 'Traditional script evidence, verbatim',
        call: call(['[00:00-00:03] 客戶：我的寬帶斷了。', '[00:20-00:22] 客服：好的。']),
        options: { max_seconds: 10 },
        findings: [{ at: 3, message: '17 s of silence after the customer spoke (longer than 10 s)', evidence: '我的寬帶斷了。' }],
      },
    ],
    notApplicable: [
      { name: 'untimed transcript', call: call(['agent: 您好。', 'customer: 你好。']), options: { max_seconds: 5 } },
      { name: 'window after a rule that never hit', call: TWO_GAPS, options: { max_seconds: 5, window: { after: 'hold' } }, context: afterRule('hold', []) },
    ],
  });

  it('depends on the rule its window follows', () => {
    expect(rule.dependsOn?.({ max_seconds: 5, max_count: 0, window: { after: 'hold' } })).toEqual(['hold']);
    expect(rule.dependsOn?.({ max_seconds: 5, max_count: 0, window: undefined })).toEqual([]);
  });

  it('validates its options with the key path', () => {
    const yaml = (opts: string) => `name: t\nrules:\n  long-silence:\n    type: silence\n${opts}`;
    expect(() => parseRubric(yaml('    deduction: 5\n'), 'r.yaml')).toThrow('rules.long-silence.max_seconds: expected a number, got nothing');
    expect(() => parseRubric(yaml('    max_seconds: -3\n'), 'r.yaml')).toThrow('r.yaml:5: rules.long-silence.max_seconds: expected a number > 0, got -3');
    expect(() => parseRubric(yaml('    max_seconds: 5\n    max_count: 0.5\n'), 'r.yaml')).toThrow(
      'r.yaml:6: rules.long-silence.max_count: expected a whole number, got 0.5',
    );
    expect(() => parseRubric(yaml('    max_seconds: 5\n    window: { first_seconds: 5, last_turns: 2 }\n'), 'r.yaml')).toThrow(
      'rules.long-silence.window: expected exactly one of first_seconds, last_seconds, first_turns, last_turns, after',
    );
    expect(() => parseRubric(yaml('    max_seconds: 5\n    window: { after: nowhere }\n'), 'r.yaml')).toThrow(
      'refers to "nowhere", which is not a rule of this rubric',
    );
    const rubric = parseRubric(yaml('    max_seconds: 5\n'), 'r.yaml');
    expect(rubric.rules[0]?.options).toMatchObject({ type: 'silence', max_seconds: 5, max_count: 0 });
  });
});

describe('silence in Chinese', () => {
  ruleTable(rule, {
    invalid: [
      {
        name: 'zh-CN: 静默, after whom, in 秒',
        call: call([
          '[00:00-00:06] agent: 您好，这里是星辰通信。',
          '[00:14-00:17] customer: 喂？',
          '[00:17-00:18] customer: 喂？',
          '[00:25.5-00:28] agent: 在的。',
        ]),
        options: { max_seconds: 5 },
        context: ZH,
        findings: [{ message: '坐席说完后静默 8 秒（超过 5 秒）' }, { message: '客户说完后静默 7.5 秒（超过 5 秒）' }],
      },
    ],
  });
});
