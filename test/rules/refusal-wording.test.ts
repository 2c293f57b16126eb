import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/format.js';
import rule, { DEFAULT_REFUSAL_SUGGESTION } from '../../src/rules/refusal-wording.js';
import { EMPTY_CONTEXT, optionsSchema } from '../../src/rules/types.js';
import { call, ruleTable } from '../helpers/rule-table.js';

/** The run's language Simplified Chinese: messages as a QA supervisor writes them. */
const ZH = { ...EMPTY_CONTEXT, say: translator('zh-CN') };

const msg = (said: string) => `flat refusal "${said}": thank the customer, give the reason and offer an alternative, e.g. "${DEFAULT_REFUSAL_SUGGESTION}"`;

describe('refusal-wording', () => {
  ruleTable(rule, {
    valid: [
      { name: 'thanks, reason and alternative', call: call(['agent: 感谢您的信任，根据公司规定我们无法减免月租，不过可以为您申请一张流量券。']) },
      { name: 'the seed’s polite form of 我帮不了你', call: call(['agent: 我理解这对您很重要，虽然我在这方面无法直接提供帮助，但我可以为您转接专业团队。']) },
      { name: 'the customer describing a fault', call: call(['customer: 我现在没办法上网，你们帮不了我吗？', 'agent: 好的，我马上为您检测。']) },
      { name: 'the agent restating the customer’s fault', call: call(['agent: 您是说现在没办法登录，对吗？']) },
      { name: 'a conditional', call: call(['agent: 如果这边帮不了您的话，我会为您转接技术部门。']) },
      {
        name: 'a flat refusal with a reason and an alternative is the seed’s polite refusal',
        call: call([
          'agent: 非常抱歉，根据规定改签我们这边办不了，不过我可以帮您转到人工柜台预约。',
          'agent: 因为仓库已经出库了，当天改地址我们做不到，不过可以帮您联系快递员改派。',
          'agent: 按照规定超过七天就没办法了不过可以给您办理换货',
        ]),
      },
      {
        name: 'echoing the customer',
        call: call(['agent: 您是说商家那边帮不了您吗？', 'agent: 您觉得我们什么都办不了，这个我理解。', 'agent: 您是說門市那邊辦不了嗎？']),
      },
      {
        name: 'conditionals',
        call: call([
          'agent: 万一系统帮不了您，我们再转人工核实。',
          'agent: 要是網上辦不了，您也可以到門市辦理。',
          'agent: 如果明天做不到，我们会第一时间通知您。',
        ]),
      },
      {
        name: 'a reason and an alternative worded 或者我帮您 / 您可以, and 确实没办法 redeemed the same way',
        call: call([
          'agent: 这个今天办不了，因为系统在升级，您可以明天再试，或者我帮您登记一下。',
          'agent: 这个确实没办法，因为已经过了退货期，不过我可以帮您申请保修。',
        ]),
      },
      { name: 'a negated refusal (不是帮不了您，是…)', call: call(['agent: 不是帮不了您，是需要您本人来办理。']) },
      { name: 'reassurance is no refusal', call: call(['agent: 您放心，信息泄露是不可能的，我们都是加密存储。']) },
      { name: 'a question offering an option', call: call(['agent: 您自己去网点取件方便吗？']) },
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
        name: 'new flat refusals: 做不到, 搞不定, 没辙, 不可能 as a clause of its own',
        call: call(['agent: 今天下午我们做不到。', 'agent: 这个我搞不定。', 'agent: 我也没辙啊。', 'agent: 不可能，系统不会算错的。']),
        findings: [{ message: msg('做不到') }, { message: msg('搞不定') }, { message: msg('没辙') }, { message: msg('不可能') }],
      },
      {
        name: 'a deflection stays one whatever reason or alternative comes with it',
        call: call(['agent: 这不归我管，根据规定不过你可以打快递公司的电话。', 'agent: 这事你找别人吧。']),
        findings: [{ message: msg('不归我管') }, { message: msg('你找别人') }],
      },
      {
        name: 'sending the customer off to fix it alone (你自己重启, 你自己處理)',
        call: call(['agent: 你自己重启下路由器试试。', 'agent: 你自己處理一下吧。']),
        findings: [{ message: msg('你自己重启') }, { message: msg('你自己处理') }],
      },
      {
        name: 'deflections with a word between (跟我们平台没关系, 不归我们部门管)',
        call: call(['agent: 这个问题你找商家去，跟我们平台没关系。', 'agent: 发票不归我们部门管。']),
        findings: [{ message: msg('跟我们平台没关系') }, { message: msg('不归我们部门管') }],
      },
      {
        name: 'the customer as subject is still a refusal here (您这边办不了)',
        call: call(['agent: 您这边办不了，得本人来。']),
        findings: [{ message: msg('办不了') }],
      },
      {
        name: 'a reason without an alternative, or an alternative without a reason, is still flat',
        call: call([
          'agent: 根据规定，这个我们办不了。',
          'agent: 这个办不了，您去营业厅问问吧。',
          'agent: 不过我可以看看，这个因为系统办不了。',
          'agent: 这个确实没办法。',
        ]),
        findings: [{ message: msg('办不了') }, { message: msg('办不了') }, { message: msg('办不了') }, { message: msg('这个确实没办法') }],
      },
      {
        name: 'the reason and alternative markers are options',
        call: call(['agent: 根据规定这个办不了，不过可以为您申请补偿。']),
        options: { polite_refusal: { alternatives: ['另行安排'] } },
        findings: [{ message: msg('办不了') }],
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

  it('asks for review where the clause cannot tell', () => {
    const options = optionsSchema(rule).parse({}) as never;
    const result = rule.check(call(['agent: 我们也办不了呢？']), options, EMPTY_CONTEXT);
    expect(result.outcome).toBe('review');
    expect(result.findings.map((f) => f.message)).toEqual([`${msg('办不了')} (a question with the agent as its subject: for review)`]);
  });
});

describe('refusal-wording in Chinese', () => {
  const options = optionsSchema(rule).parse({}) as never;

  it('zh-CN: the flat refusal and the polite form to use instead', () => {
    const result = rule.check(call(['customer: 能不能给我免掉这个月的月租？', 'agent: 这不可能。']), options, ZH);
    expect(result.findings.map((f) => f.message)).toEqual([`生硬拒绝“这不可能”：应先感谢客户，说明原因，再提供替代方案，例如“${DEFAULT_REFUSAL_SUGGESTION}”`]);
  });

  it('zh-CN: for review, with why', () => {
    const result = rule.check(call(['customer: 能免吗？', 'agent: 我办不了吗？']), options, ZH);
    expect(result.outcome).toBe('review');
    expect(result.findings.map((f) => f.message)).toEqual([
      `疑似生硬拒绝“办不了”（以坐席为主语的问句，请复核）：应先感谢客户，说明原因，再提供替代方案，例如“${DEFAULT_REFUSAL_SUGGESTION}”`,
    ]);
  });
});
