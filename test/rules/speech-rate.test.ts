import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/format.js';
import { speechUnits } from '../../src/metrics/speech-rate.js';
import rule from '../../src/rules/speech-rate.js';
import { EMPTY_CONTEXT, optionsSchema } from '../../src/rules/types.js';
import { call, ruleTable } from '../helpers/rule-table.js';

/** The run's language Simplified Chinese: messages as a QA supervisor writes them. */
const ZH = { ...EMPTY_CONTEXT, say: translator('zh-CN') };

/** n Han characters. */
const han = (n: number) => '好'.repeat(n);

describe('speech units', () => {
  it.each([
    ['您好，这里是星辰通信。', 9],
    ['工号1024', 6],
    ["Thank you for calling, I'm Mia.", 6],
    ['ＯＫ，好的', 3],
    ['，。！？ ', 0],
  ])('%s → %i', (text, units) => expect(speechUnits(text)).toBe(units));
});

describe('speech-rate', () => {
  ruleTable(rule, {
    valid: [
      { name: '135 a minute', call: call([`[00:00-00:20] agent: ${han(45)}`]) },
      { name: 'exactly 120', call: call([`[00:00-00:10] agent: ${han(10)}`, `[00:10-00:20] agent: ${han(30)}`]) },
      { name: 'exactly 150', call: call([`[00:00-00:12] agent: ${han(30)}`]) },
      {
        name: 'customer speech and gaps are not counted',
        call: call([`[00:00-00:10] agent: ${han(22)}`, `[00:10-00:40] customer: ${han(200)}`, `[00:50-01:00] agent: ${han(23)}`]),
      },
      {
        name: 'backchannels while listening are not timed (嗯 for 1.5 s would make 135 read as 117)',
        call: call([
          `[00:00-00:20] agent: ${'您'.repeat(45)}`,
          `[00:20-00:40] customer: ${han(60)}`,
          '[00:22-00:23.5] agent: 嗯。',
          '[00:26-00:28] agent: 嗯，对。',
          '[00:31-00:32.5] agent: 是的。',
        ]),
      },
      {
        name: 'slower after the customer asked to slow down (seed 002: 老年客户适当放缓节奏)',
        call: call([
          `[00:00-00:20] agent: ${'您'.repeat(45)}`,
          '[00:20-00:24] customer: 你说慢点，我年纪大了听不清。',
          `[00:24-00:44] agent: ${'您'.repeat(25)}`,
        ]),
      },
      { name: 'overlapping turns are fine', call: call([`[00:00-00:20] agent: ${han(45)}`, `[00:05-00:09] customer: ${han(30)}`]) },
    ],
    invalid: [
      {
        name: 'too fast',
        call: call([`[00:00-00:10] agent: ${han(20)}`, `[00:10-00:20] agent: ${han(40)}`]),
        findings: [{ at: 10, message: /agent speaks 180 characters a minute \(60 in 20\.0 s\); the standard is 120–150\. Fastest utterance: 240/ }],
      },
      {
        name: 'too slow',
        call: call([`[00:00-00:12] agent: ${han(10)}`, `[00:12-00:24] agent: ${han(30)}`]),
        findings: [{ at: 0, message: /agent speaks 100 characters a minute.*Slowest utterance: 50/, evidence: han(10) }],
      },
      {
        name: 'a long utterance of 好 is speech, not a backchannel',
        call: call([`[00:00-00:12] agent: ${han(10)}`, `[00:12-00:24] agent: ${han(30)}`, '[00:30-00:31] agent: 嗯。']),
        findings: [{ at: 0, message: /agent speaks 100 characters a minute \(40 in 24\.0 s\)/ }],
      },
      {
        name: 'a request to slow down excuses slowness, never speed',
        call: call(['[00:00-00:04] customer: 你说慢点。', `[00:04-00:14] agent: ${'您'.repeat(40)}`]),
        findings: [{ at: 4, message: /agent speaks 240 characters a minute/ }],
      },
      {
        name: 'bounds are options',
        call: call([`[00:00-00:20] agent: ${han(45)}`]),
        options: { min: 140, max: 200 },
        findings: [{ message: /135 characters a minute.*140–200/ }],
      },
    ],
    notApplicable: [
      { name: 'untimed transcript', call: call([`agent: ${han(45)}`]) },
      { name: 'agent spoke under 10 s in all', call: call([`[00:00-00:09] agent: ${han(20)}`, `[00:09-00:40] customer: ${han(60)}`]) },
      { name: 'no agent speech', call: call([`[00:00-00:40] customer: ${han(60)}`]) },
    ],
  });

  it('start-only times use the next start as the end', () => {
    const result = rule.check(
      call([`[00:00] agent: ${han(45)}`, '[00:20] customer: 好', '[00:30] agent: 好']),
      optionsSchema(rule).parse({}) as never,
      EMPTY_CONTEXT,
    );
    expect(result.outcome).toBe('pass');
  });
});

describe('speech-rate in Chinese', () => {
  const FAST = [
    '[00:00-00:05] agent: 您好，这里是星辰通信，我是王芳，很高兴为您服务。',
    '[00:05-00:12] customer: 慢点说。',
    '[00:12-00:17] agent: 您好，这里是星辰通信，我是王芳，很高兴为您服务。',
  ];
  ruleTable(rule, {
    invalid: [
      {
        name: 'zh-CN: 字/分钟, the unit said in Chinese',
        call: call(FAST),
        context: ZH,
        findings: [{ message: '坐席语速为每分钟 240 字（10.0 秒内 40 字），标准为每分钟 120–150 字。最快的一句为每分钟 240 字' }],
      },
      {
        name: 'zh-CN: words (an English rubric’s unit) said in Chinese too',
        call: call(FAST),
        options: { unit: 'words' },
        context: ZH,
        findings: [{ message: /^坐席语速为每分钟 240 词（10.0 秒内 40 词）/ }],
      },
    ],
  });
});
