import { z } from 'zod';
import type { MessageKey } from '../i18n/format.js';
import { speechGaps } from '../metrics/timing.js';
import type { PreparedUtterance } from '../model/call.js';
import { round } from '../util/format.js';
import { quote } from './helpers.js';
import { extraPhraseList, phraseList, withExtra } from './phrase-options.js';
import { defineRule } from './types.js';

/**
 * What agents say when they put the customer on hold to look something up (seed 000 响应时间:
 * 也应告知客户正在处理), in the everyday and colloquial forms (稍等哈, 我给您查查, 正在为您查询), or
 * when they hand the customer a task that takes time (重启路由器, 看一下短信): the silence that
 * follows is an announced wait. Normalised matching reads 請稍候 and 查詢 too.
 */
export const DEFAULT_HOLD_PHRASES: readonly string[] = [
  '请稍等',
  '请您稍等',
  '稍等',
  '稍候',
  '等一下',
  '等一等',
  '等会儿',
  '等一会儿',
  '我帮您查',
  '我给您查',
  '帮您查询',
  '帮您查一下',
  '给您查查',
  '我查一下',
  '我查查',
  '我查询一下',
  '我这边查一下',
  '我看一下',
  '我看看',
  '我帮您看一下',
  '我帮您核实一下',
  '我帮您确认一下',
  '正在为您查询',
  '正在查询',
  '正在为您处理',
  '查询中',
  '需要一点时间',
  '需要点时间',
  '大概需要',
  '为您转接',
  '帮您转接',
  '请不要挂机',
  '请您不要挂机',
  '不要挂机',
  '请别挂机',
  '不要挂断',
  '请耐心等待',
  '您看一下短信',
  '您看一下手机',
  '您找一下',
  '您查看一下',
  '您操作一下',
  '您试一下',
  '重启',
  '拔掉',
];

/**
 * What customers say when they ask the agent to wait for them (您稍等，我找一下卡号) or take time to
 * think (我想想, 我考虑一下): the silence that follows is theirs.
 */
export const DEFAULT_CUSTOMER_WAIT_PHRASES: readonly string[] = [
  '请稍等',
  '稍等',
  '等一下',
  '等一等',
  '等会儿',
  '等等',
  '我找一下',
  '我找找',
  '我翻一下',
  '我去拿',
  '我拿一下',
  '我看一下',
  '我看看',
  '我查一下',
  '我想想',
  '我想一想',
  '我考虑一下',
  '我考虑考虑',
];

/** A customer asking the agent to look something up is no request to wait: 你帮我查一下 holds 我查一下. */
export const DEFAULT_CUSTOMER_WAIT_EXCEPTIONS: readonly string[] = [
  '帮我查一下',
  '给我查一下',
  '帮我查查',
  '帮我看一下',
  '给我看一下',
  '帮我看看',
  '帮我找一下',
  '给我找一下',
  '帮我找找',
];

/** The agent's goodbye: the silence after it is the agent waiting for the customer to hang up first (seed 000). */
export const DEFAULT_FAREWELL_PHRASES: readonly string[] = ['再见', '拜拜', '祝您生活愉快', '祝您愉快', '感谢您的来电', '感谢来电'];

/** An utterance that ends in a question (punctuated, or ASR text ending in a question word): the customer is to answer. */
export const DEFAULT_QUESTION_PATTERNS: readonly string[] = [
  '/[?？]\\s*$/',
  '/(?:吗|呢|么|嘛|多少|什么|哪里|哪儿|哪个|哪天|几号|几位|贵姓)[。.!！…]*\\s*$/',
  '/^请问/',
];

export default defineRule({
  id: 'dead-air',
  speech: true,
  messages: ['dead-air.after-agent', 'dead-air.after-customer', 'dead-air.after-hold', 'dead-air.after-customer-wait', 'dead-air.after-question'],
  kind: 'seed',
  description:
    'No long silence: each stretch in which nobody speaks (between the first words and the last; overlapping turns count as speech) longer than max_seconds is a finding — or longer than hold_max_seconds when the wait was announced or is the customer’s: the agent’s last words before it announced a hold or gave the customer a task (请稍等, 我帮您查询一下, 您重启一下路由器), the customer’s asked the agent to wait or to let them think (您稍等，我找一下; 我想想), or the agent had just asked the customer a question. Silence after the agent’s goodbye (再见) is the agent waiting for the customer to hang up, never a finding. Silence before the first words or after the last is not measured.',
  source:
    'seeds/000 客户服务的基本要求·时间观念: 尊重客户时间,提供高效、准时的服务响应; 网络客户服务礼仪·响应时间: 应在1-3分钟内给予首次回应,即使无法立即解决问题,也应告知客户正在处理。长时间处理时应定期更新进度; seeds/002 客户第一原则: 均需第一时间响应,避免等待时间过长导致体验下降. The seconds are policy, not the standard: the 1-3 minutes are the seed’s online-chat passage, and no seed gives a figure for silence on the phone (10 s, or 60 s after an announced hold).',
  needs: 'a timed transcript with utterance ends (start and end times)',
  limits:
    "The 10 s and 60 s limits are policy (the seed's 1–3 minutes is its online-chat passage); silence before the first and after the last words is not measured, and after an agent question a silence of up to 60 s is the customer's.",
  defaultDeduction: 5,
  defaultMaxDeduction: 15,
  options: {
    max_seconds: z.number().positive().default(10).describe('longest acceptable silence, seconds (policy: no seed gives a figure for the phone)'),
    hold_max_seconds: z
      .number()
      .positive()
      .default(60)
      .describe(
        'longest acceptable silence after an announced wait, seconds (policy: the seed’s 1–3 minutes are for online chat; on the phone the agent comes back within a minute with progress)',
      ),
    hold_phrases: phraseList(
      DEFAULT_HOLD_PHRASES,
      'phrases that announce a wait in the agent’s last words before a silence: a hold, a lookup, a transfer, or a task for the customer (literal, or /regex/)',
    ),
    extra_hold_phrases: extraPhraseList('hold phrases besides the default list'),
    customer_wait_phrases: phraseList(
      DEFAULT_CUSTOMER_WAIT_PHRASES,
      'phrases in the customer’s last words before a silence that ask the agent to wait, or take time to think (literal, or /regex/)',
    ),
    customer_wait_exceptions: phraseList(
      DEFAULT_CUSTOMER_WAIT_EXCEPTIONS,
      'phrases inside which a customer wait phrase does not count (你帮我查一下 asks the agent to look, it is no wait)',
    ),
    farewell_phrases: phraseList(DEFAULT_FAREWELL_PHRASES, 'the agent’s goodbye: a silence right after it is never a finding'),
    question_phrases: phraseList(
      DEFAULT_QUESTION_PATTERNS,
      'how an agent utterance that asks the customer something ends: a silence right after it is the customer’s, allowed up to hold_max_seconds',
    ),
  },
  check(call, options, { say }) {
    // A silence no longer than both limits is fine whoever spoke before it: only longer ones are looked into.
    const gaps = speechGaps(call, Math.min(options.max_seconds, options.hold_max_seconds));
    if (!gaps) return { outcome: 'n/a', findings: [] };
    const hold = withExtra(options.hold_phrases, options.extra_hold_phrases);
    const findings = gaps.flatMap((gap) => {
      // The agent said goodbye and waits for the customer to hang up (seed 000: 等待客户先挂断电话).
      if (gap.before.speaker === 'agent' && options.farewell_phrases.test(gap.before.norm.text)) return [];
      const { agent, customer } = lastUtterancesBefore(call.utterances, gap.end);
      const agentHold = agent !== undefined && hold.test(agent.norm.text);
      const customerHold =
        !agentHold && customer !== undefined && options.customer_wait_phrases.findExcept(customer.norm.text, options.customer_wait_exceptions).length > 0;
      const asked = !agentHold && !customerHold && gap.before.speaker === 'agent' && options.question_phrases.test(gap.before.norm.text);
      const limit = agentHold || customerHold || asked ? options.hold_max_seconds : options.max_seconds;
      if (gap.seconds <= limit) return [];
      // One whole sentence for each reason the silence was allowed longer, or whose words came before it.
      const key: MessageKey = agentHold
        ? 'dead-air.after-hold'
        : customerHold
          ? 'dead-air.after-customer-wait'
          : asked
            ? 'dead-air.after-question'
            : gap.before.speaker === 'agent'
              ? 'dead-air.after-agent'
              : 'dead-air.after-customer';
      return [
        {
          at: gap.start,
          message: say(key, { seconds: round(gap.seconds, 1), limit: round(limit, 1) }),
          evidence: quote(gap.before),
        },
      ];
    });
    return { outcome: findings.length > 0 ? 'fail' : 'pass', findings, hits: findings.map((f) => f.at) };
  },
  examples: {
    pass: [
      {
        name: 'quick turns',
        turns: [
          '[00:00-00:06] 坐席：您好，这里是星辰通信，我是王芳，很高兴为您服务。',
          '[00:07-00:10] 客户：我的宽带断了。',
          '[00:12-00:16] 坐席：好的，请您提供一下宽带账号。',
        ],
      },
      {
        name: 'a 40-second lookup after 请稍等',
        turns: [
          '[00:00-00:04] 客户：帮我查一下这个月的话费。',
          '[00:05-00:09] 坐席：好的，请稍等，我帮您查询一下。',
          '[00:49-00:55] 坐席：感谢您的耐心等待，您本月话费是八十元。',
        ],
      },
    ],
    fail: [
      {
        name: '15 seconds of silence with no hold announced',
        turns: ['[00:00-00:04] 客户：我的宽带断了，怎么办？', '[00:04-00:06] 坐席：嗯。', '[00:21-00:25] 坐席：您的账号是多少？'],
      },
      {
        name: 'a hold of 80 seconds with no update',
        turns: ['[00:00-00:04] 坐席：请稍等，我帮您查询一下。', '[01:24-01:28] 坐席：让您久等了。'],
      },
    ],
  },
});

/**
 * The agent's and the customer's last utterances that started before `time` (their last words before a
 * silence; of two starting at once, the later listed), found in one pass over the call.
 */
function lastUtterancesBefore(
  utterances: readonly PreparedUtterance[],
  time: number,
): { agent: PreparedUtterance | undefined; customer: PreparedUtterance | undefined } {
  let agent: PreparedUtterance | undefined;
  let customer: PreparedUtterance | undefined;
  for (const u of utterances) {
    if (u.start === undefined || u.start >= time) continue;
    if (u.speaker === 'agent') {
      if (!agent || (agent.start as number) <= u.start) agent = u;
    } else if (u.speaker === 'customer') {
      if (!customer || (customer.start as number) <= u.start) customer = u;
    }
  }
  return { agent, customer };
}
