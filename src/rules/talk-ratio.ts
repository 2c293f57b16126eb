import { z } from 'zod';
import { talkTime } from '../metrics/timing.js';
import type { PreparedCall, PreparedUtterance, Speaker } from '../model/call.js';
import { round } from '../util/format.js';
import { at, quote } from './helpers.js';
import { defineRule } from './types.js';

const share = z.number().min(0).max(1);

/** A problem with a talk-ratio rule's options that its zod shape cannot see (it checks each option alone). */
export function talkRatioOptionProblem(options: { min?: number | undefined; max?: number | undefined }): string | undefined {
  const { min, max } = options;
  if (min === undefined && max === undefined) return 'expected min, max or both (the rule checks nothing without one)';
  if (min !== undefined && max !== undefined && min > max) return `expected min ≤ max, got ${min} > ${max}`;
  return undefined;
}

const percent = (x: number) => `${Math.round(x * 100)}%`;

export default defineRule({
  id: 'talk-ratio',
  messages: ['talk-ratio.too-high', 'talk-ratio.too-low'],
  kind: 'type',
  description:
    "The agent's share of the talking, within [min, max]: agent talk time ÷ (agent + customer talk time), each speaker's time being the union of their utterances. The finding quotes the longest utterance of whoever talked too much.",
  needs: 'a timed transcript with utterance ends (start and end times) and some speech',
  defaultDeduction: 5,
  options: {
    min: share.optional().describe('lowest acceptable agent share, 0–1 (min, max or both)'),
    max: share.optional().describe('highest acceptable agent share, 0–1 (min, max or both)'),
  },
  refine: talkRatioOptionProblem,
  check(call, options, { say }) {
    const problem = talkRatioOptionProblem(options);
    if (problem) throw new Error(problem);
    const talk = talkTime(call);
    const total = talk ? talk.agent + talk.customer : 0;
    if (!talk || total === 0) return { outcome: 'n/a', findings: [] };
    const ratio = talk.agent / total;
    const { min, max } = options;
    const tooHigh = max !== undefined && ratio > max;
    const tooLow = !tooHigh && min !== undefined && ratio < min;
    if (!tooHigh && !tooLow) return { outcome: 'pass', findings: [] };
    const longest = longestUtterance(call, tooHigh ? 'agent' : 'customer');
    const params = { share: percent(ratio), agent: round(talk.agent, 1), total: round(total, 1) };
    return {
      outcome: 'fail',
      findings: [
        {
          ...(longest ? at(longest) : {}),
          message: tooHigh
            ? say('talk-ratio.too-high', { ...params, limit: percent(max as number) })
            : say('talk-ratio.too-low', { ...params, limit: percent(min as number) }),
          evidence: longest ? quote(longest) : '',
        },
      ],
    };
  },
  examples: {
    pass: [
      {
        name: 'the agent talks about half the time',
        options: { max: 0.7 },
        turns: [
          '[00:00-00:06] 坐席：您好，这里是星辰通信，我是王芳，很高兴为您服务。',
          '[00:07-00:13] 客户：我的宽带断了，灯一直在闪。',
          '[00:14-00:20] 坐席：好的，请您先重启一下光猫。',
        ],
      },
    ],
    fail: [
      {
        name: 'the agent talks 90% of the time',
        options: { max: 0.7 },
        turns: [
          '[00:00-00:02] 客户：我想换套餐。',
          '[00:02-00:20] 坐席：好的，我们现在有三种套餐，第一种是五十八元包含二十G流量，第二种是八十八元包含四十G流量，第三种是一百二十八元不限量，您看您需要哪一种？',
        ],
      },
    ],
  },
});

function longestUtterance(call: PreparedCall, speaker: Speaker): PreparedUtterance | undefined {
  let best: PreparedUtterance | undefined;
  let bestSeconds = -1;
  for (const u of call.utterances) {
    if (u.speaker !== speaker || u.start === undefined || u.end === undefined) continue;
    if (u.end - u.start > bestSeconds) {
      best = u;
      bestSeconds = u.end - u.start;
    }
  }
  return best;
}
