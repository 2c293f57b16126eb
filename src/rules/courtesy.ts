import { z } from 'zod';
import type { Occurrence } from '../match/phrases.js';
import type { PreparedUtterance } from '../model/call.js';
import { agentUtterances, at, quote } from './helpers.js';
import { extraPhraseList, phraseList, withExtra } from './phrase-options.js';
import { defineRule } from './types.js';

/**
 * Seed 000 语言礼仪·沟通用语: 请 / 谢谢 / 不客气 / 对不起, as the forms agents say them, matched as words (请 is not
 * in 请示, 申请, 请求, 邀请): requests (请 opening a clause, 请问, 请您, 请稍等, 烦请, 麻烦您, 劳烦…), thanks (谢谢, 感谢,
 * 辛苦了…), the reply to thanks (不客气, 不用谢), apologies (对不起, 抱歉, 不好意思, 添麻烦, 久等) and 打扰了. 您 and 您好 are left out on
 * purpose: every greeting and most sentences hold them (您好 / 为您服务 / 帮您查), so counting them would pass any
 * call that has a greeting and says nothing about courtesy later; the greeting rule already checks 您好. 麻烦
 * counts only opening a clause (麻烦报一下…), and bare 辛苦 not at all: 这个比较麻烦 and 师傅也很辛苦 describe,
 * they neither ask nor thank.
 */
export const DEFAULT_POLITE_WORDS = [
  // 请 asks the customer where it opens a clause (请到东门取件, 好的请稍等, 您请讲); after a subject it invites
  // someone else (我请同事看一下, 我们会请师傅上门).
  '/(?<=^|[,.。!?;:\\s]|您|你|好的|那)请/',
  '请问',
  '请您',
  '请你',
  '请稍等',
  '请稍候',
  '请耐心',
  '请放心',
  '请原谅',
  '烦请',
  '敬请',
  '恳请',
  '谢谢',
  '多谢',
  '感谢',
  '不用谢',
  '不客气',
  '别客气',
  '对不起',
  '抱歉',
  '不好意思',
  '见谅',
  '添麻烦',
  '久等',
  '麻烦您',
  '麻烦你',
  // 麻烦 opening a clause asks (麻烦报一下手机号) or thanks (好的，麻烦了); 比较麻烦 and 麻烦的是 describe.
  '/(?<=^|[,.。!?;:\\s])麻烦(?=[^的事])/',
  '劳烦',
  '劳驾',
  '辛苦了',
  '辛苦您',
  '辛苦你',
  '打扰了',
  '打扰您',
  '打扰一下',
];

/** Words holding 请 that are not a polite request (申请退款, 请示领导, 您的请求): word matching leaves them out already; kept for text the segmenter reads otherwise. */
export const DEFAULT_POLITE_EXCEPTIONS = ['申请', '邀请', '聘请', '宴请', '请假', '请客', '请柬', '请示', '请求'];

export default defineRule({
  id: 'courtesy',
  messages: ['courtesy.none', 'courtesy.few-one', 'courtesy.few'],
  kind: 'seed',
  description:
    'The agent uses polite forms (请/请问/请您, 谢谢/感谢, 不客气, 对不起/抱歉, 麻烦您, 辛苦了, 打扰了…) at least min_count times over the call, matched as words: 请示, 申请, 请求 and 邀请 hold 请 but ask nothing politely, and 您/您好 (in every greeting) do not count. Calls with fewer than min_agent_turns agent turns are too short to judge.',
  source: 'seeds/000 语言礼仪·沟通用语: 使用"请"、"谢谢"、"不客气"、"对不起"等礼貌用语。',
  needs: 'at least min_agent_turns agent turns',
  limits:
    "Counts forms, not tone: two polite words pass a call however curt the rest; polite wordings outside the list (有劳, 感激) are missed unless added (extra_phrases); 请问 and 感谢 in the greeting and closing count, as the seed's own words.",
  defaultDeduction: 5,
  options: {
    phrases: phraseList(DEFAULT_POLITE_WORDS, 'polite words and expressions (literal, or /regex/); each occurrence counts once'),
    exceptions: phraseList(DEFAULT_POLITE_EXCEPTIONS, 'words in which a polite word does not count (申请 holds 请 but asks nothing politely)'),
    extra_phrases: extraPhraseList('polite words besides the default list'),
    extra_exceptions: extraPhraseList('exceptions besides the default list'),
    min_count: z
      .number()
      .int()
      .positive()
      .default(2)
      .describe('the fewest polite words a call must hold (a request with 请 and a thanks with 谢谢 or 感谢, as the seed lists them)'),
    min_agent_turns: z.number().int().min(0).default(3).describe('calls with fewer agent turns (a dropped or misdialled call) are n/a'),
  },
  check(call, options, { say }) {
    const phrases = withExtra(options.phrases, options.extra_phrases);
    const exceptions = withExtra(options.exceptions, options.extra_exceptions);
    const agent = agentUtterances(call);
    if (agent.length === 0 || agent.length < options.min_agent_turns) return { outcome: 'n/a', findings: [] };
    // Counted first: most calls pass, and a pass needs only the count and the turns' times. Loops, not
    // flatMap (its arrays a turn took half of this rule's time).
    const hits: number[] = [];
    let count = 0;
    for (const u of agent) {
      const n = phrases.findExcept(u.norm.text, exceptions).length;
      count += n;
      if (u.start !== undefined) for (let k = 0; k < n; k++) hits.push(u.start);
      // Enough for a pass: the rest of the call need not be read (hits keep the earliest, all that expr and window.after use).
      if (count >= options.min_count) break;
    }
    if (count >= options.min_count) return { outcome: 'pass', findings: [], hits };
    // A failing call: which words, where (a second look at the few turns that had any).
    const found: Array<{ u: PreparedUtterance; occ: Occurrence }> = [];
    for (const u of agent) for (const occ of phrases.findExcept(u.norm.text, exceptions)) found.push({ u, occ });
    const min = options.min_count;
    const first = found[0];
    if (!first) {
      // Nothing to quote for an absence: the agent's longest turn, the fullest chance to be polite.
      const longest = agent.reduce((a, b) => (b.text.length > a.text.length ? b : a));
      return {
        outcome: 'fail',
        findings: [
          {
            ...at(longest),
            message: say('courtesy.none', { min }),
            evidence: quote(longest),
          },
        ],
        hits,
      };
    }
    const words = found.map(({ u, occ }) => u.norm.text.slice(occ.start, occ.end));
    return {
      outcome: 'fail',
      findings: [
        {
          ...at(first.u),
          message: say(found.length === 1 ? 'courtesy.few-one' : 'courtesy.few', {
            count: found.length,
            words: words.map((word) => say('courtesy.word', { word })),
            min,
          }),
          evidence: found.map(({ u, occ }) => quote(u, occ)).join(' / '),
        },
      ],
      hits,
    };
  },
  examples: {
    pass: [
      {
        name: 'a request and a thanks',
        turns: [
          '坐席：您好，星辰通信，很高兴为您服务。',
          '客户：我的宽带断了。',
          '坐席：请您提供一下宽带账号。',
          '客户：123456。',
          '坐席：好的，已经为您报修，感谢您的来电。',
        ],
      },
    ],
    fail: [
      {
        name: 'a curt agent',
        turns: ['坐席：您好，星辰通信。', '客户：我的宽带断了。', '坐席：账号多少？', '客户：123456。', '坐席：报修了，等着吧。'],
      },
    ],
  },
});
