import { z } from 'zod';
import { isRegexPhrase, type PhraseMatcher } from '../match/phrases.js';
import { normaliseText } from '../normalise/text.js';
import { overlaps } from '../metrics/timing.js';
import type { PreparedUtterance } from '../model/call.js';
import { charTest } from '../util/char-table.js';
import { round } from '../util/format.js';
import { quote } from './helpers.js';
import { extraPhraseList, phraseList, withExtra } from './phrase-options.js';
import { defineRule } from './types.js';
import { countSchema } from './overlap.js';

/**
 * Seed 000 专业交流: 认真倾听客户需求,不插话,适时给予回应词如"是的"、"明白"等 — the acknowledgements the
 * seed asks for while listening, and their everyday forms. An agent utterance made of nothing else
 * is listening, not interrupting.
 */
export const DEFAULT_ACKNOWLEDGEMENTS: readonly string[] = [
  '是的',
  '是',
  '对',
  '对的',
  '没错',
  '明白',
  '明白了',
  '了解',
  '了解了',
  '知道了',
  '收到',
  '好的',
  '好',
  '好嘞',
  '嗯',
  '恩',
  '嗯哼',
  '哦',
  '噢',
  '啊',
  '诶',
  '欸',
  '这样啊',
  '是这样',
  '原来是这样',
  '原来如此',
  '您说',
  '您请说',
  '请讲',
  '您请讲',
  '您继续',
  '您继续说',
  '您接着说',
  '我在听',
  '我听着',
];

/**
 * What a customer says that expresses nothing to be cut off: a hello into the line (喂), a
 * backchannel to the agent (嗯, 好的好的). An agent who speaks over an utterance of these alone
 * does not interrupt (seed 002: 确保客户完整表达诉求; there is no 诉求 in 喂).
 */
export const DEFAULT_CUSTOMER_FILLERS: readonly string[] = [
  '喂',
  '喂喂',
  '你好',
  '您好',
  '嗯',
  '恩',
  '哦',
  '噢',
  '啊',
  '好',
  '好的',
  '对',
  '对的',
  '是',
  '是的',
  '行',
  '可以',
  '知道了',
  '明白',
  '明白了',
  '了解',
  '谢谢',
];

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** LETTER_OR_DIGIT.test of one BMP code unit. */
const isLetterOrDigit = charTest(LETTER_OR_DIGIT);

/**
 * By matcher: the code units its phrases are made of (as written and normalised), or null when it holds a
 * /regex/ phrase (which may match anything). Built once per matcher (they live as long as the rubric).
 */
const unitsOfMatcher = new WeakMap<PhraseMatcher, Uint8Array | null>();

function phraseUnits(matcher: PhraseMatcher): Uint8Array | null {
  let units = unitsOfMatcher.get(matcher);
  if (units === undefined) {
    units = new Uint8Array(0x10000);
    for (const phrase of matcher.phrases) {
      if (isRegexPhrase(phrase)) {
        units = null;
        break;
      }
      for (const form of [phrase, normaliseText(phrase).text]) for (let i = 0; i < form.length; i++) units[form.charCodeAt(i)] = 1;
    }
    unitsOfMatcher.set(matcher, units);
  }
  return units;
}

/** Whether a normalised text holds nothing but acknowledgements (and punctuation). */
export function onlyAcknowledgements(u: PreparedUtterance, acknowledgements: PhraseMatcher): boolean {
  const text = u.norm.text;
  // A letter or digit that is in no phrase is in no occurrence, so it stays: most texts (我帮您查一下) are ruled
  // out at their first such character, with no matcher run. Surrogates are left to the matcher.
  const units = phraseUnits(acknowledgements);
  if (units !== null) {
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (units[code] === 0 && (code < 0xd800 || code > 0xdfff) && isLetterOrDigit(code)) return false;
    }
  }
  let rest = '';
  let from = 0;
  for (const occ of acknowledgements.find(text)) {
    rest += text.slice(from, occ.start);
    from = occ.end;
  }
  rest += text.slice(from);
  return !LETTER_OR_DIGIT.test(rest);
}

export default defineRule({
  id: 'interruption',
  speech: true,
  messages: ['interruption.agent'],
  kind: 'seed',
  description:
    'The agent does not cut in: an agent utterance that starts while a customer utterance is still under way and overlaps it by at least min_overlap_seconds is an interruption (one finding each); more than max_count fails. An utterance of acknowledgements only (是的, 明白, 嗯, 没错, 您继续说) is listening, not interrupting; speaking over a customer who only said 喂 or 嗯/好的 cuts off nothing.',
  source:
    'seeds/000 电话服务礼仪基础·专业交流: 认真倾听客户需求,不插话,适时给予回应词如"是的"、"明白"等; seeds/002 避免打断与干扰: 不随意插话,确保客户完整表达诉求后再提供解决方案; seeds/003 2.1 有效倾听与表达: 不要打断客户的发言',
  needs: 'a timed transcript with utterance ends (start and end times)',
  limits:
    'Works from utterance times only, so ASR segment edges can make or hide an overlap; an utterance of acknowledgements alone is listening, whatever the tone.',
  defaultDeduction: 5,
  defaultMaxDeduction: 15,
  options: {
    min_overlap_seconds: z.number().positive().default(1).describe('an overlap shorter than this (a breath, ASR boundaries) is not an interruption, seconds'),
    max_count: countSchema.default(0).describe('interruptions tolerated in one call; more fails'),
    acknowledgements: phraseList(
      DEFAULT_ACKNOWLEDGEMENTS,
      'words an agent may say over the customer to show it is listening (an utterance of these alone is not an interruption)',
    ),
    extra_acknowledgements: extraPhraseList('acknowledgements besides the default list'),
    customer_fillers: phraseList(
      DEFAULT_CUSTOMER_FILLERS,
      'what a customer may say that is no statement to cut off (喂, 嗯, 好的): an agent speaking over a customer utterance of these alone does not interrupt',
    ),
  },
  check(call, options, { say }) {
    const all = overlaps(call);
    if (!all) return { outcome: 'n/a', findings: [] };
    const acknowledgements = withExtra(options.acknowledgements, options.extra_acknowledgements);
    const interruptions = all.filter(
      (o) =>
        o.by === 'agent' &&
        o.seconds >= options.min_overlap_seconds &&
        !onlyAcknowledgements(o.utterance, acknowledgements) &&
        !onlyAcknowledgements(o.over, options.customer_fillers),
    );
    const hits = interruptions.map((o) => o.start);
    if (interruptions.length <= options.max_count) return { outcome: 'pass', findings: [], hits };
    return {
      outcome: 'fail',
      findings: interruptions.map((o) => ({
        at: o.start,
        message: say('interruption.agent', { seconds: round(o.seconds, 1) }),
        evidence: quote(o.utterance),
      })),
      hits,
    };
  },
  examples: {
    pass: [
      {
        name: 'the agent waits for the customer to finish',
        turns: ['[00:00-00:06] 客户：我上个月的账单多扣了五十块钱。', '[00:06.5-00:10] 坐席：好的，我马上帮您核实。'],
      },
      {
        name: 'an acknowledgement while the customer speaks',
        turns: [
          '[00:00-00:08] 客户：我上个月的账单多扣了五十块钱，一直没人处理。',
          '[00:03-00:04.5] 坐席：是的，明白。',
          '[00:08.5-00:12] 坐席：我马上帮您核实。',
        ],
      },
    ],
    fail: [
      {
        name: 'the agent talks over the customer for 3 seconds',
        turns: ['[00:00-00:08] 客户：我上个月的账单多扣了五十块钱，一直没人处理。', '[00:05-00:10] 坐席：您先别急，这个是系统自动扣的。'],
      },
    ],
  },
});
