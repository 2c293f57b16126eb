import { z } from 'zod';
import type { MessageKey } from '../i18n/format.js';
import { TolerantMatcher } from '../match/pinyin.js';
import type { PhraseMatcher } from '../match/phrases.js';
import type { PreparedUtterance } from '../model/call.js';
import { agentUtterances, at, DEFAULT_WRONG_NUMBER, isTimed, isWritten, quote, wrongNumber } from './helpers.js';
import { phrase, phraseList } from './phrase-options.js';
import { defineRule } from './types.js';
import { callEnd, selectUtterances } from './window.js';

/**
 * Seed 000 礼貌结束通话: "感谢您的来电,还有什么可以帮助您的吗?祝您XX。" and 告别语 "感谢您的光临"、"期待再次为您服务".
 * Two elements: the thanks or farewell, and the offer of further help. ASR writes the seed's wordings
 * with homophones (感谢您的来店, 干些您的来电, 还有什么可以帮你): phrases of 3 or more characters match by sound too.
 */
export const DEFAULT_CLOSING_ELEMENTS: Readonly<Record<string, readonly string[]>> = {
  致谢道别: [
    '感谢',
    '谢谢',
    '再见',
    '祝您',
    '祝你',
    '拜拜',
    '再会',
    // The seed's wordings in full: matched by sound too (干些您的来电), where 感谢 alone is too short to be.
    '感谢您的来电',
    '谢谢您的来电',
    '感谢您的接听',
    '期待再次为您服务',
    '欢迎再次来电',
    '欢迎您再次来电',
    '欢迎下次来电',
  ],
  询问其他需求: [
    '还有什么可以帮',
    '还有什么能帮',
    '还有什么需要',
    '还有什么问题',
    '还有什么其他',
    '还有什么疑问',
    '还有什么不清楚',
    '还有什么不明白',
    '还有其他问题',
    '还有其它问题',
    '还有别的问题',
    '还有其他需要',
    '还有其它需要',
    '还有别的需要',
    '还有其他可以帮',
    '还有其他业务',
    '还有其他不清楚',
    '还有其他疑问',
    '还有别的事',
    '还有其他事',
    '还有没有其他',
    '还有没有别的',
    '还有没有什么',
    '还有哪里不明白',
    '还有哪里不清楚',
    '还有哪些问题',
    '还有问题吗',
    '还有疑问吗',
    '还有其他的吗',
    '还有其他吗',
    '还有别的吗',
    '还有啥',
    '其他问题吗',
    '还需要什么',
    '还需要其他',
    '还需要别的',
    // The class in one: 还有 (没有) + 什么/啥/哪些/其他/别的 + what is asked about (还有其他什么问题, 还有什么别的需要).
    '/还有(没有)?(什么|啥|哪些|哪里|其他|其它|别的)(其他|其它|别的|什么)?(的|是)?(我们|我)?(问题|需要|需求|疑问|事|业务|可以|能|要|帮|地方|不清楚|不明白)/',
    // 还要办别的吗, 还需要咨询什么
    '/还(需要|要)(办理?|咨询|问)(点)?(什么|啥|其他|其它|别的)/',
  ],
};

/**
 * How a finding names the seed's two elements in the run's language (a rubric's own element names are its
 * text and stay as written); the Traditional spellings too, for a rubric written in them.
 */
const ELEMENT_KEYS: Readonly<Record<string, MessageKey>> = {
  致谢道别: 'closing.element.thanks',
  致謝道別: 'closing.element.thanks',
  询问其他需求: 'closing.element.offer',
  詢問其他需求: 'closing.element.offer',
};

/** The customer hung up after walking out (算了，不跟你说了) with no agent turn after it: there was no closing to make. */
function walkedOut(call: { hangupBy: string; utterances: readonly PreparedUtterance[] }, lastAgent: PreparedUtterance, abandon: PhraseMatcher): boolean {
  if (call.hangupBy !== 'customer') return false;
  const after = call.utterances.slice(call.utterances.lastIndexOf(lastAgent) + 1);
  return after.some((u) => u.speaker === 'customer' && abandon.test(u.norm.text));
}

/**
 * The customer saying, unasked, that nothing more is needed (没有其他问题了): the offer of further help would ask what
 * was just answered. Said in the call's last utterances, it excuses the offer element.
 */
export const DEFAULT_NOTHING_MORE = [
  '没有其他问题',
  '没有别的问题',
  '没其他问题',
  '没别的问题',
  '没有其他事',
  '没有别的事',
  '没别的事',
  '没有其他需要',
  '没有别的需要',
  '没有其他的了',
  '没有别的了',
  '没别的了',
  '没其他的了',
  '就这些',
];
/** How many of the call's last utterances may hold the customer's 没有其他问题了. */
const NOTHING_MORE_TAIL = 4;
/** The element the customer's 没有其他问题了 answers (the default elements' offer of further help). */
const OFFER_ELEMENT = '询问其他需求';

function saidNothingMore(call: { utterances: readonly PreparedUtterance[] }, cues: PhraseMatcher): boolean {
  return call.utterances.slice(-NOTHING_MORE_TAIL).some((u) => u.speaker === 'customer' && cues.test(u.norm.text));
}

/** A customer walking out of the call (the agent had no turn left to close in). */
export const DEFAULT_ABANDON = ['算了', '不说了', '不跟你说了', '不和你说了', '懒得跟你说', '懒得说了', '我挂了'];

export default defineRule({
  id: 'closing',
  messages: ['closing.no-speech-within', 'closing.lacks'],
  kind: 'seed',
  description:
    "The agent closes politely: the agent's last words (the last within_seconds of the call; untimed, or written service: the last agent turns or messages) hold every closing element — a thanks or farewell, and an offer of further help.",
  source: 'seeds/000 电话服务礼仪基础·礼貌结束通话: 结束前…表达感谢:"感谢您的来电,还有什么可以帮助您的吗?祝您XX(根据时间或场景)。"',
  needs: 'agent speech',
  limits:
    'Cannot tell whether the problem was solved first; an offer made before the window does not count; a customer hanging up before the agent can close fails the agent unless the customer walked out in words (算了，不跟你说了) or dialled a wrong number (n/a); 2-character phrases (感谢, 再见) match only as written.',
  defaultDeduction: 5,
  options: {
    within_seconds: z.number().positive().default(30).describe('timed speech: agent utterances in the last this many seconds of the call form the closing'),
    last_turns: z
      .number()
      .int()
      .positive()
      .default(2)
      .describe('untimed transcripts and written service (chat, social): the agent’s last this many turns or messages form the closing'),
    elements: z
      .record(z.string().min(1), z.array(phrase).min(1))
      .default(() => Object.fromEntries(Object.entries(DEFAULT_CLOSING_ELEMENTS).map(([k, v]) => [k, [...v]])))
      .describe('element name → phrases; each element must be matched by one of its phrases')
      .transform((elements) =>
        Object.entries(elements).map(([name, list]) => ({ name, example: list[0] as string, matcher: new TolerantMatcher(list, { pinyin: true }) })),
      ),
    pinyin: z
      .boolean()
      .default(true)
      .describe('also match phrases of 3 or more characters by sound (ASR homophones: 干些您的来电, 海有什么可以帮您); shorter ones only exactly'),
    wrong_number: phraseList(DEFAULT_WRONG_NUMBER, 'customer words for a wrong number: no service was asked for, so there is nothing to close (n/a)'),
    nothing_more: phraseList(
      DEFAULT_NOTHING_MORE,
      'customer words, in the last utterances, saying unasked that nothing more is needed (没有其他问题了): the offer of further help (询问其他需求) is then not owed',
    ),
    abandon: phraseList(
      DEFAULT_ABANDON,
      'customer words walking out of the call: when the customer says one after the agent’s last turn and hangs up, the agent had no turn to close in (n/a)',
    ),
  },
  check(call, { within_seconds, last_turns, elements, pinyin, wrong_number, abandon, nothing_more }, context) {
    const agent = agentUtterances(call);
    const last = agent[agent.length - 1];
    if (!last) return { outcome: 'n/a', findings: [] };
    let window: PreparedUtterance[];
    // Written service: the agent's last messages, however long the customer took over the last reply.
    if (isTimed(call) && !isWritten(call)) {
      // Utterances starting in the window, and one that began earlier but runs into it (a long ASR segment): those
      // that reach the cutoff (what selectUtterances' last_seconds picks, in one pass over the agent's turns).
      const cutoff = (callEnd(call) ?? 0) - within_seconds;
      window = agent.filter((u) => u.start !== undefined && (u.end ?? u.start) >= cutoff);
      if (window.length === 0) {
        return {
          outcome: 'fail',
          findings: [{ ...at(last), message: context.say('closing.no-speech-within', { seconds: within_seconds }), evidence: quote(last) }],
        };
      }
    } else {
      window = selectUtterances(call, 'agent', { last_turns }, context) ?? [];
    }
    // Exactly in any of the window's turns first: the sound reading (slower) runs only where no turn has the element as written.
    const missing = elements.filter(({ matcher }) => {
      if (window.some((u) => matcher.exact.test(u.norm.text))) return false;
      const bySound = pinyin ? matcher.bySound : undefined;
      return !(bySound !== undefined && bySound.size > 0 && window.some((u) => bySound.test(u.norm.text)));
    });
    // The customer said, unasked, that nothing more is needed: no offer is owed.
    if (missing.length === 1 && missing[0]?.name === OFFER_ELEMENT && saidNothingMore(call, nothing_more)) missing.length = 0;
    if (missing.length === 0) return { outcome: 'pass', findings: [] };
    // Nothing to close: a wrong number, or a customer who walked out (read only for a closing that falls short).
    if (wrongNumber(call, wrong_number) || walkedOut(call, last, abandon)) return { outcome: 'n/a', findings: [] };
    return {
      outcome: 'fail',
      findings: [
        {
          ...at(window[0] as PreparedUtterance),
          message: context.say('closing.lacks', {
            parts: missing.map(({ name, example }) => {
              const key = Object.hasOwn(ELEMENT_KEYS, name) ? ELEMENT_KEYS[name] : undefined;
              return context.say('closing.element', { name: key ? context.say(key) : name, example });
            }),
          }),
          evidence: window.map((u) => quote(u)).join(' / '),
        },
      ],
    };
  },
  examples: {
    pass: [
      {
        name: 'thanks, an offer of further help, and a farewell',
        turns: [
          '[00:00-00:04] 坐席：您好，这里是星辰通信，我是王芳，很高兴为您服务。',
          '[00:05-00:08] 客户：我的宽带已经好了，谢谢。',
          '[00:09-00:14] 坐席：不客气，请问还有什么可以帮您的吗？',
          '[00:15-00:16] 客户：没有了。',
          '[00:17-00:20] 坐席：感谢您的来电，祝您生活愉快，再见。',
        ],
      },
      {
        name: 'online chat: the last two messages offer more help and say goodbye, the customer answering minutes apart',
        call: { channel: 'chat' },
        turns: [
          '[05:10] 坐席：已经为您备注加急处理。请问还有其他可以帮您的吗？',
          '[09:40] 客户：没有了，谢谢。',
          '[10:05] 坐席：不客气，感谢您的咨询，祝您生活愉快，再见！',
        ],
      },
    ],
    fail: [
      {
        name: 'a farewell without asking whether anything else is needed',
        turns: ['[00:00-00:03] 客户：好的，知道了。', '[00:04-00:06] 坐席：好的，再见。'],
      },
      { name: 'the agent just stops', turns: ['客户：那我明天再看看。', '坐席：嗯，好。'] },
    ],
  },
});
