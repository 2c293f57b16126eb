import { describe } from 'vitest';
import rule from '../../src/rules/confirm-understanding.js';
import { call, ruleTable } from '../helpers/rule-table.js';

const MESSAGE = 'the agent never restated the customer\'s need to confirm it; repeat it back, e.g. "您是说……，对吗？"';

describe('confirm-understanding', () => {
  ruleTable(rule, {
    valid: [
      { name: '您是说…对吗', call: call(['customer: 上个月多扣了五十块。', 'agent: 您是说上个月的话费多扣了五十元，对吗？']) },
      { name: 'seed 002: 您希望…对吗', call: call(['customer: 先把网修好再说退款。', 'agent: 您希望我们优先解决断网问题对吗？']) },
      { name: 'a statement with a tag after a comma', call: call(['customer: 宽带从昨天开始断的。', 'agent: 从昨天开始断网，是吗？']) },
      { name: '跟您确认一下', call: call(['customer: 我要改地址。', 'agent: 好的，跟您确认一下新地址是人民路八号。']) },
      { name: 'Traditional script', call: call(['客户：我要退款。', '客服：您的意思是要退掉整筆訂單嗎？']) },
      { name: 'ASR spaces between characters', call: call(['customer: 我要退款', 'agent: 您 是 想 退 掉 整 笔 订 单 对 吗']) },
      {
        name: 'extra phrases extend the list',
        call: call(['customer: 我要退款。', 'agent: 我总结一下，退整笔订单。']),
        options: { extra_phrases: ['我总结一下'] },
      },
    ],
    invalid: [
      {
        name: 'straight to the answer: the customer’s longest turn is quoted',
        call: call([
          '[00:00-00:02] customer: 喂。',
          '[00:03-00:08] customer: 我上个月多扣了五十块钱。',
          '[00:09-00:11] agent: 我查一下。',
          '[00:12-00:15] agent: 已经退给你了。',
        ]),
        findings: [{ at: 3, message: MESSAGE, evidence: '我上个月多扣了五十块钱。' }],
      },
      {
        name: 'a bare 是吗 (really?) is not a restatement',
        call: call(['customer: 我的宽带断了三天了。', 'agent: 是吗？我查一下。']),
        findings: [{ message: MESSAGE }],
      },
      {
        name: '这样可以吗 asks for agreement, not confirmation',
        call: call(['customer: 宽带断了。', 'agent: 明天上午派人上门，这样可以吗？']),
        findings: [{ message: MESSAGE }],
      },
      {
        name: 'a confirmation before the customer speaks confirms nothing they said',
        call: call(['agent: 您好，跟您确认一下，这里是星辰通信。', 'customer: 宽带断了。', 'agent: 好的，马上修。']),
        findings: [{ message: MESSAGE, evidence: '宽带断了。' }],
      },
      {
        name: 'the customer restating does not count',
        call: call(['customer: 您是说明天修，对吗？', 'agent: 对。']),
        findings: [{ message: MESSAGE }],
      },
      {
        name: 'a custom list replaces the default',
        call: call(['customer: 我要退款。', 'agent: 您是说退款对吗？']),
        options: { phrases: ['我总结一下'] },
        findings: [{ message: MESSAGE }],
      },
    ],
    notApplicable: [
      { name: 'no customer speech', call: call(['agent: 您好，请问有什么可以帮您？']) },
      { name: 'no agent speech', call: call(['customer: 我要退款。']) },
    ],
  });
});
