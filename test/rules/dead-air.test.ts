import { describe, expect, it } from 'vitest';
import type { PhraseMatcher } from '../../src/match/phrases.js';
import { normaliseText } from '../../src/normalise/text.js';
import rule from '../../src/rules/dead-air.js';
import { EMPTY_CONTEXT, optionsSchema } from '../../src/rules/types.js';
import { call, callOf, ruleTable } from '../helpers/rule-table.js';
import { translator } from '../../src/i18n/format.js';

const HOLD = '好的，请稍等，我帮您查询一下。';

describe('dead-air', () => {
  ruleTable(rule, {
    valid: [
      {
        name: 'quick turns',
        call: call([
          '[00:00-00:06] agent: 您好，这里是星辰通信，很高兴为您服务。',
          '[00:07-00:10] customer: 我的宽带断了。',
          '[00:12-00:16] agent: 好的，请您提供一下账号。',
        ]),
      },
      { name: 'exactly 10 s of silence', call: call(['[00:00-00:04] customer: 我的宽带断了。', '[00:14-00:18] agent: 好的。']) },
      {
        name: 'overlapping turns: the silence starts when the longer turn ends',
        call: call(['[00:00-00:20] customer: 我的宽带从早上就断了，打了好几次电话。', '[00:03-00:05] agent: 嗯。', '[00:25-00:30] agent: 我帮您看一下。']),
      },
      {
        name: 'a 50 s lookup after a hold',
        call: call(['[00:00-00:04] customer: 查一下话费。', `[00:05-00:09] agent: ${HOLD}`, '[00:59-01:03] agent: 感谢您的耐心等待。']),
      },
      {
        name: 'the hold covers the customer’s acknowledgement after it',
        call: call([`[00:05-00:09] agent: ${HOLD}`, '[00:09-00:10] customer: 好。', '[00:50-00:53] agent: 让您久等了。']),
      },
      { name: 'Traditional script hold', call: call(['[00:00-00:03] 客服：請您稍候，我幫您查詢一下。', '[00:45-00:48] 客服：讓您久等了。']) },
      { name: 'ASR spaces in the hold phrase', call: call(['[00:00-00:03] agent: 好 的 ， 我 查 一 下', '[00:40-00:43] agent: 查到了。']) },
      {
        name: 'the customer asked the agent to wait, and the agent said yes',
        call: call(['[00:00-00:03] customer: 你稍等一下，我找一找。', '[00:03-00:04] agent: 好的。', '[00:34-00:38] customer: 找到了。']),
      },
      {
        name: 'the customer asked the agent to wait',
        call: call([
          '[00:00-00:03] agent: 请您提供一下宽带账号。',
          '[00:03-00:06] customer: 你稍等一下，我找一找。',
          '[00:36-00:40] customer: 找到了，是八八六六。',
        ]),
      },
      { name: 'silence before the first words is not measured', call: call(['[00:30-00:35] agent: 您好。', '[00:36-00:40] customer: 你好。']) },
      { name: 'one utterance: no silence', call: call(['[00:00-00:05] agent: 您好。']) },
      { name: 'max_seconds is an option', call: call(['[00:00-00:04] agent: 好的。', '[00:19-00:22] customer: 嗯。']), options: { max_seconds: 20 } },
      {
        name: 'extra_hold_phrases extend the list',
        call: call(['[00:00-00:04] agent: 我去问一下主管。', '[00:40-00:44] agent: 主管说可以。']),
        options: { extra_hold_phrases: ['我去问一下'] },
      },
      { name: 'a colloquial hold (稍等哈，我给您查查)', call: call(['[00:00-00:03] agent: 稍等哈，我给您查查。', '[00:33-00:37] agent: 查到了，在派送中。']) },
      {
        name: 'a task for the customer (重启路由器): the silence is the customer doing it',
        call: call(['[00:00-00:06] agent: 请您把路由器电源拔掉，过十秒再插上。', '[00:06-00:07] customer: 好。', '[00:38-00:42] customer: 现在绿灯亮了。']),
      },
      {
        name: 'after the agent’s question the silence is the customer’s',
        call: call(['[00:00-00:05] agent: 请问您大概是哪天下的单呢？', '[00:20-00:24] customer: 好像是十号。']),
      },
      { name: 'an ASR question without punctuation', call: call(['[00:00-00:04] agent: 请问您的户号是多少', '[00:18-00:22] customer: 一二三四五六']) },
      {
        name: 'after the agent’s goodbye the silence is the agent waiting for the customer to hang up',
        call: call(['[00:00-00:03] customer: 没有了。', '[00:03-00:08] agent: 感谢您的来电，祝您生活愉快，再见。', '[00:30-00:31] customer: 再见。']),
      },
      {
        name: 'the customer takes time to think (我想想)',
        call: call(['[00:00-00:05] agent: 您要退款还是换货？', '[00:05-00:07] customer: 我想想啊。', '[00:27-00:29] customer: 换货吧。']),
      },
      {
        name: 'start-only times: each utterance ends where the next begins',
        call: call(['[00:00] agent: 您好。', '[00:30] customer: 你好。', '[00:45] agent: 请讲。']),
      },
    ],
    invalid: [
      {
        name: 'a silence after the agent spoke',
        call: call(['[00:00-00:04] customer: 我的宽带断了，怎么办？', '[00:04-00:06] agent: 嗯。', '[00:21-00:25] agent: 您的账号是多少？']),
        findings: [{ at: 6, message: '15 s of silence after the agent spoke (longer than 10 s)', evidence: '嗯。' }],
      },
      {
        name: 'a silence after the customer spoke',
        call: call(['[00:00-00:04.5] customer: 我的宽带断了。', '[00:16-00:20] agent: 好的。']),
        findings: [{ at: 4.5, message: '11.5 s of silence after the customer spoke (longer than 10 s)', evidence: '我的宽带断了。' }],
      },
      {
        name: 'a hold longer than 60 s',
        call: call([`[00:05-00:09] agent: ${HOLD}`, '[01:24-01:28] agent: 让您久等了。']),
        findings: [{ at: 9, message: '75 s of silence after the agent announced a hold (longer than 60 s)', evidence: HOLD }],
      },
      {
        name: 'the hold covers only the silence right after it',
        call: call([`[00:00-00:04] agent: ${HOLD}`, '[00:44-00:48] agent: 查到了，是线路故障。', '[01:03-01:05] customer: 那怎么办？']),
        findings: [{ at: 48, message: '15 s of silence after the agent spoke (longer than 10 s)', evidence: '查到了，是线路故障。' }],
      },
      {
        name: 'each long silence is a finding',
        call: call(['[00:00-00:02] agent: 您好。', '[00:14-00:16] customer: 你好。', '[00:30-00:32] agent: 请讲。']),
        findings: [
          { at: 2, message: '12 s of silence after the agent spoke (longer than 10 s)', evidence: '您好。' },
          { at: 16, message: '14 s of silence after the customer spoke (longer than 10 s)', evidence: '你好。' },
        ],
      },
      {
        name: 'the customer’s wait is over once the customer speaks again',
        call: call(['[00:00-00:03] customer: 你稍等一下，我找一找。', '[00:20-00:23] customer: 找到了，是八八六六。', '[00:40-00:42] agent: 好的。']),
        findings: [{ at: 23, message: '17 s of silence after the customer spoke (longer than 10 s)', evidence: '找到了，是八八六六。' }],
      },
      {
        name: 'a customer’s wait longer than hold_max_seconds',
        call: call(['[00:00-00:03] customer: 您稍等，我去拿一下身份证。', '[01:10-01:13] customer: 拿到了。']),
        findings: [{ at: 3, message: '67 s of silence after the customer asked to wait (longer than 60 s)', evidence: '您稍等，我去拿一下身份证。' }],
      },
      {
        name: 'hold_phrases replace the defaults',
        call: call(['[00:00-00:04] agent: 我查一下。', '[00:34-00:38] agent: 查到了。']),
        options: { hold_phrases: ['请稍等'] },
        findings: [{ at: 4, message: '30 s of silence after the agent spoke (longer than 10 s)' }],
      },
      {
        name: 'hold_max_seconds is an option',
        call: call([`[00:00-00:04] agent: ${HOLD}`, '[00:44-00:48] agent: 查到了。']),
        options: { hold_max_seconds: 30 },
        findings: [{ at: 4, message: '40 s of silence after the agent announced a hold (longer than 30 s)' }],
      },
      {
        name: 'a customer asking the agent to look (你帮我查一下) asks for no wait',
        call: call(['[00:00-00:05] customer: 你帮我查一下上个月的话费吧。', '[00:35-00:40] agent: 上个月话费是八十九元。']),
        findings: [{ at: 5, message: '30 s of silence after the customer spoke (longer than 10 s)', evidence: '你帮我查一下上个月的话费吧。' }],
      },
      {
        name: 'the customer’s turn after a question lasts at most hold_max_seconds',
        call: call(['[00:00-00:04] agent: 请问您的订单号是多少？', '[01:10-01:14] agent: 喂，您好，还在线吗？']),
        findings: [{ at: 4, message: '66 s of silence after the agent asked the customer a question (longer than 60 s)', evidence: '请问您的订单号是多少？' }],
      },
      {
        name: 'turns listed out of order',
        call: call(['[00:20-00:24] agent: 您的账号是多少？', '[00:00-00:04] customer: 我的宽带断了。']),
        findings: [{ at: 4, message: '16 s of silence after the customer spoke (longer than 10 s)', evidence: '我的宽带断了。' }],
      },
    ],
    notApplicable: [
      { name: 'untimed transcript', call: call(['agent: 您好。', 'customer: 你好。']) },
      {
        name: 'chat messages have no ends',
        call: callOf([
          { speaker: 'customer', start: 0, text: '有人吗' },
          { speaker: 'agent', start: 90, text: '您好' },
        ]),
      },
    ],
  });

  it('hits are where the long silences start', () => {
    const options = optionsSchema(rule).parse({}) as never;
    const result = rule.check(call(['[00:00-00:02] agent: 您好。', '[00:14-00:16] customer: 你好。', '[00:18-00:20] agent: 请讲。']), options, EMPTY_CONTEXT);
    expect(result.hits).toEqual([2]);
  });

  it('has seed defaults: 10 s, 60 s after a hold, the hold phrases', () => {
    const options = optionsSchema(rule).parse({}) as unknown as { max_seconds: number; hold_max_seconds: number; hold_phrases: PhraseMatcher };
    expect(options.max_seconds).toBe(10);
    expect(options.hold_max_seconds).toBe(60);
    for (const said of ['请稍等', '稍等一下', '我帮您查询一下', '我查一下', '请您稍候', '麻烦您稍等片刻', '請稍候']) {
      expect(options.hold_phrases.test(normaliseText(said).text), said).toBe(true);
    }
  });
});

/** The run's language is Simplified Chinese. */
const ZH = { ...EMPTY_CONTEXT, say: translator('zh-CN') };

describe('dead-air: findings in Chinese', () => {
  ruleTable(rule, {
    invalid: [
      {
        name: 'after the customer spoke',
        call: call(['[00:00-00:04.5] customer: 我的宽带断了。', '[00:16-00:18] agent: 好的。']),
        context: ZH,
        findings: [{ at: 4.5, message: '客户说话后静默 11.5 秒（超过 10 秒）' }],
      },
      {
        name: 'after the agent spoke',
        call: call(['[00:00-00:04] customer: 我的宽带断了，怎么办？', '[00:04-00:06] agent: 嗯。', '[00:21-00:25] agent: 您的账号是多少？']),
        context: ZH,
        findings: [{ message: '坐席说话后静默 15 秒（超过 10 秒）' }],
      },
      {
        name: 'after a hold',
        call: call([`[00:00-00:04] agent: ${HOLD}`, '[01:24-01:28] agent: 让您久等了。']),
        context: ZH,
        findings: [{ message: '坐席请客户稍等后静默 80 秒（超过 60 秒）' }],
      },
      {
        name: 'after the customer asked to wait',
        call: call(['[00:00-00:03] customer: 您稍等，我去拿一下身份证。', '[01:10-01:13] customer: 拿到了。']),
        context: ZH,
        findings: [{ message: '客户请坐席稍等后静默 67 秒（超过 60 秒）' }],
      },
      {
        name: 'after a question',
        call: call(['[00:00-00:04] agent: 请问您的订单号是多少？', '[01:10-01:14] agent: 喂，您好，还在线吗？']),
        context: ZH,
        findings: [{ message: '坐席向客户提问后静默 66 秒（超过 60 秒）' }],
      },
    ],
  });
});
