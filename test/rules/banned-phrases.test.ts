import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/banned-phrases.js';
import { EMPTY_CONTEXT, optionsSchema } from '../../src/rules/types.js';
import { call, ruleTable } from '../helpers/rule-table.js';

describe('banned-phrases', () => {
  ruleTable(rule, {
    valid: [
      { name: 'clean agent speech', call: call(['agent: 好的，我马上为您查询。']) },
      { name: 'customer saying 不知道 never counts', call: call(['customer: 我也不知道怎么回事', 'agent: 好的，我来帮您看看']) },
      { name: 'polite indirect question is an exception', call: call(['agent: 不知道您现在方便接听吗？']) },
      { name: 'conditional 不行的话 is an exception', call: call(['agent: 如果这个方案不行的话，我们再换一个。']) },
      { name: '银行 is not 不行', call: call(['agent: 请到银行柜台办理。']) },
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
        name: 'regex phrases',
        call: call(['agent: 这事没法办']),
        options: { phrases: ['/没(法|办法)办/'] },
        findings: [{ message: 'banned phrase "/没(法|办法)办/"', evidence: '这事没法办' }],
      },
    ],
    notApplicable: [{ name: 'no agent speech', call: call(['customer: 不知道']) }],
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
