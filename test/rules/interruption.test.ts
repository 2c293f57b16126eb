import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/format.js';
import rule from '../../src/rules/interruption.js';
import { EMPTY_CONTEXT, optionsSchema } from '../../src/rules/types.js';
import { parseRubric } from '../../src/rubric/load.js';
import { call, callOf, ruleTable } from '../helpers/rule-table.js';

/** The run's language Simplified Chinese: messages as a QA supervisor writes them. */
const ZH = { ...EMPTY_CONTEXT, say: translator('zh-CN') };

const COMPLAINT = '[00:00-00:08] customer: 我上个月的账单多扣了五十块钱，一直没人处理。';

describe('interruption', () => {
  ruleTable(rule, {
    valid: [
      { name: 'the agent waits for the customer to finish', call: call([COMPLAINT, '[00:08.5-00:12] agent: 好的，我马上帮您核实。']) },
      { name: 'an overlap under 1 s', call: call([COMPLAINT, '[00:07.2-00:12] agent: 好的，我马上帮您核实。']) },
      { name: 'acknowledgements while listening (是的，明白)', call: call([COMPLAINT, '[00:03-00:05] agent: 是的，明白。']) },
      { name: 'Traditional acknowledgements with ASR spaces', call: call([COMPLAINT, '[00:03-00:05] 客服：嗯 嗯 ， 了 解 了']) },
      {
        name: 'the customer cutting in is not the agent interrupting',
        call: call(['[00:00-00:08] agent: 您的套餐包含三十G流量。', '[00:05-00:09] customer: 那超出了怎么收费？']),
      },
      { name: 'both starting at once', call: call(['[00:00-00:04] customer: 喂？', '[00:00-00:05] agent: 您好，请讲。']) },
      { name: 'max_count tolerates some', call: call([COMPLAINT, '[00:05-00:10] agent: 您先别急。']), options: { max_count: 1 } },
      { name: 'min_overlap_seconds is an option', call: call([COMPLAINT, '[00:05-00:10] agent: 您先别急。']), options: { min_overlap_seconds: 4 } },
      {
        name: 'extra_acknowledgements extend the list',
        call: call([COMPLAINT, '[00:03-00:05] agent: 明白明白，懂了。']),
        options: { extra_acknowledgements: ['懂了'] },
      },
      {
        name: 'colloquial backchannels (没错没错, 这样啊, 您继续说, 我在听)',
        call: call([COMPLAINT, '[00:02-00:03.5] agent: 没错没错。', '[00:04-00:05.5] agent: 这样啊，您继续说，我在听。']),
      },
      {
        name: 'speaking over a customer’s 喂 cuts off nothing',
        call: call(['[00:00-00:02] customer: 喂，喂？', '[00:00.8-00:07] agent: 您好，这里是星辰通信，很高兴为您服务。']),
      },
      {
        name: 'speaking over a customer’s backchannel (嗯，好的好的) cuts off nothing',
        call: call([
          '[00:00-00:08] agent: 退款会在三到五个工作日原路退回。',
          '[00:05-00:07.5] customer: 嗯，好的好的。',
          '[00:06-00:10] agent: 到账后会有短信通知您。',
        ]),
      },
    ],
    invalid: [
      {
        name: 'the agent talks over the customer',
        call: call([COMPLAINT, '[00:05-00:10] agent: 您先别急，这个是系统自动扣的。']),
        findings: [
          { at: 5, message: 'the agent started speaking while the customer was still speaking (3 s of overlap)', evidence: '您先别急，这个是系统自动扣的。' },
        ],
      },
      {
        name: 'exactly min_overlap_seconds counts',
        call: call([COMPLAINT, '[00:07-00:10] agent: 我知道了，您听我说。']),
        findings: [{ at: 7, message: 'the agent started speaking while the customer was still speaking (1 s of overlap)' }],
      },
      {
        name: 'disagreeing is no acknowledgement (不是不是)',
        call: call([COMPLAINT, '[00:03-00:06] agent: 不是不是，我们不会这样。']),
        findings: [{ at: 3, message: /3 s of overlap/ }],
      },
      {
        name: 'a customer’s backchannel followed by a statement can be cut off',
        call: call(['[00:00-00:08] customer: 嗯，好的，可是我还有个问题。', '[00:05-00:09] agent: 您先听我说完。']),
        findings: [{ at: 5, message: /3 s of overlap/ }],
      },
      {
        name: 'an acknowledgement followed by words is an interruption',
        call: call([COMPLAINT, '[00:03-00:06] agent: 对，但是那个是违约金。']),
        findings: [{ at: 3, message: /3 s of overlap/, evidence: '对，但是那个是违约金。' }],
      },
      {
        name: 'a short agent utterance inside a long customer turn overlaps for its own length',
        call: call(['[00:00-00:30] customer: 我跟你说，这个问题已经拖了一个月了。', '[00:10-00:12.5] agent: 您先听我解释一下。']),
        findings: [{ at: 10, message: /2\.5 s of overlap/ }],
      },
      {
        name: 'each interruption is a finding once max_count is passed',
        call: call([
          COMPLAINT,
          '[00:05-00:10] agent: 您先别急。',
          '[00:10-00:20] customer: 我怎么能不急呢，钱都扣了。',
          '[00:18-00:22] agent: 我理解，我先帮您查。',
        ]),
        options: { max_count: 1 },
        findings: [
          { at: 5, message: /3 s of overlap/, evidence: '您先别急。' },
          { at: 18, message: /2 s of overlap/, evidence: '我理解，我先帮您查。' },
        ],
      },
      {
        name: 'acknowledgements replaced: 嗯 now counts',
        call: call([COMPLAINT, '[00:03-00:05] agent: 嗯嗯。']),
        options: { acknowledgements: ['是的'] },
        findings: [{ at: 3, message: /2 s of overlap/ }],
      },
      {
        name: 'Traditional script',
        call: call(['[00:00-00:08] 客戶：我上個月的賬單多扣了五十塊錢。', '[00:06-00:09] 客服：您先別急，聽我說。']),
        findings: [{ at: 6, message: /2 s of overlap/, evidence: '您先別急，聽我說。' }],
      },
    ],
    notApplicable: [
      { name: 'untimed transcript', call: call(['customer: 我的账单不对。', 'agent: 您先别急。']) },
      {
        name: 'chat messages have no ends',
        call: callOf([
          { speaker: 'customer', start: 0, text: '我的账单不对。' },
          { speaker: 'agent', start: 1, text: '您先别急。' },
        ]),
      },
    ],
  });

  it('hits are where the interruptions start, whatever the outcome', () => {
    const options = optionsSchema(rule).parse({ max_count: 5 }) as never;
    const result = rule.check(call([COMPLAINT, '[00:05-00:10] agent: 您先别急。']), options, EMPTY_CONTEXT);
    expect(result.outcome).toBe('pass');
    expect(result.hits).toEqual([5]);
  });

  it('rejects bad options with the key path', () => {
    const yaml = (opts: string) => `name: t\nrules:\n  interruption:\n${opts}`;
    expect(() => parseRubric(yaml('    max_count: 1.5\n'), 'r.yaml')).toThrow('r.yaml:4: rules.interruption.max_count: expected a whole number, got 1.5');
    expect(() => parseRubric(yaml('    max_count: -1\n'), 'r.yaml')).toThrow('rules.interruption.max_count: expected a number ≥ 0, got -1');
    expect(() => parseRubric(yaml('    min_overlap_seconds: 0\n'), 'r.yaml')).toThrow('rules.interruption.min_overlap_seconds: expected a number > 0, got 0');
  });
});

describe('interruption in Chinese', () => {
  ruleTable(rule, {
    invalid: [
      {
        name: 'zh-CN: 抢话, with the overlap in 秒',
        call: call(['[00:00-00:08] customer: 我上个月的账单多扣了五十块钱，一直没人处理。', '[00:05-00:10] agent: 您先别急，这个是系统自动扣的。']),
        context: ZH,
        findings: [{ at: 5, message: '坐席在客户尚未说完时抢话（重叠 3 秒）' }],
      },
    ],
  });
});
