import { z } from 'zod';
import { speechGaps } from '../metrics/timing.js';
import type { PreparedUtterance, Speaker } from '../model/call.js';
import { round } from '../util/format.js';
import { quote } from './helpers.js';
import { extraPhraseList, phraseList, withExtra } from './phrase-options.js';
import { defineRule } from './types.js';

/**
 * What agents say when they put the customer on hold to look something up (seed 000 响应时间:
 * 也应告知客户正在处理), in the everyday forms; normalised matching reads 請稍候 and 查詢 too.
 */
export const DEFAULT_HOLD_PHRASES: readonly string[] = [
  '请稍等',
  '您稍等',
  '稍等一下',
  '稍等片刻',
  '请稍候',
  '您稍候',
  '稍候片刻',
  '我帮您查询一下',
  '我帮您查一下',
  '我帮您查询',
  '我查一下',
  '我查询一下',
  '我这边查一下',
  '我帮您看一下',
  '我帮您核实一下',
  '我帮您确认一下',
  '请不要挂机',
  '请别挂机',
  '请耐心等待',
];

const s = (seconds: number) => `${round(seconds, 1)} s`;

export default defineRule({
  id: 'dead-air',
  kind: 'seed',
  description:
    'No long silence: each stretch in which nobody speaks (between the first words and the last; overlapping turns count as speech) longer than max_seconds is a finding — or longer than hold_max_seconds when the agent’s last words before it announced a hold (请稍等, 我帮您查询一下), or the customer’s last words before it asked the agent to wait (您稍等一下，我找一下).',
  source:
    'seeds/000 客户服务的基本要求·时间观念: 尊重客户时间,提供高效、准时的服务响应; 网络客户服务礼仪·响应时间: 应在1-3分钟内给予首次回应,即使无法立即解决问题,也应告知客户正在处理。长时间处理时应定期更新进度; seeds/002 客户第一原则: 均需第一时间响应,避免等待时间过长导致体验下降',
  needs: 'a timed transcript with utterance ends (start and end times)',
  defaultDeduction: 5,
  defaultMaxDeduction: 15,
  options: {
    max_seconds: z.number().positive().default(10).describe('longest acceptable silence, seconds'),
    hold_max_seconds: z
      .number()
      .positive()
      .default(60)
      .describe(
        'longest acceptable silence right after the agent announced a hold, seconds (seed 000: respond within 1–3 minutes, update the customer during long handling)',
      ),
    hold_phrases: phraseList(
      DEFAULT_HOLD_PHRASES,
      'phrases that announce a hold: in the agent’s (or the customer’s) last words before a silence (literal, or /regex/)',
    ),
    extra_hold_phrases: extraPhraseList('hold phrases besides the default list'),
  },
  check(call, options) {
    // A silence no longer than both limits is fine whoever spoke before it: only longer ones are looked into.
    const gaps = speechGaps(call, Math.min(options.max_seconds, options.hold_max_seconds));
    if (!gaps) return { outcome: 'n/a', findings: [] };
    const hold = withExtra(options.hold_phrases, options.extra_hold_phrases);
    const findings = gaps.flatMap((gap) => {
      const agent = lastUtteranceBefore(call.utterances, 'agent', gap.end);
      const customer = lastUtteranceBefore(call.utterances, 'customer', gap.end);
      const agentHold = agent !== undefined && hold.test(agent.norm.text);
      const customerHold = !agentHold && customer !== undefined && hold.test(customer.norm.text);
      const limit = agentHold || customerHold ? options.hold_max_seconds : options.max_seconds;
      if (gap.seconds <= limit) return [];
      const after = agentHold
        ? 'after the agent announced a hold'
        : customerHold
          ? 'after the customer asked to wait'
          : `after the ${gap.before.speaker} spoke`;
      return [
        {
          at: gap.start,
          message: `${s(gap.seconds)} of silence ${after} (longer than ${s(limit)})`,
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

/** A speaker's last utterance that started before `time` (their last words before a silence). */
function lastUtteranceBefore(utterances: readonly PreparedUtterance[], speaker: Speaker, time: number): PreparedUtterance | undefined {
  let last: PreparedUtterance | undefined;
  for (const u of utterances) {
    if (u.speaker !== speaker || u.start === undefined || u.start >= time) continue;
    if (!last || (last.start as number) <= u.start) last = u;
  }
  return last;
}
