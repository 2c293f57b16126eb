import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/format.js';
import rule from '../../src/rules/banned-phrases.js';
import { EMPTY_CONTEXT, optionsSchema } from '../../src/rules/types.js';
import { call, ruleTable } from '../helpers/rule-table.js';

/** The run's language Simplified Chinese: messages as a QA supervisor writes them. */
const ZH = { ...EMPTY_CONTEXT, say: translator('zh-CN') };

describe('banned-phrases', () => {
  ruleTable(rule, {
    valid: [
      { name: 'clean agent speech', call: call(['agent: 好的，我马上为您查询。']) },
      { name: 'customer saying 不知道 never counts', call: call(['customer: 我也不知道怎么回事', 'agent: 好的，我来帮您看看']) },
      { name: 'polite indirect question is an exception', call: call(['agent: 不知道您现在方便接听吗？']) },
      { name: 'conditional 不行的话 is an exception', call: call(['agent: 如果这个方案不行的话，我们再换一个。']) },
      { name: '银行 is not 不行', call: call(['agent: 请到银行柜台办理。']) },
      { name: '不行驶 is not 不行 (a word of its own)', call: call(['agent: 车辆不行驶的时候不会扣费。']) },
      { name: 'an A-not-A question (行不行, 知不知道)', call: call(['agent: 您看行不行？', 'agent: 您知不知道订单号？', 'agent: 给您换成五十元的套餐行不行']) },
      { name: 'a question ending its clause', call: call(['agent: 是现在刷卡不行吗？', 'agent: 您那边还是不行吗', 'agent: 您不知道密码吗？没关系。']) },
      {
        name: 'conditionals (如果/要是/万一/假如 … , 的话, 实在不行)',
        call: call([
          'agent: 如果这个方法不行，您再打给我们。',
          'agent: 要是重启还不行的话，我们安排上门。',
          'agent: 假如您不知道帳號，可以用手機號登錄。',
          'agent: 实在不行我们给您换新的。',
        ]),
      },
      {
        name: 'polite indirect questions',
        call: call(['agent: 不知道能不能麻烦您提供一下订单号？', 'agent: 不知道是否方便留个电话？', 'agent: 不知道您什么时候方便']),
      },
      {
        name: 'echoing the customer',
        call: call([
          'customer: 我不知道密码了',
          'agent: 您说您不知道密码，没关系。',
          'agent: 不知道密码没关系，可以短信重置。',
          'agent: 您是说这个方案不行，对吗？',
        ]),
      },
      {
        name: 'a description of a thing',
        call: call(['agent: 您那边是网络信号不行，我帮您派单。', 'agent: 应该是电池有点不行了。', 'agent: 您那边声音不太清楚。']),
      },
      { name: 'the customer’s own knowledge (您这边不知道…也没关系)', call: call(['agent: 您这边不知道具体地址也没关系，可以先报个小区名。']) },
      { name: 'a bare conditional (不行再…)', call: call(['agent: 您先试一下，不行再打给我们。', 'agent: 好的您先用着不行再打过来']) },
      { name: 'a modifier of a noun (不清楚的地方)', call: call(['agent: 合同里有不清楚的地方，您随时来电。', 'agent: 如有不清楚的地方，歡迎隨時來電。']) },
      { name: 'an indefinite question word before it (有什么不清楚的)', call: call(['agent: 您有什么不清楚的随时打给我们。']) },
      { name: 'a negated negation (不是不行，是…)', call: call(['agent: 不是不行，是需要您先把商品寄回来。']) },
      { name: 'a bad line is an exception', call: call(['agent: 不好意思，我这边听不清楚。']) },
      {
        name: 'a rubric’s own exceptions still hold (the list users wrote before the context)',
        call: call(['agent: 我不知道您说的是哪一笔。', 'agent: 这个不行的。']),
        options: { exceptions: ['不知道您', '不知道是否', '不知道能不能帮', '不行的'] },
      },
      {
        name: 'custom list replaces the default',
        call: call(['agent: 不知道']),
        options: { phrases: ['没办法'] },
      },
    ],
    invalid: [
      {
        name: 'one banned phrase',
        call: call(['[00:00-00:04] agent: 您好', '[00:04-00:08] customer: 网断了', '[00:08-00:12] agent: 这个我不知道。']),
        findings: [{ at: 8, message: 'banned phrase "不知道"', evidence: '这个我不知道。' }],
      },
      {
        name: 'each occurrence is a finding',
        call: call(['agent: 不行，不行，真的不知道']),
        findings: [{ message: /不行/ }, { message: /不行/ }, { message: /不知道/ }],
      },
      {
        name: 'Traditional script and ASR spaces',
        call: call(['客服：這個不 行']),
        findings: [{ message: 'banned phrase "不行"', evidence: '這個不 行' }],
      },
      {
        name: 'an exception covers only its own occurrence',
        call: call(['agent: 不知道您方便吗？其实我也不知道。']),
        findings: [{ message: /不知道/ }],
      },
      {
        name: 'flat synonyms: 不晓得, 不清楚, 不太清楚',
        call: call(['agent: 我也不晓得。', 'agent: 不清楚，您自己看短信吧。', 'agent: 积分这块我不太清楚']),
        findings: [{ message: 'banned phrase "不晓得"' }, { message: 'banned phrase "不清楚"' }, { message: 'banned phrase "不太清楚"' }],
      },
      {
        name: 'a hedge frame with the agent as subject states the agent’s ignorance',
        call: call(['agent: 我不知道您说的是哪一笔订单。']),
        findings: [{ message: 'banned phrase "不知道"' }],
      },
      {
        name: 'a question in another clause leaves the refusal one',
        call: call(['agent: 不知道。您还有别的问题吗？', 'agent: 不行不行，规定就是规定。']),
        findings: [{ message: 'banned phrase "不知道"', evidence: '不知道。您还有别的问题吗？' }, { message: /不行/ }, { message: /不行/ }],
      },
      {
        name: 'the agent’s own words are no echo of the customer',
        call: call(['customer: 你们是不是不知道啊', 'agent: 我们也不知道啊。']),
        findings: [{ message: 'banned phrase "不知道"' }],
      },
      {
        name: 'the agent as subject keeps 不知道 a refusal: 什么都, and 你再 after it',
        call: call(['agent: 这事我什么都不知道。', 'agent: 这个我也不知道你再等等吧', 'agent: 不行就是不行。']),
        findings: [{ message: 'banned phrase "不知道"' }, { message: 'banned phrase "不知道"' }, { message: /不行/ }, { message: /不行/ }],
      },
      {
        name: 'marker lists are options: without echoes (and the customer as subject) an echo counts',
        call: call(['agent: 您说您不知道密码，没关系。']),
        options: { context: { echoes: [], second_person: [] } },
        findings: [{ message: 'banned phrase "不知道"' }],
      },
      {
        name: 'a certain refusal deducts and an unsure one is left out',
        call: call(['agent: 我也不知道呢？', 'agent: 不行。']),
        findings: [{ message: 'banned phrase "不行"' }],
      },
      {
        name: 'regex phrases',
        call: call(['agent: 这事没法办']),
        options: { phrases: ['/没(法|办法)办/'] },
        findings: [{ message: 'banned phrase "/没(法|办法)办/"', evidence: '这事没法办' }],
      },
    ],
    notApplicable: [{ name: 'no agent speech', call: call(['customer: 不知道']) }],
  });

  it('asks for review where the clause cannot tell', () => {
    const options = optionsSchema(rule).parse({}) as never;
    const result = rule.check(
      call([
        'agent: 我也不知道呢？',
        'agent: 那个不知道具体是哪个网点吗我帮您查一下',
        'agent: 不知道啊你明天再打过来问问吧好吗',
        'agent: 不知道您的订单已经取消了',
      ]),
      options,
      EMPTY_CONTEXT,
    );
    expect(result.outcome).toBe('review');
    expect(result.findings.map((f) => f.message)).toEqual([
      'banned phrase "不知道" (a question with the agent as its subject: for review)',
      'banned phrase "不知道" (a question particle far from it in unpunctuated text: for review)',
      'banned phrase "不知道" (a question particle far from it in unpunctuated text: for review)',
      'banned phrase "不知道" ("不知道您" without a question to end it: for review)',
    ]);
  });

  it('quotes only the stretch around the phrase in a long utterance', () => {
    const long = `${'请稍等，'.repeat(20)}这个我不知道${'，我们再看看'.repeat(20)}`;
    const options = optionsSchema(rule).parse({}) as never;
    const [finding] = rule.check(call([`agent: ${long}`]), options, EMPTY_CONTEXT).findings;
    expect(finding?.evidence).toMatch(/^….*这个我不知道.*…$/);
    expect(finding?.evidence.length).toBeLessThan(80);
  });

  it('checks 1,000 phrases in one pass and still finds each', () => {
    const phrases = Array.from({ length: 1000 }, (_, i) => `禁用词${i}号`);
    const options = optionsSchema(rule).parse({ phrases }) as never;
    const result = rule.check(call(['agent: 前面禁用词7号中间禁用词999号后面']), options, EMPTY_CONTEXT);
    expect(result.findings.map((f) => f.message)).toEqual(['banned phrase "禁用词7号"', 'banned phrase "禁用词999号"']);
  });
});

describe('banned-phrases in Chinese', () => {
  const TW = { ...EMPTY_CONTEXT, say: translator('zh-TW') };
  ruleTable(rule, {
    invalid: [
      {
        name: 'zh-CN: 使用了服务禁语',
        call: call(['customer: 能帮我把套餐改成这个月生效吗？', 'agent: 不行，只能次月生效。']),
        context: ZH,
        findings: [{ message: '使用了服务禁语“不行”' }],
      },
      {
        name: 'zh-TW: Traditional characters, Taiwan quotation marks',
        call: call(['customer: 什么时候能修好？', 'agent: 这个我也不知道。']),
        context: TW,
        findings: [{ message: '使用了服務禁語「不知道」' }],
      },
    ],
  });

  it('zh-CN: a finding for review says why in one sentence', () => {
    const result = rule.check(
      call(['agent: 我也不知道呢？', 'agent: 那个不知道具体是哪个网点吗我帮您查一下', 'agent: 不知道您']),
      optionsSchema(rule).parse({}) as never,
      ZH,
    );
    expect(result.outcome).toBe('review');
    expect(result.findings.map((f) => f.message)).toEqual([
      '疑似使用服务禁语“不知道”（以坐席为主语的问句，请复核）',
      '疑似使用服务禁语“不知道”（无标点文本中疑问语气词离该词较远，请复核）',
      '疑似使用服务禁语“不知道”（“不知道您”之后没有问句收尾，请复核）',
    ]);
  });
});
