import { describe, expect, it } from 'vitest';
import { parseRubric } from '../../src/rubric/load.js';
import rule from '../../src/rules/duration.js';
import { EMPTY_CONTEXT, optionsSchema } from '../../src/rules/types.js';
import { call, callOf, ruleTable } from '../helpers/rule-table.js';
import { translator } from '../../src/i18n/format.js';

/** Agent 0–10 and 15–45 (40 s), customer 8–14 (6 s); speech 0–14 and 15–45 (44 s); the call ends at 45. */
const CALL = call([
  '[00:00-00:10] agent: 您好，这里是星辰通信。',
  '[00:08-00:14] customer: 我想查一下话费。',
  '[00:15-00:45] agent: 您本月话费八十元，其中流量费三十元，通话费五十元。',
]);

describe('duration', () => {
  ruleTable(rule, {
    valid: [
      { name: 'call within max', call: CALL, options: { of: 'call', max_seconds: 45 } },
      { name: 'call within [min, max]', call: CALL, options: { of: 'call', min_seconds: 30, max_seconds: 600 } },
      { name: 'talk counts overlapping speech once (44 s)', call: CALL, options: { of: 'talk', max_seconds: 44 } },
      { name: 'agent_talk (40 s)', call: CALL, options: { of: 'agent_talk', min_seconds: 40 } },
      { name: 'customer_talk (6 s)', call: CALL, options: { of: 'customer_talk', min_seconds: 6, max_seconds: 6 } },
      { name: 'a chat: the call lasts from the first message to the last', call: chat(), options: { of: 'call', max_seconds: 120 } },
      { name: 'a chat: counted from when the agent joined', call: { ...chat(), answeredAt: 60 }, options: { of: 'call', max_seconds: 60 } },
    ],
    invalid: [
      {
        name: 'call too long: the finding points at the utterance under way when the limit passed',
        call: CALL,
        options: { of: 'call', max_seconds: 30 },
        findings: [{ at: 15, message: 'the call lasted 45 s, longer than 30 s', evidence: '您本月话费八十元，其中流量费三十元，通话费五十元。' }],
      },
      {
        name: 'call too short: the finding points at the last utterance',
        call: CALL,
        options: { of: 'call', min_seconds: 60 },
        findings: [{ at: 15, message: 'the call lasted 45 s, shorter than 60 s (01:00)' }],
      },
      {
        name: 'long figures read as mm:ss too',
        call: call(['[00:00-00:05] agent: 您好。', '[12:25-12:30] customer: 再见。']),
        options: { of: 'call', max_seconds: 600 },
        findings: [{ at: 0, message: 'the call lasted 750 s (12:30), longer than 600 s (10:00)', evidence: '您好。' }],
      },
      {
        name: 'talk too long',
        call: CALL,
        options: { of: 'talk', max_seconds: 20 },
        findings: [{ at: 15, message: 'speech took up 44 s, longer than 20 s' }],
      },
      {
        name: 'agent_talk too long: the agent utterance in which the limit passed',
        call: CALL,
        options: { of: 'agent_talk', max_seconds: 5 },
        findings: [{ at: 0, message: 'the agent spoke for 40 s, longer than 5 s', evidence: '您好，这里是星辰通信。' }],
      },
      {
        name: 'customer_talk too short: the customer’s last utterance',
        call: CALL,
        options: { of: 'customer_talk', min_seconds: 10 },
        findings: [{ at: 8, message: 'the customer spoke for 6 s, shorter than 10 s', evidence: '我想查一下话费。' }],
      },
      {
        name: 'the agent never spoke',
        call: call(['[00:00-00:05] customer: 喂？有人吗？']),
        options: { of: 'agent_talk', min_seconds: 1 },
        findings: [{ message: 'the agent spoke for 0 s, shorter than 1 s', evidence: '' }],
      },
      {
        name: 'Traditional script evidence, verbatim',
        call: call(['[00:00-00:20] 客服：您好，這裡是星辰通信。']),
        options: { of: 'agent_talk', max_seconds: 10 },
        findings: [{ at: 0, evidence: '您好，這裡是星辰通信。' }],
      },
    ],
    notApplicable: [
      { name: 'untimed transcript (call)', call: call(['agent: 您好。']), options: { of: 'call', max_seconds: 60 } },
      { name: 'untimed transcript (talk)', call: call(['agent: 您好。']), options: { of: 'talk', max_seconds: 60 } },
      { name: 'chat messages have no talk time', call: chat(), options: { of: 'agent_talk', max_seconds: 60 } },
    ],
  });

  it('a rule without min_seconds or max_seconds is refused when the rubric loads', () => {
    expect(
      optionsSchema(rule)
        .safeParse({ of: 'call' })
        .error?.issues.map((i) => i.message),
    ).toEqual(['expected min_seconds, max_seconds or both (the rule checks nothing without one)']);
    expect(
      optionsSchema(rule)
        .safeParse({ of: 'call', min_seconds: 60, max_seconds: 30 })
        .error?.issues.map((i) => i.message),
    ).toEqual(['expected min_seconds ≤ max_seconds, got 60 > 30']);
  });

  it('validates its options with the key path', () => {
    const yaml = (opts: string) => `name: t\nrules:\n  aht:\n    type: duration\n${opts}`;
    expect(() => parseRubric(yaml('    max_seconds: 600\n'), 'r.yaml')).toThrow('rules.aht.of: expected call, talk, agent_talk or customer_talk, got nothing');
    expect(() => parseRubric(yaml('    of: hold\n    max_seconds: 600\n'), 'r.yaml')).toThrow(
      'r.yaml:5: rules.aht.of: expected call, talk, agent_talk or customer_talk, got "hold"',
    );
    expect(() => parseRubric(yaml('    of: call\n    max_seconds: 0\n'), 'r.yaml')).toThrow('rules.aht.max_seconds: expected a number > 0, got 0');
    expect(() => parseRubric(yaml('    of: call\n    min_seconds: -1\n'), 'r.yaml')).toThrow('rules.aht.min_seconds: expected a number ≥ 0, got -1');
  });
});

function chat() {
  return callOf([
    { speaker: 'customer', start: 0, text: '有人吗' },
    { speaker: 'agent', start: 70, text: '您好' },
    { speaker: 'customer', start: 110, text: '谢谢' },
  ]);
}

/** The run's language is Simplified Chinese. */
const ZH = { ...EMPTY_CONTEXT, say: translator('zh-CN') };

describe('duration: findings in Chinese', () => {
  ruleTable(rule, {
    invalid: [
      {
        name: 'the call too long',
        call: CALL,
        options: { of: 'call', max_seconds: 30 },
        context: ZH,
        findings: [{ message: '通话时长 45 秒，超过上限 30 秒' }],
      },
      {
        name: 'the call too short, a minute and more with mm:ss',
        call: CALL,
        options: { of: 'call', min_seconds: 90 },
        context: ZH,
        findings: [{ message: '通话时长 45 秒，不足下限 90 秒（01:30）' }],
      },
      { name: 'talk', call: CALL, options: { of: 'talk', max_seconds: 40 }, context: ZH, findings: [{ message: '说话总时长 44 秒，超过上限 40 秒' }] },
      {
        name: 'agent_talk',
        call: CALL,
        options: { of: 'agent_talk', min_seconds: 60 },
        context: ZH,
        findings: [{ message: '坐席说话时长 40 秒，不足下限 60 秒（01:00）' }],
      },
      {
        name: 'customer_talk',
        call: CALL,
        options: { of: 'customer_talk', max_seconds: 5 },
        context: ZH,
        findings: [{ message: '客户说话时长 6 秒，超过上限 5 秒' }],
      },
    ],
  });
});
