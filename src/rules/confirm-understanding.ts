import type { PreparedUtterance } from '../model/call.js';
import { agentUtterances, at, quote, startTimes } from './helpers.js';
import { extraPhraseList, phraseList, withExtra } from './phrase-options.js';
import { defineRule } from './types.js';

/**
 * Seed 001 step 6 (重复顾客关切的问题,确保你已经理解) and seed 002 需求复述确认 ("您希望我们优先解决XX问题对吗?"):
 * the wordings of a restatement, and a statement closed by a tag question (…对吗 / …是吗), which is how a
 * restatement usually ends. A bare "是吗?" (really?) is not one: the tag must end a clause
 * and follow at least two characters of a statement (a comma between is allowed: 多扣了五十元，对吗).
 * The statement is a lookbehind, so the match is the tag alone: a forward `[^…]{2,}` before the tag
 * made the engine try every start of every clause (quadratic, 8× slower on long ASR turns). The tag
 * comes first and the lookbehind after it (reading the tag back, then the statement): with the
 * lookbehind first the engine ran it at every character; now it runs only where a tag was found
 * (5–8× faster over the benchmark corpus). Which texts match, and where, is the same.
 */
export const DEFAULT_CONFIRMATIONS = [
  '您是说',
  '您的意思是',
  '您是想',
  '您刚才说',
  '您刚刚说',
  '跟您确认',
  '和您确认',
  '向您确认',
  '同您确认',
  '我确认一下',
  '再确认一下',
  '我复述一下',
  '我重复一下',
  '也就是说',
  '我理解的是',
  '/(?:对吗|对吧|对不对|是吗|是吧|是这样吗|没错吧)(?<=[^,.。!?;:\\s]{2}[,\\s]*(?:对吗|对吧|对不对|是吗|是吧|是这样吗|没错吧))(?=[,.。!?;:\\s]|$)/',
];

export default defineRule({
  id: 'confirm-understanding',
  kind: 'seed',
  description:
    "The agent restates or confirms the customer's need at least once after the customer first speaks (您是说…, 跟您确认一下, 您的意思是, …对吗?). Pass or fail per call.",
  source:
    'seeds/001 化解顾客不满的步骤·第六步: 重复顾客关切的问题,确保你已经理解。seeds/002 共情表达方法·需求复述确认: 用"您希望我们优先解决XX问题对吗?"等表述精准复述客户核心诉求。',
  needs: 'customer and agent speech',
  defaultDeduction: 5,
  options: {
    phrases: phraseList(DEFAULT_CONFIRMATIONS, 'wordings of a restatement or confirmation (literal, or /regex/)'),
    extra_phrases: extraPhraseList('wordings besides the default list'),
  },
  check(call, options) {
    const phrases = withExtra(options.phrases, options.extra_phrases);
    const firstCustomer = call.utterances.findIndex((u) => u.speaker === 'customer');
    if (firstCustomer < 0 || agentUtterances(call).length === 0) return { outcome: 'n/a', findings: [] };
    // A confirmation before the customer has said anything confirms nothing they said.
    const confirming: PreparedUtterance[] = [];
    for (let k = firstCustomer + 1; k < call.utterances.length; k++) {
      const u = call.utterances[k] as PreparedUtterance;
      if (u.speaker === 'agent' && phrases.test(u.norm.text)) confirming.push(u);
    }
    const hits = startTimes(confirming);
    if (confirming.length > 0) return { outcome: 'pass', findings: [], hits };
    // The customer's longest turn is the likeliest statement of the need that went unconfirmed.
    const customer = call.utterances.filter((u) => u.speaker === 'customer');
    const need = customer.reduce((a, b) => (b.text.length > a.text.length ? b : a));
    return {
      outcome: 'fail',
      findings: [
        {
          ...at(need),
          message: 'the agent never restated the customer\'s need to confirm it; repeat it back, e.g. "您是说……，对吗？"',
          evidence: quote(need),
        },
      ],
      hits,
    };
  },
  examples: {
    pass: [
      {
        name: 'the need repeated back',
        turns: ['客户：我上个月多扣了五十块钱。', '坐席：您是说上个月的话费多扣了五十元，对吗？', '客户：对。'],
      },
      { name: 'a statement with a tag question', turns: ['客户：我想把套餐换成便宜一点的。', '坐席：您希望换成月费更低的套餐对吗？'] },
    ],
    fail: [{ name: 'straight to the answer', turns: ['客户：我上个月多扣了五十块钱。', '坐席：我查一下。', '坐席：已经退给你了。'] }],
  },
});
