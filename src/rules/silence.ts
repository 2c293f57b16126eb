import { z } from 'zod';
import type { MessageKey } from '../i18n/format.js';
import type { Speaker } from '../model/call.js';
import { speechGaps } from '../metrics/timing.js';
import { round } from '../util/format.js';
import { quote } from './helpers.js';
import { countSchema } from './overlap.js';
import { defineRule } from './types.js';
import { selectUtterances, windowDependencies, windowSchema } from './window.js';

/** Silence after whom spoke: one sentence each. */
const AFTER: Record<Speaker, MessageKey> = { agent: 'silence.after-agent', customer: 'silence.after-customer' };

export default defineRule({
  id: 'silence',
  speech: true,
  messages: ['silence.after-agent', 'silence.after-customer'],
  kind: 'type',
  description:
    'Silences: each stretch in which nobody speaks (between the first words and the last; overlapping turns count as speech) longer than max_seconds is a finding; more than max_count fails. With a window, only the silences that follow an utterance inside it count.',
  needs: 'a timed transcript with utterance ends (start and end times); a window that can be placed',
  defaultDeduction: 5,
  options: {
    max_seconds: z.number().positive().describe('longest acceptable silence, seconds (required)'),
    max_count: countSchema.default(0).describe('long silences tolerated in one call; more fails'),
    window: windowSchema,
  },
  dependsOn: ({ window }) => windowDependencies(window),
  check(call, { max_seconds, max_count, window }, context) {
    const gaps = speechGaps(call);
    if (!gaps) return { outcome: 'n/a', findings: [] };
    let inWindow = gaps;
    if (window) {
      const selected = selectUtterances(call, 'any', window, context);
      if (!selected) return { outcome: 'n/a', findings: [] };
      const opened = new Set(selected);
      inWindow = gaps.filter((g) => opened.has(g.before));
    }
    const long = inWindow.filter((g) => g.seconds > max_seconds);
    const hits = long.map((g) => g.start);
    if (long.length <= max_count) return { outcome: 'pass', findings: [], hits };
    return {
      outcome: 'fail',
      findings: long.map((g) => ({
        at: g.start,
        message: context.say(AFTER[g.before.speaker], { seconds: round(g.seconds, 1), max: round(max_seconds, 1) }),
        evidence: quote(g.before),
      })),
      hits,
    };
  },
  examples: {
    pass: [
      {
        name: 'no silence over 5 seconds',
        options: { max_seconds: 5 },
        turns: [
          '[00:00-00:06] 坐席：您好，这里是星辰通信，我是王芳，很高兴为您服务。',
          '[00:07-00:10] 客户：我的宽带断了。',
          '[00:12-00:16] 坐席：好的，我帮您看一下。',
        ],
      },
      {
        name: 'a long silence after the first 20 seconds',
        options: { max_seconds: 5, window: { first_seconds: 20 } },
        turns: [
          '[00:00-00:06] 坐席：您好，这里是星辰通信，我是王芳，很高兴为您服务。',
          '[00:07-00:10] 客户：我的宽带断了。',
          '[00:11-00:16] 坐席：好的，请您提供一下宽带账号。',
          '[00:17-00:25] 客户：账号是我的手机号。',
          '[00:26-00:30] 坐席：好的，请稍等，我帮您查询一下。',
          '[00:50-00:55] 坐席：查到了，是线路故障。',
        ],
      },
    ],
    fail: [
      {
        name: 'a silence of 8 seconds right after the greeting',
        options: { max_seconds: 5, window: { first_turns: 1 } },
        turns: ['[00:00-00:06] 坐席：您好，这里是星辰通信，我是王芳，很高兴为您服务。', '[00:14-00:17] 客户：喂？我的宽带断了。'],
      },
    ],
  },
});
