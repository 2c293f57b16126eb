import { extraPhraseList, forbiddenPhrases, phraseList } from './phrase-options.js';
import { contextOption } from './refusal-context.js';
import { defineRule } from './types.js';

/** Seed 000 语言礼仪: 避免使用"不行"、"不知道"等消极词汇 — and their synonyms as flat answers (不晓得, 不清楚). */
export const DEFAULT_BANNED = ['不知道', '不晓得', '不清楚', '不太清楚', '不行'];

/** Fixed phrases holding a banned word that are never the agent's refusal: a bad line (听不清楚). */
export const DEFAULT_BANNED_EXCEPTIONS = ['听不清楚', '看不清楚', '听不太清楚', '看不太清楚'];

export default defineRule({
  id: 'banned-phrases',
  messages: ['banned-phrases.phrase', 'banned-phrases.phrase-review'],
  kind: 'seed',
  description:
    'The agent never uses a banned (negative) word to the customer — a flat 不知道/不晓得/不清楚 in answer, a 不行 refusing a request; each occurrence is one finding. Not counted: a match inside an exception phrase, and a match its clause shows is no refusal: an A-not-A question (行不行, 知不知道), a question (不行吗？), a conditional (如果…不行, 不行的话, 实在不行), a polite indirect question (不知道您方便吗), an echo of the customer (您说您不知道…), a description of a thing (信号不行), reassurance. Where the clause cannot tell, the rule asks for review.',
  source: 'seeds/000 语言礼仪·沟通用语: 使用"请"、"谢谢"…等礼貌用语, 避免使用"不行"、"不知道"等消极词汇。',
  needs: 'agent speech',
  limits:
    'Reads the clause around a match from word lists, not a grammar: the agent is taken as subject only right before the word (我跟你说不行 reads as an echo), rhetorical questions (你连这个都不知道吗？) pass as questions, dialect negatives off the list (唔知) are missed, and unclear unpunctuated context asks for review.',
  defaultDeduction: 5,
  defaultMaxDeduction: 20,
  options: {
    phrases: phraseList(DEFAULT_BANNED, 'phrases the agent must not say (literal, or /regex/)'),
    exceptions: phraseList(DEFAULT_BANNED_EXCEPTIONS, 'phrases in which a banned phrase never counts (听不清楚)'),
    extra_phrases: extraPhraseList('phrases banned besides the default list'),
    extra_exceptions: extraPhraseList('exceptions besides the default list'),
    context: contextOption(),
  },
  check(call, options, { say }) {
    return forbiddenPhrases(call, options, say, (occ, _u, why) =>
      why === undefined ? say('banned-phrases.phrase', { phrase: occ.phrase }) : say('banned-phrases.phrase-review', { phrase: occ.phrase, why }),
    );
  },
  examples: {
    pass: [
      { name: 'a polite indirect question is not the banned 不知道', turns: ['客户：我的快递到哪了？', '坐席：不知道您方便提供一下单号吗？'] },
      { name: 'an A-not-A question is not the banned 不行', turns: ['客户：能晚点送吗？', '坐席：给您改到晚上七点以后，您看行不行？'] },
      { name: 'the customer may say it', turns: ['客户：我也不知道怎么回事', '坐席：好的，我来帮您查一下'] },
    ],
    fail: [
      { name: 'a flat 不知道', turns: ['客户：什么时候能修好？', '坐席：这个我也不知道。'] },
      { name: '不行 refusing a request', turns: ['客户：能帮我把套餐改成这个月生效吗？', '坐席：不行，只能次月生效。'] },
    ],
  },
});
