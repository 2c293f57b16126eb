import { z } from 'zod';
import type { MessageKey, Translator } from '../i18n/format.js';
import { type Interval, speechIntervals, talkTime, timeWhenCovered } from '../metrics/timing.js';
import type { PreparedCall, PreparedUtterance } from '../model/call.js';
import { clock, round } from '../util/format.js';
import { at, quote } from './helpers.js';
import type { RuleFinding } from './types.js';
import { defineRule } from './types.js';
import { callEnd } from './window.js';

const OF = ['call', 'talk', 'agent_talk', 'customer_talk'] as const;
type Of = (typeof OF)[number];

/** The whole sentence for what was measured, too long or too short. */
const SENTENCE: Record<Of, { longer: MessageKey; shorter: MessageKey }> = {
  call: { longer: 'duration.call-longer', shorter: 'duration.call-shorter' },
  talk: { longer: 'duration.talk-longer', shorter: 'duration.talk-shorter' },
  agent_talk: { longer: 'duration.agent-talk-longer', shorter: 'duration.agent-talk-shorter' },
  customer_talk: { longer: 'duration.customer-talk-longer', shorter: 'duration.customer-talk-shorter' },
};

/** A number of seconds as a finding gives it: with mm:ss beside it from a minute up, where seconds alone are hard to read. */
const s = (say: Translator, seconds: number) =>
  seconds >= 60
    ? say('duration.seconds-clock', { seconds: round(seconds, 1), clock: clock(seconds) })
    : say('duration.seconds', { seconds: round(seconds, 1) });

/** A problem with a duration rule's options that its zod shape cannot see (it checks each option alone). */
export function durationOptionProblem(options: { min_seconds?: number | undefined; max_seconds?: number | undefined }): string | undefined {
  const { min_seconds: min, max_seconds: max } = options;
  if (min === undefined && max === undefined) return 'expected min_seconds, max_seconds or both (the rule checks nothing without one)';
  if (min !== undefined && max !== undefined && min > max) return `expected min_seconds ≤ max_seconds, got ${min} > ${max}`;
  return undefined;
}

export default defineRule({
  id: 'duration',
  messages: Object.values(SENTENCE).flatMap(({ longer, shorter }) => [longer, shorter]),
  kind: 'type',
  description:
    'How long something lasted, within [min_seconds, max_seconds]: the call (from the agent taking it to the last words), talk (time in which someone speaks), agent_talk or customer_talk (one speaker’s speech, overlapping turns counted once).',
  needs: 'a timed transcript (call); utterance ends (talk, agent_talk, customer_talk)',
  defaultDeduction: 5,
  options: {
    of: z
      .enum(OF, {
        error: (issue) => `expected call, talk, agent_talk or customer_talk, got ${issue.input === undefined ? 'nothing' : JSON.stringify(issue.input)}`,
      })
      .describe('what is measured: call, talk, agent_talk or customer_talk (required)'),
    min_seconds: z.number().min(0).optional().describe('shortest acceptable, seconds (min_seconds, max_seconds or both)'),
    max_seconds: z.number().positive().optional().describe('longest acceptable, seconds (min_seconds, max_seconds or both)'),
  },
  refine: durationOptionProblem,
  check(call, options, { say }) {
    const problem = durationOptionProblem(options);
    if (problem) throw new Error(problem);
    const { of, min_seconds: min, max_seconds: max } = options;
    const measured = measure(call, of);
    if (!measured) return { outcome: 'n/a', findings: [] };
    const { seconds } = measured;
    let finding: RuleFinding | undefined;
    if (max !== undefined && seconds > max) {
      const where = utteranceAt(measured.utterances, measured.timeAt(max));
      finding = {
        ...(where ? at(where) : {}),
        message: say(SENTENCE[of].longer, { duration: s(say, seconds), limit: s(say, max) }),
        evidence: where ? quote(where) : '',
      };
    } else if (min !== undefined && seconds < min) {
      const last = measured.utterances[measured.utterances.length - 1];
      finding = {
        ...(last ? at(last) : {}),
        message: say(SENTENCE[of].shorter, { duration: s(say, seconds), limit: s(say, min) }),
        evidence: last ? quote(last) : '',
      };
    }
    return finding ? { outcome: 'fail', findings: [finding] } : { outcome: 'pass', findings: [] };
  },
  examples: {
    pass: [
      {
        name: 'a 40-second call within 10 minutes',
        options: { of: 'call', max_seconds: 600 },
        turns: [
          '[00:00-00:06] 坐席：您好，这里是星辰通信，我是王芳，很高兴为您服务。',
          '[00:07-00:10] 客户：我想查一下话费。',
          '[00:35-00:40] 坐席：您本月话费八十元。',
        ],
      },
    ],
    fail: [
      {
        name: 'the agent spoke for 4 seconds, under the 10 required',
        options: { of: 'agent_talk', min_seconds: 10 },
        turns: ['[00:00-00:04] 坐席：你好，说吧。', '[00:05-00:20] 客户：我的宽带断了好几天了，打了好几次电话都没人管，你们到底什么时候修？'],
      },
    ],
  },
});

interface Measured {
  seconds: number;
  /** The utterances measured, in time order: evidence. */
  utterances: PreparedUtterance[];
  /** The moment the measure passed a number of seconds (undefined: it never did). */
  timeAt(limit: number): number | undefined;
}

function measure(call: PreparedCall, of: Of): Measured | undefined {
  const byStart = (a: PreparedUtterance, b: PreparedUtterance) => (a.start ?? 0) - (b.start ?? 0);
  if (of === 'call') {
    const end = callEnd(call);
    if (end === undefined) return undefined;
    const from = call.answeredAt ?? 0;
    return {
      seconds: Math.max(0, end - from),
      utterances: call.utterances.filter((u) => u.start !== undefined).sort(byStart),
      timeAt: (limit) => (end - from > limit ? from + limit : undefined),
    };
  }
  const talk = talkTime(call);
  if (!talk) return undefined;
  const speaker = of === 'agent_talk' ? 'agent' : of === 'customer_talk' ? 'customer' : undefined;
  const intervals: Interval[] = speechIntervals(call, speaker);
  return {
    seconds: speaker === undefined ? talk.any : talk[speaker],
    utterances: call.utterances.filter((u) => u.start !== undefined && u.end !== undefined && (speaker === undefined || u.speaker === speaker)).sort(byStart),
    timeAt: (limit) => timeWhenCovered(intervals, limit),
  };
}

/** The utterance under way at `time` (the latest to start at or before it), else the first after it. */
function utteranceAt(utterances: readonly PreparedUtterance[], time: number | undefined): PreparedUtterance | undefined {
  if (time === undefined) return utterances[utterances.length - 1];
  let found: PreparedUtterance | undefined;
  for (const u of utterances) {
    if ((u.start as number) <= time) found = u;
    else return found ?? u;
  }
  return found;
}
