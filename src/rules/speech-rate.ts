import { z } from 'zod';
import { agentSpeechRate } from '../metrics/speech-rate.js';
import { at, quote } from './helpers.js';
import { defineRule } from './types.js';

const round = (n: number) => Math.round(n);

export default defineRule({
  id: 'speech-rate',
  kind: 'seed',
  description:
    'The agent speaks at the standard rate: characters a minute (Han characters + digits + Latin words) over all agent utterances, within [min, max].',
  source: 'seeds/000 电话服务的细节·语速控制: 保持中等语速, 每分钟约120-150个字, 既不急促也不拖沓。',
  needs: 'a timed transcript with at least min_agent_seconds of agent speech',
  defaultDeduction: 5,
  options: {
    min: z.number().min(0).default(120).describe('slowest acceptable rate, characters a minute'),
    max: z.number().positive().default(150).describe('fastest acceptable rate, characters a minute'),
    min_agent_seconds: z.number().min(0).default(10).describe('below this much timed agent speech the rate is not judged (n/a)'),
    unit: z.string().min(1).default('characters').describe('what the units are called in messages (an English rubric says words)'),
  },
  check(call, { min, max, min_agent_seconds, unit }) {
    const rate = agentSpeechRate(call, min_agent_seconds);
    if (!rate) return { outcome: 'n/a', findings: [] };
    if (rate.perMinute >= min && rate.perMinute <= max) return { outcome: 'pass', findings: [] };
    const tooFast = rate.perMinute > max;
    const example = tooFast ? rate.fastest : rate.slowest;
    return {
      outcome: 'fail',
      findings: [
        {
          ...at(example.utterance),
          message: `agent speaks ${round(rate.perMinute)} ${unit} a minute (${rate.units} in ${rate.seconds.toFixed(1)} s); the standard is ${min}–${max}. ${tooFast ? 'Fastest' : 'Slowest'} utterance: ${round(example.perMinute)} a minute`,
          evidence: quote(example.utterance),
        },
      ],
    };
  },
  examples: {
    pass: [
      {
        name: '27 characters in 12 seconds (135 a minute)',
        turns: [
          '[00:00-00:08] 坐席：您好，这里是星辰通信，我是王芳，很高兴为您服务。',
          '[00:08-00:12] 客户：我的宽带断了。',
          '[00:12-00:16] 坐席：好的，我马上帮您查询。',
        ],
      },
    ],
    fail: [
      {
        name: '18 characters in 5 seconds (216 a minute)',
        turns: [
          '[00:00-00:05] 坐席：您好，这里是星辰通信，我是王芳，很高兴为您服务。',
          '[00:05-00:12] 客户：慢点说。',
          '[00:12-00:17] 坐席：您好，这里是星辰通信，我是王芳，很高兴为您服务。',
        ],
      },
    ],
  },
});
