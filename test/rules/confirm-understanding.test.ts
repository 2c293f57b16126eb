import { describe, expect, it } from 'vitest';
import { PhraseMatcher } from '../../src/match/phrases.js';
import rule, { DEFAULT_FUNCTION_WORDS } from '../../src/rules/confirm-understanding.js';
import { CustomerContent, characterwise, contentOf, overlap } from '../../src/rules/restatement.js';
import { EMPTY_CONTEXT, optionsSchema } from '../../src/rules/types.js';
import { call, ruleTable } from '../helpers/rule-table.js';
import { translator } from '../../src/i18n/format.js';

const MESSAGE = 'the agent never restated the customer\'s need to confirm it; repeat it back, e.g. "您是说……，对吗？"';
const check = (lines: string[]) => rule.check(call(lines), optionsSchema(rule).parse({}) as never, EMPTY_CONTEXT);
const REVIEW = "a confirming question shares little with what the customer said: review whether it restates the customer's need";

describe('confirm-understanding', () => {
  ruleTable(rule, {
    valid: [
      { name: '您是说…对吗', call: call(['customer: 上个月多扣了五十块。', 'agent: 您是说上个月的话费多扣了五十元，对吗？']) },
      {
        name: 'seed 002: 您希望…对吗 (opener and tag: a little overlap is enough)',
        call: call(['customer: 网一直断，先给我修好，退费的事后面再说。', 'agent: 您希望我们优先解决断网问题，对吗？']),
      },
      { name: 'a statement with a tag after a comma', call: call(['customer: 宽带从昨天开始断的。', 'agent: 从昨天开始断网，是吗？']) },
      { name: '跟您确认一下', call: call(['customer: 我要把地址改成人民路八号。', 'agent: 好的，跟您确认一下新地址是人民路八号。']) },
      { name: 'Traditional script', call: call(['客户：我要退款，整筆訂單都不要了。', '客服：您的意思是要退掉整筆訂單嗎？']) },
      { name: 'ASR spaces between characters', call: call(['customer: 我 想 退 掉 这 个 会 员', 'agent: 您 是 想 退 掉 会 员 对 吗']) },
      {
        name: 'ASR without punctuation: the opener reads on to the end of the turn',
        call: call(['customer: 我家宽带从昨天晚上开始就上不了网了', 'agent: 好的您是说宽带从昨天晚上开始上不了网是吧我帮您查一下']),
      },
      { name: 'ASR homophones: 宽代 and 宽带 sound alike', call: call(['customer: 我要办宽代提速', 'agent: 您是要给宽带提速对吗']) },
      { name: 'a short need echoed whole (我要退货 → 退货，对吗)', call: call(['customer: 我要退货。', 'agent: 您是要退货，对吗？是哪一个订单呢？']) },
      { name: 'a colloquial tag (对不)', call: call(['customer: 我那个燃气卡充了钱但是表上没显示', 'agent: 哦就是燃气卡充了钱表上没显示对不']) },
      {
        name: 'the need told over two turns',
        call: call(['customer: 我要办宽带。', 'customer: 要三百兆的，装在新家。', 'agent: 您是要在新家办一条三百兆的宽带，对吧？']),
      },
      {
        name: 'an opener of what the customer thinks (您是觉得…，对吗)',
        call: call(['customer: 我现在网速够用了，不需要。', 'agent: 好的，您是觉得目前一百兆的网速已经够用，暂时不考虑升级，对吗？']),
      },
      {
        name: 'a number inside a restatement that says more (更新预留手机号)',
        call: call(['customer: 我想把预留手机号改一下。', 'agent: 跟您核对一下，您是要把预留手机号更新为13712345432，对吗？']),
      },
      {
        name: 'extra phrases extend the list',
        call: call(['customer: 我要退掉整笔订单。', 'agent: 我总结一下，退掉整笔订单。']),
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
        name: 'a tag on something the customer never said (您是户主本人对吧)',
        call: call(['customer: 我的宽带断了三天了。', 'agent: 您是户主本人对吧？', 'customer: 是的。']),
        findings: [{ message: MESSAGE }],
      },
      {
        name: 'a tag on the agent’s own explanation',
        call: call(['customer: 为什么我的话费突然多了二十块？', 'agent: 您开通了视频会员，每月二十元，您应该收到短信了对吧？']),
        findings: [{ message: MESSAGE }],
      },
      {
        name: '我确认一下系统 confirms nothing the customer said',
        call: call(['customer: 我的快递显示签收了但我没收到。', 'agent: 我确认一下系统。', 'agent: 系统里是门卫代收的。']),
        findings: [{ message: MESSAGE }],
      },
      {
        name: '好吧 is no tag question',
        call: call(['customer: 我想把流量包退订了。', 'agent: 好吧，我查一下。', 'agent: 已经帮您退订了。']),
        findings: [{ message: MESSAGE }],
      },
      {
        name: 'a read-back phone number restates no need',
        call: call(['customer: 我想查宽带到期时间。', 'agent: 您的手机号？', 'customer: 13800001111。', 'agent: 13800001111，对吗？']),
        findings: [{ message: MESSAGE }],
      },
      {
        name: 'an order number read back with its name (订单编号是…，对吗) restates no need',
        call: call([
          'customer: 我想确认一下我上周的订单有没有出货。',
          'agent: 请问订单编号是多少？',
          'customer: 订单编号是2026111612345679。',
          'agent: 跟您核对一下，订单编号是2026111612345679，对吗？',
          'agent: 已经出货了。',
        ]),
        findings: [{ message: MESSAGE }],
      },
      {
        name: 'an opener followed by an open question asks',
        call: call(['customer: 我要办理业务。', 'agent: 您是要办理什么业务呢？', 'customer: 停机保号。', 'agent: 好的，帮您办了。']),
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
      { name: 'the customer restating does not count', call: call(['customer: 您是说明天修，对吗？', 'agent: 对。']), findings: [{ message: MESSAGE }] },
      {
        name: 'a custom list replaces the default',
        call: call(['customer: 我要退款。', 'agent: 您是说退款对吗？']),
        options: { phrases: ['我总结一下'], tags: ['没错吧'] },
        findings: [{ message: MESSAGE }],
      },
    ],
    notApplicable: [
      { name: 'no customer speech', call: call(['agent: 您好，请问有什么可以帮您？']) },
      { name: 'no agent speech', call: call(['customer: 我要退款。']) },
      { name: 'a wrong number', call: call(['agent: 您好，星辰通信。', 'customer: 不好意思，我打错了。', 'agent: 好的，再见。']) },
      { name: 'Traditional: 打錯了', call: call(['客户：請問是王先生家嗎？', '客服：這裡是華信銀行。', '客户：啊，打錯了，抱歉。']) },
      { name: 'a caller who only says 喂', call: call(['agent: 您好，请问有什么可以帮您？', 'customer: 喂？喂？', 'agent: 您好，能听到吗？']) },
      {
        name: 'an outbound notice the customer only acknowledges',
        call: call(['agent: 您的包裹已经到驿站了。', 'customer: 好的，知道了，谢谢。', 'agent: 不客气，再见。']),
      },
    ],
  });

  it('asks for review where a confirming question shares only a little with the customer', () => {
    const result = check(['[00:00-00:03] customer: 网络连不上。', '[00:04-00:08] agent: 您是说上不了网吗？']);
    expect(result).toEqual({ outcome: 'review', findings: [{ at: 4, message: REVIEW, evidence: '您是说上不了网吗？' }] });
  });

  it('asks for review on an outbound call with nothing restated: the customer may only have answered the agent’s errand', () => {
    const outbound = call(
      ['agent: 您好，这里是华信银行，跟您核实一下身份信息。', 'customer: 方便，你说。', 'customer: 那能提多少？', 'agent: 具体额度以审批为准。'],
      { direction: 'outbound' },
    );
    expect(rule.check(outbound, optionsSchema(rule).parse({}) as never, EMPTY_CONTEXT)).toEqual({
      outcome: 'review',
      findings: [
        { message: 'outbound call: nothing the customer said was restated; review whether the customer raised a need of their own', evidence: '方便，你说。' },
      ],
    });
  });

  it('asks for review where a tag question shares one word only, a topic named (滚筒洗衣机对吧 after 洗衣机漏水了)', () => {
    const result = check(['customer: 我家洗衣机漏水了。', 'agent: 您家是滚筒洗衣机对吧？', 'customer: 对。', 'agent: 好的，给您安排师傅上门。']);
    expect(result.outcome).toBe('review');
    expect(result.findings.map((f) => f.evidence)).toEqual(['您家是滚筒洗衣机对吧？']);
  });

  it('is n/a on an outbound call where the customer only answers (满意): a need of their own takes more', () => {
    const survey = call(['agent: 您好，这里是星辰通信回访，请问您对上次的维修满意吗？', 'customer: 满意。', 'agent: 好的，感谢您的评价，再见。'], {
      direction: 'outbound',
    });
    expect(rule.check(survey, optionsSchema(rule).parse({}) as never, EMPTY_CONTEXT).outcome).toBe('n/a');
  });

  it('a restatement after a review-grade question passes the call', () => {
    expect(check(['customer: 网络连不上，一直转圈。', 'agent: 您是说上不了网吗？', 'agent: 也就是说网络一直连不上，对吗？']).outcome).toBe('pass');
  });

  it('marks where the restatement was', () => {
    expect(check(['[00:00-00:03] customer: 我要退货。', '[00:04-00:06] agent: 好的。', '[00:07-00:09] agent: 您是要退货对吗？']).hits).toEqual([7]);
  });
});

describe('restatement: content overlap', () => {
  const fw = characterwise(new PhraseMatcher(DEFAULT_FUNCTION_WORDS));
  const customerSaid = (...turns: string[]) => {
    const c = new CustomerContent();
    for (const t of turns) c.add(contentOf(t, fw));
    return c;
  };

  it('content is the Han characters outside function words; digits and Latin letters are none', () => {
    expect(contentOf('我上个月的话费多扣了50块钱', fw)).toBe('上月话费多扣块钱');
    expect(contentOf('app登录不了', fw)).toBe('登录');
    expect(contentOf('您是说上个月的话费多扣了五十元', fw, 3)).toBe('上月话费多扣五十元');
  });

  it('counts shared bigrams by sound, shared characters, and whether a turn is covered', () => {
    const customer = customerSaid('我上个月话费多扣了五十块钱。');
    expect(overlap('上月话费多扣五十元', customer)).toEqual({ shared: 7, runs: 1, chars: 8, covers: true });
    expect(overlap('户主本人', customer)).toEqual({ shared: 0, runs: 0, chars: 0, covers: false });
    // 宽代 (ASR) and 宽带 share their sound.
    expect(overlap('宽带', customerSaid('宽代断了')).shared).toBe(1);
  });

  it('is linear: a long ASR turn full of tags is read in time proportional to it', () => {
    const long = `您是说${'好的，对吧，'.repeat(5000)}`;
    const started = performance.now();
    const result = check(['customer: 我的宽带从昨天开始断了', `agent: ${long}`]);
    expect(result.outcome).toBe('fail');
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

/** The run's language is Simplified Chinese. */
const ZH = { ...EMPTY_CONTEXT, say: translator('zh-CN') };

describe('confirm-understanding: findings in Chinese', () => {
  const zh = (lines: string[], extra = {}) => rule.check(call(lines, extra), optionsSchema(rule).parse({}) as never, ZH);

  it('fails with advice to repeat the need back', () => {
    expect(zh(['customer: 我上个月多扣了五十块钱。', 'agent: 我查一下。', 'agent: 已经退给你了。']).findings.map((f) => f.message)).toEqual([
      '坐席未复述客户需求加以确认；应复述确认，如“您是说……，对吗？”',
    ]);
  });

  it('asks for review of a confirming question that shares little, and of an outbound call', () => {
    expect(zh(['[00:00-00:03] customer: 网络连不上。', '[00:04-00:08] agent: 您是说上不了网吗？']).findings.map((f) => f.message)).toEqual([
      '确认性提问与客户所说内容重合很少：请复核是否复述了客户的需求',
    ]);
    const outbound = zh(
      ['agent: 您好，这里是华信银行，跟您核实一下身份信息。', 'customer: 方便，你说。', 'customer: 那能提多少？', 'agent: 具体额度以审批为准。'],
      {
        direction: 'outbound',
      },
    );
    expect(outbound.findings.map((f) => f.message)).toEqual(['外呼通话：坐席未复述客户所说的内容；请复核客户是否提出了自己的需求']);
  });
});
