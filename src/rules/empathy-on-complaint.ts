import { z } from 'zod';
import type { PreparedUtterance } from '../model/call.js';
import { at, quote } from './helpers.js';
import { extraPhraseList, phraseList, withExtra } from './phrase-options.js';
import type { RuleFinding } from './types.js';
import { defineRule } from './types.js';

/** What an unhappy or angry customer says (seed 000 投诉处理, 面对情绪化客户; seed 001 顾客为什么会不满). */
export const DEFAULT_COMPLAINT_CUES = [
  '投诉',
  '差评',
  '12315',
  '不满意',
  '太差',
  '很差',
  '生气',
  '气死',
  '什么破',
  '搞什么',
  '怎么搞的',
  '太过分',
  '过分了',
  '受不了',
  '忍无可忍',
  '烦死了',
  '什么态度',
  '垃圾',
  '坑人',
  '骗人',
  '骗子',
  '离谱',
  '无语',
];

/** Cue words that say the opposite, or name a topic rather than a feeling. */
export const DEFAULT_CUE_EXCEPTIONS = ['不是投诉', '不是要投诉', '不想投诉', '不用投诉', '没生气', '不生气', '没有不满意', '垃圾短信', '垃圾邮件', '垃圾电话'];

/**
 * Seed 000 C.A.L.M. Confirm ("我理解这种情况令您感到失望"), 真诚道歉; seed 002 共情表达 ("理解您的焦虑",
 * "感谢您指出问题") and 标准化话术 (道歉用语); seed 001 第三步 为发生的事情道歉.
 */
export const DEFAULT_EMPATHY = [
  '抱歉',
  '对不起',
  '不好意思',
  '我理解',
  '理解您',
  '能理解',
  '非常理解',
  '完全理解',
  '十分理解',
  '可以理解',
  '您的心情',
  '给您添麻烦',
  '给您带来不便',
  '给您带来困扰',
  '给您造成',
  '让您久等',
  '让您失望',
  '感到失望',
  '别着急',
  '不要着急',
  '别生气',
  '不要生气',
  '消消气',
  '感谢您指出',
  '感谢您的反馈',
];

/** An agent turn of at most this many characters (punctuation aside) is a backchannel (嗯, 是的, 明白), not a reply. */
const BACKCHANNEL_CHARS = 2;
const PUNCTUATION = /[\s\p{P}\p{S}]/gu;

const isBackchannel = (u: PreparedUtterance) => u.norm.text.replace(PUNCTUATION, '').length <= BACKCHANNEL_CHARS;

export default defineRule({
  id: 'empathy-on-complaint',
  kind: 'seed',
  description:
    "When the customer complains or shows anger (投诉, 太差, 生气, 不满意, 什么破…), the agent apologises or shows empathy (抱歉, 理解您, 给您添麻烦了…) within the agent's next within_turns replies. One finding per unanswered complaint (the customer's turns between two agent replies count as one).",
  source:
    'seeds/000 有效化解客户情绪·C-确认感受(Confirm): 首先承认并确认客户的情绪和感受…使用如"我理解这种情况令您感到失望/困扰"等语句。seeds/002 共情表达方法: 使用"理解您的焦虑""感谢您指出问题"等句式表达情感认同。',
  needs: 'a complaint or anger cue in customer speech, followed by agent speech',
  defaultDeduction: 10,
  defaultMaxDeduction: 20,
  options: {
    cues: phraseList(DEFAULT_COMPLAINT_CUES, 'what a complaining or angry customer says (literal, or /regex/)'),
    cue_exceptions: phraseList(DEFAULT_CUE_EXCEPTIONS, 'phrases in which a cue does not count (我不是投诉, 垃圾短信)'),
    phrases: phraseList(DEFAULT_EMPATHY, 'apology and empathy phrases that answer a complaint (literal, or /regex/)'),
    extra_cues: extraPhraseList('cues besides the default list'),
    extra_cue_exceptions: extraPhraseList('cue exceptions besides the default list'),
    extra_phrases: extraPhraseList('empathy phrases besides the default list'),
    within_turns: z
      .number()
      .int()
      .positive()
      .default(2)
      .describe('the empathy must come in this many agent replies after the complaint (backchannels such as 嗯 or 是的 are not counted)'),
  },
  check(call, options) {
    const cues = withExtra(options.cues, options.extra_cues);
    const cueExceptions = withExtra(options.cue_exceptions, options.extra_cue_exceptions);
    const empathy = withExtra(options.phrases, options.extra_phrases);
    const us = call.utterances;
    /** The first cue in a customer turn (quoted around it: a long rant is cut to the stretch that matters). */
    const cueIn = (u: PreparedUtterance) => (u.speaker === 'customer' ? cues.findExcept(u.norm.text, cueExceptions)[0] : undefined);

    const findings: RuleFinding[] = [];
    const hits: number[] = [];
    let judged = 0;
    let i = 0;
    while (i < us.length) {
      const cue = us[i] as PreparedUtterance;
      const first = cueIn(cue);
      if (!first) {
        i++;
        continue;
      }
      if (cue.start !== undefined) hits.push(cue.start);
      // The customer's turns up to the agent's next reply are one complaint.
      const complaint = [quote(cue, first)];
      let j = i + 1;
      for (; j < us.length && (us[j] as PreparedUtterance).speaker === 'customer'; j++) {
        const u = us[j] as PreparedUtterance;
        const more = cueIn(u);
        if (more) complaint.push(quote(u, more));
      }
      // The agent's replies from there: up to within_turns of them, backchannels aside (but an apology in one counts).
      let replies = 0;
      let answered = false;
      for (let k = j; k < us.length && replies < options.within_turns; k++) {
        const u = us[k] as PreparedUtterance;
        if (u.speaker !== 'agent') continue;
        if (empathy.test(u.norm.text)) {
          answered = true;
          break;
        }
        if (!isBackchannel(u)) replies++;
      }
      // A complaint the agent never replied to (the call ends on it, or on a backchannel) is not judged.
      if (replies > 0 || answered) judged++;
      if (replies > 0 && !answered) {
        findings.push({
          ...at(cue),
          message: `complaint not acknowledged: no apology or empathy in the agent's next ${options.within_turns} ${options.within_turns === 1 ? 'reply' : 'replies'}; C.A.L.M. Confirm: first acknowledge the feeling, e.g. "非常抱歉，我理解这种情况令您感到失望"`,
          evidence: complaint.join(' / '),
        });
      }
      // Later customer turns before the agent's next reply belong to this complaint.
      i = j;
    }
    if (judged === 0) return { outcome: 'n/a', findings: [], hits };
    return { outcome: findings.length > 0 ? 'fail' : 'pass', findings, hits };
  },
  examples: {
    pass: [
      {
        name: 'an apology and understanding first',
        turns: ['客户：你们这什么破网，三天两头断，我要投诉！', '坐席：非常抱歉给您添麻烦了，我理解您的心情，我马上为您查询。'],
      },
    ],
    fail: [
      {
        name: 'straight to business',
        turns: ['客户：你们这什么破网，三天两头断，我要投诉！', '坐席：账号多少？', '客户：123456。', '坐席：等着吧，会有人联系你。'],
      },
    ],
  },
});
