import { extraPhraseList, forbiddenPhrases, phraseList } from './phrase-options.js';
import { defineRule } from './types.js';

export default defineRule({
  id: 'banned-phrases',
  kind: 'seed',
  description:
    'The agent never uses a banned (negative) phrase; each occurrence in agent speech is one finding. An occurrence inside an exception phrase does not count.',
  source: 'seeds/000 语言礼仪·沟通用语: 使用"请"、"谢谢"…等礼貌用语, 避免使用"不行"、"不知道"等消极词汇。',
  needs: 'agent speech',
  defaultDeduction: 5,
  defaultMaxDeduction: 20,
  options: {
    phrases: phraseList(['不知道', '不行'], 'phrases the agent must not say (literal, or /regex/)'),
    exceptions: phraseList(
      ['不知道您', '不知道是否', '不知道能不能帮', '不行的话'],
      'phrases in which a banned phrase is acceptable (不知道您现在方便吗 is polite, not a refusal)',
    ),
    extra_phrases: extraPhraseList('phrases banned besides the default list'),
    extra_exceptions: extraPhraseList('exceptions besides the default list'),
  },
  check(call, options) {
    return forbiddenPhrases(call, options, (occ) => `banned phrase "${occ.phrase}"`);
  },
  examples: {
    pass: [
      { name: 'a polite indirect question is not the banned 不知道', turns: ['客户：我的快递到哪了？', '坐席：不知道您方便提供一下单号吗？'] },
      { name: 'the customer may say it', turns: ['客户：我也不知道怎么回事', '坐席：好的，我来帮您查一下'] },
    ],
    fail: [{ name: 'a flat 不知道', turns: ['客户：什么时候能修好？', '坐席：这个我也不知道。'] }],
  },
});
