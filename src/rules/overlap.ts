import { z } from 'zod';
import type { MessageKey } from '../i18n/format.js';
import type { Speaker } from '../model/call.js';
import { overlaps } from '../metrics/timing.js';
import { round } from '../util/format.js';
import { quote } from './helpers.js';
import { defineRule } from './types.js';

/** How many of something a call may have: a whole number ≥ 0 (max_count of the timing rules). */
export const countSchema = z
  .number()
  .min(0)
  .refine(Number.isInteger, { error: (issue) => `expected a whole number, got ${JSON.stringify(issue.input)}` });

const WHO = ['agent', 'customer', 'any'] as const;

/** Who started speaking over whom (the other speaker): one sentence each. */
const STARTED: Record<Speaker, MessageKey> = { agent: 'overlap.agent', customer: 'overlap.customer' };

export default defineRule({
  id: 'overlap',
  speech: true,
  messages: ['overlap.agent', 'overlap.customer'],
  kind: 'type',
  description:
    'Crosstalk: an utterance that starts while the other speaker is still speaking, overlapping it by at least min_seconds, is a finding (by: agent — the agent started it; customer; any); more than max_count fails.',
  needs: 'a timed transcript with utterance ends (start and end times)',
  defaultDeduction: 5,
  options: {
    by: z
      .enum(WHO, { error: (issue) => `expected agent, customer or any, got ${issue.input === undefined ? 'nothing' : JSON.stringify(issue.input)}` })
      .default('any')
      .describe('whose overlaps count: agent (the agent started speaking over the customer), customer, or any'),
    min_seconds: z.number().min(0).describe('shortest overlap that counts, seconds (required; 0 counts every overlap)'),
    max_count: countSchema.default(0).describe('overlaps tolerated in one call; more fails'),
  },
  check(call, { by, min_seconds, max_count }, { say }) {
    const all = overlaps(call);
    if (!all) return { outcome: 'n/a', findings: [] };
    const found = all.filter((o) => (by === 'any' || o.by === by) && o.seconds >= min_seconds);
    const hits = found.map((o) => o.start);
    if (found.length <= max_count) return { outcome: 'pass', findings: [], hits };
    return {
      outcome: 'fail',
      findings: found.map((o) => ({
        at: o.start,
        message: say(STARTED[o.by], { seconds: round(o.seconds, 1) }),
        evidence: quote(o.utterance),
      })),
      hits,
    };
  },
  examples: {
    pass: [
      {
        name: 'a short overlap under min_seconds',
        options: { by: 'any', min_seconds: 1 },
        turns: ['[00:00-00:05] 客户：我想查一下我的套餐。', '[00:04.6-00:08] 坐席：好的，请您提供一下手机号。'],
      },
      {
        name: 'the customer cuts in, but only agent overlaps count',
        options: { by: 'agent', min_seconds: 0.5 },
        turns: ['[00:00-00:08] 坐席：您的套餐包含三十G流量和五百分钟通话。', '[00:05-00:09] 客户：那超出了怎么收费？'],
      },
    ],
    fail: [
      {
        name: 'two overlaps, one tolerated',
        options: { by: 'any', min_seconds: 1, max_count: 1 },
        turns: [
          '[00:00-00:06] 客户：我想办理停机保号。',
          '[00:04-00:09] 坐席：停机保号需要本人身份证。',
          '[00:08-00:12] 客户：我就是本人啊。',
          '[00:12.5-00:15] 坐席：好的，我帮您办理。',
        ],
      },
    ],
  },
});
