import { z } from 'zod';
import { directionOf } from '../normalise/role-cues.js';
import { round } from '../util/format.js';
import type { PreparedCall } from '../model/call.js';
import { agentUtterances, quote } from './helpers.js';
import { phraseList } from './phrase-options.js';
import { defineRule } from './types.js';
import type { PhraseMatcher } from '../match/phrases.js';

/**
 * What an agent says first on a call it placed: it asks for the callee by name (请问是李建国先生吗) or names the
 * reason it calls (回访, 给您来电). Policy, read only where the record gives no direction.
 */
export const DEFAULT_OUTBOUND_CUES = ['/是[^,.。!?;:\\s]{1,8}(?:先生|女士|小姐)(?:本人)?吗/', '回访', '给您来电', '给您打电话', '致电您', '打给您'];

/**
 * Whether the call reads as outbound where the record does not say: the customer speaks first (answering the
 * phone) and the agent's first words hold an outbound cue. Both: an inbound agent speaks first, even when it
 * checks the caller's name from the caller ID (您好，请问是张先生吗).
 */
function readsOutbound(call: PreparedCall, cues: PhraseMatcher): boolean {
  if (call.utterances[0]?.speaker !== 'customer') return false;
  const first = agentUtterances(call)[0];
  return first !== undefined && cues.test(first.norm.text);
}

/** The ringing cadence of Chinese exchanges: a ring of 1 s, then 4 s of silence (rings start at 0, 5, 10 s…). */
export const RING_ON_SECONDS = 1;
export const RING_OFF_SECONDS = 4;
/**
 * "Answer before the third ring" (seed 000) in seconds: the third ring starts two cycles in, at 10 s.
 * The seed gives no number; this is the policy derived from its wording and the cadence.
 */
export const RING_BEFORE_THIRD = 2 * (RING_ON_SECONDS + RING_OFF_SECONDS);

export default defineRule({
  id: 'answer-speed',
  speech: true,
  messages: ['answer-speed.slow'],
  kind: 'seed',
  description:
    "The agent answers before the third ring: an inbound call that rang longer than max_ring_seconds (ring_seconds from the call record) before the agent answered fails. On an outbound call the ringing is the customer's phone, not the agent answering: n/a.",
  source:
    'seeds/000 电话服务礼仪基础·接听准备: 电话铃响后,应在第三声前接听。 The seed gives no seconds: the 10 s default is policy derived from it (at the Chinese ring cadence of 1 s on, 4 s off, rings start at 0, 5 and 10 s, so the third ring starts at ~10 s).',
  needs: 'how long the phone rang (ring_seconds in the transcript header or the call records joined with --metadata), on a call not known to be outbound',
  limits:
    'The 10 s bound is policy (the seed says only "before the third ring"); queue or IVR waiting is not ringing and is not judged; a call of unknown direction is judged as inbound unless its opening reads outbound (the customer answers first, the agent asks for them by name).',
  defaultDeduction: 5,
  options: {
    outbound_cues: phraseList(
      DEFAULT_OUTBOUND_CUES,
      "the agent's first words on a call it placed (请问是X先生吗, 回访): with the customer speaking first and no direction recorded, the call is outbound (n/a)",
    ),
    max_ring_seconds: z
      .number()
      .positive()
      .default(RING_BEFORE_THIRD)
      .describe(
        'longest acceptable ringing before the agent answers, seconds (policy: the third ring starts at ~10 s of the Chinese 1 s on / 4 s off cadence)',
      ),
  },
  check(call, { max_ring_seconds, outbound_cues }, { say }) {
    const ring = call.ringSeconds;
    if (ring === undefined) return { outcome: 'n/a', findings: [] };
    // An outbound call rings at the customer's end: how long they took to pick up says nothing of the agent.
    const direction = directionOf(call.direction);
    if (direction === 'outbound' || (direction === undefined && readsOutbound(call, outbound_cues))) return { outcome: 'n/a', findings: [] };
    if (ring <= max_ring_seconds) return { outcome: 'pass', findings: [] };
    const first = agentUtterances(call)[0];
    return {
      outcome: 'fail',
      findings: [
        {
          at: 0,
          message: say('answer-speed.slow', { seconds: round(ring, 1), limit: round(max_ring_seconds, 1) }),
          evidence: first ? quote(first) : '',
        },
      ],
    };
  },
  examples: {
    pass: [
      {
        name: 'answered after 8 seconds of ringing (during the second ring cycle)',
        call: { ring_seconds: 8 },
        turns: ['坐席：您好，这里是星辰通信，我是王芳，很高兴为您服务。'],
      },
    ],
    fail: [
      {
        name: 'the phone rang for 12 seconds: the third ring had started',
        call: { ring_seconds: 12 },
        turns: ['坐席：您好，这里是星辰通信，我是王芳，很高兴为您服务。'],
      },
    ],
  },
});
