import { describe } from 'vitest';
import rule, { DEFAULT_REFUSAL_SUGGESTION } from '../../src/rules/refusal-wording.js';
import { call, ruleTable } from '../helpers/rule-table.js';

const msg = (said: string) => `flat refusal "${said}": thank the customer, give the reason and offer an alternative, e.g. "${DEFAULT_REFUSAL_SUGGESTION}"`;

describe('refusal-wording', () => {
  ruleTable(rule, {
    valid: [
      { name: 'thanks, reason and alternative', call: call(['agent: 感谢您的信任，根据公司规定我们无法减免月租，不过可以为您申请一张流量券。']) },
      { name: 'the seed’s polite form of 我帮不了你', call: call(['agent: 我理解这对您很重要，虽然我在这方面无法直接提供帮助，但我可以为您转接专业团队。']) },
      { name: 'the customer describing a fault', call: call(['customer: 我现在没办法上网，你们帮不了我吗？', 'agent: 好的，我马上为您检测。']) },
      { name: 'the agent restating the customer’s fault', call: call(['agent: 您是说现在没办法登录，对吗？']) },
      { name: 'a conditional', call: call(['agent: 如果这边帮不了您的话，我会为您转接技术部门。']) },
      { name: 'a custom list replaces the default', call: call(['agent: 这不可能。']), options: { phrases: ['爱莫能助'] } },
    ],
    invalid: [
      {
        name: '这不可能',
        call: call(['[00:00-00:03] customer: 能免掉月租吗？', '[00:04-00:05] agent: 这不可能。']),
        findings: [{ at: 4, message: msg('这不可能'), evidence: '这不可能。' }],
      },
      {
        name: 'each occurrence is a finding',
        call: call(['agent: 这不归我管，你自己去问快递公司。']),
        findings: [{ message: msg('不归我管') }, { message: msg('你自己去') }],
      },
      {
        name: '没办法 as a clause of its own',
        call: call(['agent: 没办法，这是规定。', 'agent: 这个也没有办法了！', 'agent: 我也没办法。']),
        findings: [{ message: msg('没办法') }, { message: msg('这个也没有办法了') }, { message: msg('我也没办法'), evidence: '我也没办法。' }],
      },
      {
        name: 'blaming and passing the buck',
        call: call(['agent: 这不是我们的问题，跟我们没关系。']),
        findings: [{ message: msg('不是我们的问题') }, { message: msg('跟我们没关系') }],
      },
      {
        name: 'Traditional script and ASR spaces',
        call: call(['客服：我 幫 不 了 你 。']),
        findings: [{ message: msg('帮不了'), evidence: '我 幫 不 了 你 。' }],
      },
      {
        name: 'the suggestion is configurable',
        call: call(['agent: 帮不了。']),
        options: { suggestion: '我理解这对您很重要，不过我可以为您……' },
        findings: [
          { message: 'flat refusal "帮不了": thank the customer, give the reason and offer an alternative, e.g. "我理解这对您很重要，不过我可以为您……"' },
        ],
      },
      {
        name: 'extra phrases extend the list',
        call: call(['agent: 爱莫能助，这不可能。']),
        options: { extra_phrases: ['爱莫能助'] },
        findings: [{ message: msg('爱莫能助') }, { message: msg('这不可能') }],
      },
      {
        name: 'an exception covers only its own occurrence',
        call: call(['agent: 如果帮不了您，我也没办法。']),
        findings: [{ message: msg('我也没办法') }],
      },
    ],
    notApplicable: [{ name: 'no agent speech', call: call(['customer: 这不可能！']) }],
  });
});
