import { z } from 'zod';
import type { PhraseMatcher } from '../match/phrases.js';
import { agentSpeechRate, type SpeechRate, speechRateOf, timedAgentUnits } from '../metrics/speech-rate.js';
import type { PreparedCall, PreparedUtterance } from '../model/call.js';
import { at, quote } from './helpers.js';
import { DEFAULT_ACKNOWLEDGEMENTS, onlyAcknowledgements } from './interruption.js';
import { phraseList } from './phrase-options.js';
import { defineRule } from './types.js';
import type { MessageKey } from '../i18n/format.js';

/** The units a rubric names as callqa does, said in the run's language (字 / characters); any other name as the rubric writes it. */
const UNIT_KEYS: Readonly<Record<string, MessageKey>> = { characters: 'speech-rate.unit.characters', words: 'speech-rate.unit.words' };

const round = (n: number) => Math.round(n);

/** A backchannel is short: an utterance of acknowledgements longer than this many units is speech like any other. */
const BACKCHANNEL_MAX_UNITS = 6;

/**
 * What a customer says to ask the agent to slow down or repeat (seed 002: 处理老年客户时需适当放缓节奏):
 * after it, speaking slowly is what the standard asks for.
 */
export const DEFAULT_SLOW_DOWN_REQUESTS: readonly string[] = [
  '慢点',
  '慢一点',
  '慢一些',
  '慢些',
  '说慢',
  '讲慢',
  '听不清',
  '没听清',
  '听不太清',
  '听不明白',
  '再说一遍',
  '再说一次',
  '年纪大了',
  '耳朵不好',
];

/** Whether a timed agent utterance of `units` speech units is a backchannel (嗯, 对, 是的): short, nothing but acknowledgements. */
function isBackchannel(u: PreparedUtterance, units: number, acknowledgements: PhraseMatcher): boolean {
  // Most utterances are long: their length rules them out before anything is matched.
  return u.norm.text.length <= 4 * BACKCHANNEL_MAX_UNITS && units <= BACKCHANNEL_MAX_UNITS && onlyAcknowledgements(u, acknowledgements);
}

/**
 * The agent's rate without its backchannels: 嗯 said over the customer takes a second for one
 * character and is no measure of how fast the agent speaks. The metric of calls.csv counts every
 * agent utterance; it is used as it is when the agent made no backchannel. Each utterance's units are
 * counted once, for both (timedAgentUnits).
 */
function rateWithoutBackchannels(call: PreparedCall, minSeconds: number, acknowledgements: PhraseMatcher): SpeechRate | undefined {
  const { timed, units } = timedAgentUnits(call);
  let kept: PreparedUtterance[] | undefined;
  let keptUnits: number[] | undefined;
  for (let i = 0; i < timed.length; i++) {
    const u = timed[i] as PreparedUtterance;
    const n = units[i] as number;
    if (isBackchannel(u, n, acknowledgements)) {
      // The first backchannel: the utterances before it are kept.
      kept ??= timed.slice(0, i);
      keptUnits ??= units.slice(0, i);
    } else if (kept && keptUnits) {
      kept.push(u);
      keptUnits.push(n);
    }
  }
  if (!kept) return agentSpeechRate(call, minSeconds);
  return speechRateOf(kept, minSeconds, keptUnits);
}

export default defineRule({
  id: 'speech-rate',
  speech: true,
  messages: ['speech-rate.too-fast', 'speech-rate.too-slow'],
  kind: 'seed',
  description:
    'The agent speaks at the standard rate: characters a minute (Han characters + digits + Latin words) over the agent’s utterances, within [min, max]. Backchannels (a short 嗯, 对, 是的 said while listening) are not speech to be timed. Once the customer asked the agent to slow down or repeat (慢点, 听不清), speaking slowly is what the standard asks: only too fast fails.',
  source:
    'seeds/000 电话服务的细节·语速控制: 保持中等语速, 每分钟约120-150个字, 既不急促也不拖沓。seeds/002 语速与音量控制: 保持适中语速，确保客户听清…尤其在处理老年客户时需适当放缓节奏。',
  needs: 'a timed transcript with at least min_agent_seconds of agent speech',
  limits:
    "Counts characters over the agent's timed speech (backchannels aside), so ASR segment times set the figure; a customer's request to slow down excuses slowness for the whole call; the 120–150 band is the seed's, applied to Mandarin only.",
  defaultDeduction: 5,
  options: {
    min: z.number().min(0).default(120).describe('slowest acceptable rate, characters a minute'),
    max: z.number().positive().default(150).describe('fastest acceptable rate, characters a minute'),
    min_agent_seconds: z.number().min(0).default(10).describe('below this much timed agent speech the rate is not judged (n/a)'),
    unit: z.string().min(1).default('characters').describe('what the units are called in messages (an English rubric says words)'),
    acknowledgements: phraseList(
      DEFAULT_ACKNOWLEDGEMENTS,
      'backchannels: a short agent utterance of these alone (嗯, 对, 是的) is listening, not speech whose rate is measured',
    ),
    slow_down_requests: phraseList(
      DEFAULT_SLOW_DOWN_REQUESTS,
      'what a customer says to ask the agent to slow down or repeat: after it, a rate under min is no finding (seed 002)',
    ),
  },
  check(call, { min, max, min_agent_seconds, unit, acknowledgements, slow_down_requests }, { say }) {
    const rate = rateWithoutBackchannels(call, min_agent_seconds, acknowledgements);
    if (!rate) return { outcome: 'n/a', findings: [] };
    if (rate.perMinute >= min && rate.perMinute <= max) return { outcome: 'pass', findings: [] };
    const tooFast = rate.perMinute > max;
    // Slowing down for a customer who asked for it (an elderly caller, a bad line) is the standard, not a breach of it.
    if (!tooFast && call.utterances.some((u) => u.speaker === 'customer' && slow_down_requests.test(u.norm.text))) return { outcome: 'pass', findings: [] };
    const example = tooFast ? rate.fastest : rate.slowest;
    return {
      outcome: 'fail',
      findings: [
        {
          ...at(example.utterance),
          message: say(tooFast ? 'speech-rate.too-fast' : 'speech-rate.too-slow', {
            rate: round(rate.perMinute),
            unit: Object.hasOwn(UNIT_KEYS, unit) ? say(UNIT_KEYS[unit] as MessageKey) : unit,
            count: rate.units,
            // One decimal always (12.0 s), as the figure was measured.
            seconds: rate.seconds.toFixed(1),
            min,
            max,
            example: round(example.perMinute),
          }),
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
      {
        name: 'slower for a customer who asked (95 a minute after 慢点说)',
        turns: [
          '[00:00-00:14] 坐席：您好，这里是星辰通信，我是王芳，很高兴为您服务。',
          '[00:14-00:18] 客户：你说慢点，我听不清。',
          '[00:18-00:25] 坐席：好的，我慢一点说。',
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
