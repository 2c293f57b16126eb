import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/format.js';
import { parseRubric } from '../../src/rubric/load.js';
import rule from '../../src/rules/first-response.js';
import { EMPTY_CONTEXT, optionsSchema } from '../../src/rules/types.js';
import { FIRST_REPLY_SECONDS } from '../../src/rules/written.js';
import { call, ruleTable } from '../helpers/rule-table.js';

const ASK = '你好，我昨天下的订单还没发货，能帮我看一下吗？';
const REPLY = '您好，我是在线客服小李，请您提供一下订单号，我马上为您查询。';
const chat = (lines: string[], extra: Parameters<typeof call>[1] = {}) => call(lines, { channel: 'chat', ...extra });

describe('first-response', () => {
  ruleTable(rule, {
    valid: [
      { name: 'a reply after 50 s', call: chat([`[00:00] 客户：${ASK}`, `[00:50] 坐席：${REPLY}`]) },
      { name: 'exactly 3 minutes: the upper bound of 1–3 分钟', call: chat([`[00:00] 客户：${ASK}`, `[03:00] 坐席：${REPLY}`]) },
      {
        name: 'customer messages in a row, the agent 2 minutes after the first',
        call: chat([`[00:00] 客户：${ASK}`, '[00:20] 客户：订单号是 DD20240611', '[01:30] 客户：有人吗？', `[02:00] 坐席：${REPLY}`]),
      },
      {
        name: 'ten minutes in the queue, then a reply 100 s after an agent took the chat (the queue is not the agent’s)',
        call: chat([`[00:00] 客户：${ASK}`, '[05:00] 客户：怎么还没人回复？', `[11:40] 坐席：${REPLY}`], { answeredAt: 600 }),
      },
      {
        name: 'social media: 20 minutes is within max_seconds 1800 (社交媒體: 30分鐘內)',
        call: call([`[00:00] 客户：${ASK}`, `[20:00] 坐席：${REPLY}`], { channel: 'social' }),
        options: { max_seconds: 1800 },
      },
      {
        name: 'the reply written in Traditional script (客服)',
        call: chat(['[00:00] 客戶：請問退貨運費誰出？', '[01:10] 客服：您好，七天無理由退貨的運費由我們承擔。']),
      },
    ],
    invalid: [
      {
        name: 'the first reply after 6 minutes: at the customer’s message, quoting it',
        call: chat([`[00:00] 客户：${ASK}`, '[03:10] 客户：有人吗？', `[06:00] 坐席：${REPLY}`]),
        findings: [
          { at: 0, message: "the agent's first reply came 360 s (06:00) after the customer's first message (longer than 180 s (03:00))", evidence: ASK },
        ],
      },
      {
        name: 'the enquiry need not be at 00:00 (a timestamp a few seconds in)',
        call: chat([`[00:05] 客户：${ASK}`, `[04:00] 坐席：${REPLY}`]),
        findings: [{ at: 5, message: /came 235 s \(03:55\) after/, evidence: ASK }],
      },
      {
        name: 'after the queue: timed from the moment an agent took the chat, and the message says so',
        call: chat([`[00:00] 客户：${ASK}`, `[10:00] 坐席：${REPLY}`], { answeredAt: 120 }),
        findings: [
          {
            at: 0,
            message:
              "the agent's first reply came 480 s (08:00) after an agent took the conversation (longer than 180 s (03:00); the customer wrote while queueing)",
            evidence: ASK,
          },
        ],
      },
      {
        name: 'no reply, and the thread runs 10 minutes past the enquiry: the customer plainly waited',
        call: chat([`[00:00] 客户：${ASK}`, '[05:00] 客户：有人吗？', '[10:00] 客户：太慢了，算了。']),
        findings: [
          {
            at: 0,
            message: "no agent reply within 180 s (03:00) of the customer's first message: the conversation goes on 600 s (10:00) after it without one",
            evidence: ASK,
          },
        ],
      },
      {
        name: 'no reply after the agent took the chat',
        call: chat([`[00:00] 客户：${ASK}`, '[09:00] 客户：还在吗？'], { answeredAt: 60 }),
        findings: [{ at: 0, message: /^no agent reply within 180 s \(03:00\) of an agent taking the conversation: it goes on 480 s \(08:00\)/ }],
      },
      {
        name: 'a stricter bound (max_seconds 60)',
        call: chat([`[00:00] 客户：${ASK}`, `[01:30] 坐席：${REPLY}`]),
        options: { max_seconds: 60 },
        findings: [{ at: 0, message: "the agent's first reply came 90 s (01:30) after the customer's first message (longer than 60 s (01:00))" }],
      },
      {
        name: 'under a minute, seconds alone',
        call: chat([`[00:00] 客户：${ASK}`, `[00:45] 坐席：${REPLY}`]),
        options: { max_seconds: 30 },
        findings: [{ at: 0, message: "the agent's first reply came 45 s after the customer's first message (longer than 30 s)" }],
      },
      {
        name: 'social media: 40 minutes is over 1800 s',
        call: call([`[00:00] 客户：${ASK}`, `[40:00] 坐席：${REPLY}`], { channel: 'social' }),
        options: { max_seconds: 1800 },
        findings: [{ at: 0, message: /came 2400 s \(40:00\) after .*longer than 1800 s \(30:00\)/ }],
      },
    ],
    notApplicable: [
      { name: 'a phone call (voice), however late the agent spoke', call: call([`[00:00-00:05] 客户：${ASK}`, `[06:00-06:05] 坐席：${REPLY}`]) },
      { name: 'an untimed chat', call: chat([`客户：${ASK}`, `坐席：${REPLY}`]) },
      {
        name: 'the agent wrote first (a proactive chat): no enquiry to time',
        call: chat(['[00:00] 坐席：您好，看到您在浏览退换货页面，有什么可以帮您？', `[01:00] 客户：${ASK}`, `[09:00] 坐席：${REPLY}`]),
      },
      { name: 'no customer message', call: chat([`[00:00] 坐席：${REPLY}`, '[05:00] 坐席：请问还在吗？']) },
      {
        name: 'no reply, but the export ends 2 minutes after the enquiry (it may have been cut)',
        call: chat([`[00:00] 客户：${ASK}`, '[02:00] 客户：有人吗？']),
      },
      { name: 'one customer message and nothing after it', call: chat([`[00:00] 客户：${ASK}`]) },
    ],
  });

  it('defaults to the seed’s upper bound of 3 minutes and cites both passages', () => {
    expect(FIRST_REPLY_SECONDS).toBe(180);
    expect(rule.options.max_seconds.parse(undefined)).toBe(180);
    expect(rule.source).toContain('應在1-3分鐘內給予首次回應');
    expect(rule.source).toContain('30分鐘內給予首次回應');
    expect(rule.written).toBe(true);
  });

  it('rejects a bound that is not a positive number of seconds up to a week', () => {
    const yaml = (v: string) => `name: t\nrules:\n  first-response:\n    max_seconds: ${v}\n`;
    expect(() => parseRubric(yaml('0'), 'r.yaml')).toThrow('r.yaml:4: rules.first-response.max_seconds: expected a number > 0, got 0');
    expect(() => parseRubric(yaml('soon'), 'r.yaml')).toThrow('rules.first-response.max_seconds: expected a number, got "soon"');
    expect(() => parseRubric(yaml('1000000'), 'r.yaml')).toThrow(/rules\.first-response\.max_seconds: expected a number ≤ 604800/);
    expect(parseRubric(yaml('1800'), 'r.yaml').rules.find((r) => r.id === 'first-response')?.options.max_seconds).toBe(1800);
  });

  it('writes its findings in Chinese, the wait as 秒 with mm:ss', () => {
    const run = (c: ReturnType<typeof chat>, lang: 'zh-CN' | 'zh-TW') =>
      rule.check(c, optionsSchema(rule).parse({}) as never, { ...EMPTY_CONTEXT, say: translator(lang) });
    const late = run(chat([`[00:00] 客户：${ASK}`, `[06:00] 坐席：${REPLY}`]), 'zh-CN');
    expect(late.findings.map((f) => f.message)).toEqual(['坐席在客户首条消息 360 秒（06:00）后才首次回复（超过 180 秒（03:00））']);
    const none = run(chat([`[00:00] 客户：${ASK}`, '[10:00] 客户：算了。'], { answeredAt: 30 }), 'zh-CN');
    expect(none.findings.map((f) => f.message)).toEqual(['坐席接入会话后 180 秒（03:00）内未回复（此后会话又持续了 570 秒（09:30），仍无坐席回复）']);
  });

  it('writes a wait of hours as h:mm:ss (a social thread answered after 2 h 35 min)', () => {
    const c = call([`[00:00:00] 客户：${ASK}`, `[02:35:00] 坐席：${REPLY}`], { channel: 'social' });
    const late = rule.check(c, optionsSchema(rule).parse({ max_seconds: 1800 }) as never, { ...EMPTY_CONTEXT, say: translator('zh-CN') });
    expect(late.findings.map((f) => f.message)).toEqual(['坐席在客户首条消息 9300 秒（2:35:00）后才首次回复（超过 1800 秒（30:00））']);
  });
});
