import { z } from 'zod';
import { extraPhraseList, forbiddenPhrases, phraseList } from './phrase-options.js';
import { defineRule } from './types.js';

/**
 * Seed 000 礼貌性拒绝的技巧: not "这不可能" or "我帮不了你" — and the other flat refusals agents use:
 * passing the buck (不归我管), blaming (不是我们的问题), sending the customer off (你自己去).
 * 没办法 is matched only where it is the refusal itself (a clause of its own, 我也没办法, 没办法处理),
 * not where it describes the customer's fault (您现在没办法上网).
 */
export const DEFAULT_REFUSALS = [
  '这不可能',
  '那不可能',
  '是不可能的',
  '帮不了',
  '办不了',
  '管不了',
  '不归我管',
  '不归我们管',
  '不是我管的',
  '不关我的事',
  '不关我们的事',
  '跟我没关系',
  '跟我们没关系',
  '与我无关',
  '我也没办法',
  '我们也没办法',
  '那也没办法',
  '实在没办法',
  '没办法帮',
  '没有办法帮',
  '没办法处理',
  '没有办法处理',
  '/(?:^|[,.。!?;])\\s*(?:这个|那|这)?(?:也)?没(?:有)?办法(?:了|啊|呀|的)?\\s*(?=[,.。!?;]|$)/',
  '不是我们的问题',
  '不是我们这边的问题',
  '不是我的问题',
  '不是我们的责任',
  '不是我的责任',
  '不是我们的错',
  '你自己去',
  '您自己去',
  '你自己看着办',
  '你自己查',
];

/** Conditionals and questions that hold a refusal phrase without refusing. */
export const DEFAULT_REFUSAL_EXCEPTIONS = ['如果帮不了', '如果办不了', '帮不了您的话', '办不了的话'];

export const DEFAULT_REFUSAL_SUGGESTION = '感谢您的理解，根据公司规定我们无法……，不过我们可以为您……';

export default defineRule({
  id: 'refusal-wording',
  kind: 'seed',
  description:
    'The agent never refuses flatly (这不可能, 我帮不了你, 这不归我管, 没办法, 不是我们的问题, 你自己去…); each occurrence is one finding, with the polite form to use instead: thanks or understanding, the reason, an alternative.',
  source:
    'seeds/000 礼貌性拒绝的技巧: 应先表示感谢和理解,然后清晰表达无法满足的原因,最后提供替代方案。不恰当:"这不可能。""我帮不了你。"恰当:"感谢您的信任,但根据公司政策,我们无法提供这项服务。不过,我们可以为您提供..."',
  needs: 'agent speech',
  defaultDeduction: 5,
  defaultMaxDeduction: 15,
  options: {
    phrases: phraseList(DEFAULT_REFUSALS, 'flat refusals the agent must not say (literal, or /regex/)'),
    exceptions: phraseList(DEFAULT_REFUSAL_EXCEPTIONS, 'phrases in which a refusal phrase does not count (如果帮不了的话…)'),
    extra_phrases: extraPhraseList('flat refusals besides the default list'),
    extra_exceptions: extraPhraseList('exceptions besides the default list'),
    suggestion: z.string().min(1).default(DEFAULT_REFUSAL_SUGGESTION).describe('the polite refusal each finding suggests instead'),
  },
  check(call, options) {
    return forbiddenPhrases(call, options, (occ, u) => {
      const said = u.norm.text.slice(occ.start, occ.end).replace(/^[,.。!?;\s]+|[\s]+$/gu, '');
      return `flat refusal "${said}": thank the customer, give the reason and offer an alternative, e.g. "${options.suggestion}"`;
    });
  },
  examples: {
    pass: [
      {
        name: 'thanks, the reason and an alternative',
        turns: ['客户：能不能给我免掉这个月的月租？', '坐席：感谢您的信任，根据公司规定我们无法减免月租，不过可以为您申请一张流量券。'],
      },
      { name: 'the customer describing a fault', turns: ['客户：我现在没办法上网。', '坐席：好的，我马上为您检测线路。'] },
    ],
    fail: [
      { name: '这不可能', turns: ['客户：能不能给我免掉这个月的月租？', '坐席：这不可能。'] },
      { name: 'passing the buck', turns: ['客户：快递丢了怎么办？', '坐席：这不归我管，你自己去问快递公司。'] },
    ],
  },
});
