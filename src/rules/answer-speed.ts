import { z } from 'zod';
import { round } from '../util/format.js';
import { agentUtterances, quote } from './helpers.js';
import { defineRule } from './types.js';

export default defineRule({
  id: 'answer-speed',
  kind: 'seed',
  description:
    'The agent answers before the third ring: a call that rang longer than max_ring_seconds (ring_seconds from the call record) before the agent answered fails.',
  source: 'seeds/000 电话服务礼仪基础·接听准备: 电话铃响后,应在第三声前接听。',
  needs: 'how long the phone rang (ring_seconds in the transcript header or the call records joined with --metadata)',
  defaultDeduction: 5,
  options: {
    max_ring_seconds: z
      .number()
      .positive()
      .default(15)
      .describe('longest acceptable ringing before the agent answers, seconds (three rings of the 5-second Chinese ring cycle)'),
  },
  check(call, { max_ring_seconds }) {
    const ring = call.ringSeconds;
    if (ring === undefined) return { outcome: 'n/a', findings: [] };
    if (ring <= max_ring_seconds) return { outcome: 'pass', findings: [] };
    const first = agentUtterances(call)[0];
    return {
      outcome: 'fail',
      findings: [
        {
          at: 0,
          message: `the phone rang ${round(ring, 1)} s before the agent answered (longer than ${round(max_ring_seconds, 1)} s: answer before the third ring)`,
          evidence: first ? quote(first) : '',
        },
      ],
    };
  },
  examples: {
    pass: [{ name: 'answered after 8 seconds of ringing', call: { ring_seconds: 8 }, turns: ['坐席：您好，这里是星辰通信，我是王芳，很高兴为您服务。'] }],
    fail: [{ name: 'the phone rang for 25 seconds', call: { ring_seconds: 25 }, turns: ['坐席：您好，这里是星辰通信，我是王芳，很高兴为您服务。'] }],
  },
});
