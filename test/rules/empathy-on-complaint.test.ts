import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/empathy-on-complaint.js';
import { EMPTY_CONTEXT, optionsSchema } from '../../src/rules/types.js';
import { call, ruleTable } from '../helpers/rule-table.js';

const message = (n: number) =>
  `complaint not acknowledged: no apology or empathy in the agent's next ${n} ${n === 1 ? 'reply' : 'replies'}; C.A.L.M. Confirm: first acknowledge the feeling, e.g. "非常抱歉，我理解这种情况令您感到失望"`;
const ANGRY = '你们这什么破网，三天两头断，我要投诉！';

describe('empathy-on-complaint', () => {
  ruleTable(rule, {
    valid: [
      { name: 'an apology at once', call: call([`customer: ${ANGRY}`, 'agent: 非常抱歉给您添麻烦了，我马上为您查询。']) },
      {
        name: 'empathy in the second reply',
        call: call([`customer: ${ANGRY}`, 'agent: 您的账号是多少？', 'customer: 123456', 'agent: 我理解这种情况令您感到失望，马上为您处理。']),
      },
      {
        name: 'backchannels do not use up the replies',
        call: call([`customer: ${ANGRY}`, 'agent: 嗯。', 'agent: 是的。', 'agent: 您的账号是多少？', 'agent: 真的很抱歉。']),
      },
      { name: 'Traditional script', call: call(['客户：太差了，我很不滿意！', '客服：對不起，給您帶來不便了。']) },
      { name: 'ASR spaces between characters', call: call(['customer: 气 死 我 了', 'agent: 您 先 别 着 急 ， 我 来 处 理']) },
      {
        name: 'within_turns is configurable',
        call: call([`customer: ${ANGRY}`, 'agent: 账号多少？', 'agent: 地址在哪？', 'agent: 非常抱歉。']),
        options: { within_turns: 3 },
      },
      {
        name: 'each complaint answered',
        call: call(['customer: 太差了！', 'agent: 非常抱歉。', 'customer: 我要投诉你们！', 'agent: 理解您的心情，我马上登记。']),
      },
    ],
    invalid: [
      {
        name: 'straight to business',
        call: call([
          `[00:00-00:05] customer: ${ANGRY}`,
          '[00:06-00:08] agent: 账号多少？',
          '[00:09-00:11] customer: 123456。',
          '[00:12-00:15] agent: 等着吧，会有人联系你。',
        ]),
        findings: [{ at: 0, message: message(2), evidence: ANGRY }],
      },
      {
        name: 'the customer’s turns before the agent replies are one complaint',
        call: call([
          '[00:00-00:02] customer: 太差了！',
          '[00:02-00:03] customer: 我说的是你们的服务。',
          '[00:03-00:05] customer: 我要投诉！',
          '[00:06-00:08] agent: 账号多少？',
          '[00:09-00:11] agent: 好的。',
        ]),
        findings: [{ at: 0, message: message(2), evidence: '太差了！ / 我要投诉！' }],
      },
      {
        name: 'one finding per unanswered complaint',
        call: call([
          '[00:00-00:02] customer: 太差了！',
          '[00:03-00:05] agent: 账号多少？',
          '[00:06-00:08] customer: 什么态度啊你！',
          '[00:09-00:11] agent: 我在查。',
        ]),
        options: { within_turns: 1 },
        findings: [
          { at: 0, message: message(1), evidence: '太差了！' },
          { at: 6, message: message(1), evidence: '什么态度啊你！' },
        ],
      },
      {
        name: 'empathy after the window is too late',
        call: call([`customer: ${ANGRY}`, 'agent: 账号多少？', 'agent: 地址在哪？', 'agent: 非常抱歉。']),
        findings: [{ message: message(2), evidence: ANGRY }],
      },
      {
        name: 'an apology to an earlier complaint does not answer a later one',
        call: call(['customer: 太差了！', 'agent: 非常抱歉。', 'customer: 我要给差评！', 'agent: 随便你。', 'agent: 还有别的事吗？']),
        findings: [{ message: message(2), evidence: '我要给差评！' }],
      },
      {
        name: 'extra cues extend the list',
        call: call(['customer: 你们简直是在敷衍我。', 'agent: 没有啊，系统就是这样显示的。']),
        options: { extra_cues: ['敷衍'] },
        findings: [{ evidence: '你们简直是在敷衍我。' }],
      },
      {
        name: 'a custom empathy list replaces the default',
        call: call(['customer: 太差了！', 'agent: 非常抱歉。']),
        options: { phrases: ['深表歉意'] },
        findings: [{ message: message(2) }],
      },
    ],
    notApplicable: [
      { name: 'no complaint', call: call(['customer: 我想查一下话费。', 'agent: 好的，请稍等。']) },
      { name: 'a cue exception: 不是投诉', call: call(['customer: 我不是投诉，就是问问。', 'agent: 好的，您说。']) },
      { name: 'a topic, not a feeling: 垃圾短信', call: call(['customer: 老是收到垃圾短信怎么办？', 'agent: 可以开通拦截服务。']) },
      { name: 'the agent never replied (the call ends on the complaint)', call: call(['agent: 您好。', 'customer: 垃圾！']) },
      { name: 'the agent only backchannelled before the call ended', call: call(['customer: 垃圾！', 'agent: 嗯。']) },
      { name: 'the agent saying a cue word is no complaint', call: call(['agent: 您可以到网上投诉平台反馈。', 'customer: 好的。']) },
    ],
  });

  it('marks where the complaints were, whatever the outcome', () => {
    const options = optionsSchema(rule).parse({}) as never;
    const result = rule.check(
      call(['[00:00-00:02] customer: 太差了！', '[00:03-00:05] agent: 非常抱歉。', '[00:06-00:08] customer: 我要投诉！', '[00:09-00:11] agent: 理解您。']),
      options,
      EMPTY_CONTEXT,
    );
    expect(result.outcome).toBe('pass');
    expect(result.hits).toEqual([0, 6]);
  });
});

describe('empathy-on-complaint: evidence', () => {
  it('quotes only the stretch around the cue in a long complaint', () => {
    const long = `${'我跟你说，'.repeat(15)}你们的服务太差了${'，我等了一上午'.repeat(15)}`;
    const options = optionsSchema(rule).parse({}) as never;
    const [finding] = rule.check(call([`customer: ${long}`, 'agent: 账号多少？']), options, EMPTY_CONTEXT).findings;
    expect(finding?.evidence).toMatch(/^….*你们的服务太差了.*…$/);
    expect(finding?.evidence.length).toBeLessThan(80);
  });
});
