import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/greeting.js';
import { organisationsOf } from '../../src/normalise/roles.js';
import { parseRubric } from '../../src/rubric/load.js';
import { EMPTY_CONTEXT, optionsSchema } from '../../src/rules/types.js';
import { call, ruleTable } from '../helpers/rule-table.js';

const FULL = '您好，这里是星辰通信，我是客服王芳，很高兴为您服务。';

describe('greeting', () => {
  ruleTable(rule, {
    valid: [
      { name: 'standard opening in one utterance', call: call([`[00:01-00:07] agent: ${FULL}`]) },
      { name: 'Traditional script', call: call(['[00:00-00:06] 客服：您好，這裡是星辰通信，我是客服王芳，很高興為您服務。']) },
      { name: 'staff number instead of a name', call: call(['[00:00-00:06] 坐席：下午好，欢迎致电华信银行，工号1024为您服务']) },
      {
        name: 'elements spread over two agent utterances inside the window',
        call: call(['[00:00-00:03] agent: 您好，这里是星辰通信', '[00:03-00:05] customer: 喂？', '[00:06-00:09] agent: 我是小李，很高兴为您服务']),
      },
      { name: 'untimed: first agent utterance', call: call(['customer: 喂', `agent: ${FULL}`, 'agent: 不相关']) },
      { name: 'untimed: a bare 喂 first, the greeting in the next agent turn', call: call(['agent: 喂', `agent: ${FULL}`]) },
      { name: 'ASR spaces between characters', call: call(['[00:00-00:06] agent: 您 好 ， 这 里 是 星辰通信 ， 我 是 王芳 ， 很 高 兴 为 您 服 务']) },
      {
        name: 'online chat: the first reply 43 s after the customer wrote is the greeting (no 10 s window for messages)',
        call: call(['[00:00] customer: 在吗？我的订单还没发货', `[00:43] agent: ${FULL}`], { channel: 'chat' }),
      },
      {
        name: 'online chat: a bare hello first, in the rubric’s own greeting words or written_hello, then the greeting',
        call: call(['[00:00] customer: 在吗', '[00:30] agent: 欢迎光临', '[00:50] agent: 这里是星辰商城，我是刘洋，很高兴为您服务。'], { channel: 'chat' }),
        options: { greetings: ['欢迎光临'] },
      },
      {
        name: 'online chat: a presence word of the rubric’s (来啦) is a bare hello',
        call: call(['[00:00] customer: 在吗', '[00:30] agent: 来啦', `[00:50] agent: ${FULL}`], { channel: 'chat' }),
        options: { written_hello: ['来啦'] },
      },
      {
        name: 'social: a public reply without the agent’s name passes where the rubric makes the name optional',
        call: call(['[00:00] customer: 快递一周了还没到！', '[12:00] agent: 您好，这里是星辰快递，非常抱歉让您久等了，很高兴为您服务。'], {
          channel: 'social',
        }),
        options: { optional: ['自报姓名工号'] },
      },
      {
        name: 'custom elements replace the defaults',
        call: call(['[00:00-00:03] agent: Thank you for calling Anchor, this is Mia']),
        options: { elements: { thanks: ['thank you for calling'], name: ['/this is \\w+/'] } },
      },
    ],
    invalid: [
      {
        name: 'missing organisation and service phrase',
        call: call(['[00:00-00:03] agent: 您好，我是王芳', '[00:03-00:09] customer: 你好']),
        findings: [{ at: 0, message: 'greeting lacks the organisation’s name, an offer of service', evidence: '您好，我是王芳' }],
      },
      {
        name: 'online chat: the first reply lacks the name and service phrase',
        call: call(['[00:00] customer: 在吗', '[01:05] agent: 在的', '[01:06] agent: 这里是星辰商城。'], { channel: 'chat' }),
        findings: [{ at: 65, message: 'greeting lacks a greeting word, the agent’s name or number, an offer of service', evidence: '在的 / 这里是星辰商城。' }],
      },
      {
        name: 'online chat: a short first message that is no hello (稍等) is the greeting, judged alone',
        call: call(['[00:00] customer: 在吗', '[00:30] agent: 稍等', `[01:30] agent: ${FULL}`], { channel: 'chat' }),
        findings: [
          { at: 30, message: 'greeting lacks a greeting word, the organisation’s name, the agent’s name or number, an offer of service', evidence: '稍等' },
        ],
      },
      {
        name: 'online chat: the rubric’s written_hello replaces the default presence words (在的 no longer a bare hello)',
        call: call(['[00:00] customer: 在吗', '[00:30] agent: 在的', `[01:30] agent: ${FULL}`], { channel: 'chat' }),
        options: { written_hello: ['来啦'] },
        findings: [
          { at: 30, message: 'greeting lacks a greeting word, the organisation’s name, the agent’s name or number, an offer of service', evidence: '在的' },
        ],
      },
      {
        name: 'social: the name is still required when optional is not set',
        call: call(['[00:00] customer: 快递一周了还没到！', '[12:00] agent: 您好，这里是星辰快递，很高兴为您服务。'], { channel: 'social' }),
        findings: [{ at: 720, message: 'greeting lacks the agent’s name or number', evidence: '您好，这里是星辰快递，很高兴为您服务。' }],
      },
      {
        name: 'first agent words after the window',
        call: call(['[00:00-00:11] customer: 喂喂喂？有人吗？', `[00:12-00:18] agent: ${FULL}`]),
        findings: [{ at: 12, message: 'no agent speech in the first 10 s', evidence: FULL }],
      },
      {
        name: 'window is configurable',
        call: call([`[00:06-00:12] agent: ${FULL}`]),
        options: { within_seconds: 5 },
        findings: [{ at: 6, message: 'no agent speech in the first 5 s' }],
      },
      {
        name: 'customer saying the greeting does not count',
        call: call([`[00:00-00:05] customer: ${FULL}`, '[00:05-00:08] agent: 嗯，说吧']),
        findings: [{ at: 5, message: /greeting lacks a greeting word, the organisation’s name, the agent’s name or number, an offer of service/ }],
      },
      {
        name: 'untimed: the first agent utterance, and the next only when the first is short',
        call: call(['agent: 您好，请问您要办理什么业务？', `agent: ${FULL}`]),
        findings: [{ message: 'greeting lacks the organisation’s name, the agent’s name or number', evidence: '您好，请问您要办理什么业务？' }],
      },
      {
        name: 'no agent speech at all',
        call: call(['[00:00-00:05] customer: 喂？']),
        findings: [{ at: 0, message: 'no agent speech in the first 10 s', evidence: '' }],
      },
    ],
  });
});

describe('greeting: the window opens when the agent takes the contact', () => {
  ruleTable(rule, {
    valid: [
      {
        name: 'a chat greeting 5 s after the agent joined, 15 s after the customer did',
        call: { ...call(['[00:02] customer: 有人吗', `[00:15] agent: ${FULL}`]), answeredAt: 10 },
      },
    ],
    invalid: [
      {
        name: 'a chat greeting 12 s after the agent joined',
        call: { ...call(['[00:02] customer: 有人吗', `[00:22] agent: ${FULL}`]), answeredAt: 10 },
        findings: [{ at: 22, message: 'no agent speech in the first 10 s after the agent joined' }],
      },
    ],
  });
});

const t = (text: string) => call([`[00:00.5-00:06] agent: ${text}`, '[00:06.5-00:08] customer: 我要查话费']);

describe('greeting: four slots in any order, punctuation optional', () => {
  ruleTable(rule, {
    valid: [
      { name: 'ASR text without punctuation', call: t('您好这里是华信银行信用卡中心我是小李很高兴为您服务') },
      { name: 'the organisation named bare before the greeting word', call: t('星辰通信您好，工号1024为您服务') },
      { name: 'the organisation named bare, then 我姓', call: t('您好，安居物业，我姓王，很高兴为您服务') },
      { name: '我是X的客服Y: organisation and name in one', call: t('您好，我是星辰通信的客服王芳，有什么可以帮您？') },
      { name: 'a title and a name without 我是', call: t('您好这边是星辰通信人工客服小李为您服务') },
      { name: 'staff number in Chinese numerals (幺)', call: t('喂您好 这里是星辰宽带 工号幺零二四 很高兴为您服务') },
      { name: 'N号 beside a title', call: t('您好，这里是星辰通信，我是三号话务员，很高兴为您服务') },
      { name: 'full-width digits', call: t('您好！这里是星辰通信，我是１２号客服，很高兴为您服务！') },
      { name: 'a space between 工号 and the number', call: t('早上好！星辰通信 工号 1024 为您服务') },
      { name: 'the service phrase last, the name after it', call: t('您好，这里是星辰通信，很高兴为您服务，我是王芳') },
      { name: 'the organisation named, then a bare name before 为您服务', call: t('您好，这里是星辰通信，小王为您服务') },
      { name: 'homophone: 很高心为您服务', call: t('您好这里是星辰通信我是王芳很高心为您服务') },
      { name: 'homophone: 欢迎至电', call: t('您好欢迎至电蓝海燃气我是李娜很高兴为您服务') },
      { name: 'by sound with 您/你 alike: 很高兴为你服务', call: t('您好，这里是星辰通信，我是王芳，很高兴为你服务') },
      { name: 'the organisation bare before the service phrase, the name after', call: t('您好！星辰通信为您服务，我是王芳。') },
      { name: 'dialect: 有啥可以帮你的', call: t('你好你好这里是星辰我是芳芳有啥可以帮你的') },
      {
        name: 'the rubric’s organisation names count wherever said',
        call: t('您好，我是王芳，星辰为您服务'),
        options: { organisation: ['星辰'] },
      },
    ],
    invalid: [
      {
        name: '我是客服 is not an identity',
        call: t('您好，这里是星辰通信，我是客服，很高兴为您服务。'),
        findings: [{ at: 0.5, message: 'greeting lacks the agent’s name or number' }],
      },
      {
        name: '我是工作人员 is not an identity',
        call: t('您好，华信银行，我是工作人员，请问有什么可以帮您？'),
        findings: [{ message: 'greeting lacks the agent’s name or number' }],
      },
      {
        name: '客服中心 is a department, not a name',
        call: t('您好，这里是星辰通信客服中心，很高兴为您服务。'),
        findings: [{ message: 'greeting lacks the agent’s name or number' }],
      },
      {
        name: '我是X的 names the organisation only',
        call: t('您好，我是星辰通信的，请问有什么可以帮您？'),
        findings: [{ message: 'greeting lacks the agent’s name or number' }],
      },
      {
        name: '欢迎来电 without the organisation’s name',
        call: t('您好欢迎来电我是小王很高兴为您服务'),
        findings: [{ message: 'greeting lacks the organisation’s name' }],
      },
      {
        name: 'a staff number without the organisation',
        call: t('您好，工号1024为您服务。'),
        findings: [{ message: 'greeting lacks the organisation’s name' }],
      },
      {
        name: 'the short opening',
        call: t('您好，请问有什么可以帮您？'),
        findings: [{ message: 'greeting lacks the organisation’s name, the agent’s name or number' }],
      },
      { name: 'no greeting word', call: t('这里是星辰通信，我是王芳，很高兴为您服务'), findings: [{ message: 'greeting lacks a greeting word' }] },
      {
        name: 'Traditional: 我是客服',
        call: t('您好，這裡是星辰通信，我是客服，很高興為您服務。'),
        findings: [{ message: 'greeting lacks the agent’s name or number' }],
      },
      {
        name: 'with pinyin off, 很高心为您服务 is no service phrase (为您服务 is)',
        call: t('您好这里是星辰通信我是王芳很高心为您'),
        options: { pinyin: false },
        findings: [{ message: 'greeting lacks an offer of service' }],
      },
    ],
  });
});

describe('greeting: written service', () => {
  it('a chat the agent never answered has no greeting to judge (n/a: first-response says it went unanswered); a phone call fails', () => {
    const options = optionsSchema(rule).parse({}) as never;
    const unanswered = call(['[00:00] customer: 在吗？', '[05:00] customer: 有人吗？'], { channel: 'chat' });
    expect(rule.check(unanswered, options, EMPTY_CONTEXT)).toEqual({ outcome: 'n/a', findings: [] });
    expect(rule.check(call(['[00:00] customer: 喂？', '[00:12] customer: 喂喂？']), options, EMPTY_CONTEXT).outcome).toBe('fail');
  });

  it('a short first message that asks something (单号？) is the agent’s question, judged alone; a bare 您好 takes the next message too', () => {
    const options = optionsSchema(rule).parse({}) as never;
    const asks = call(['[00:00] customer: 快递没到', `[00:30] agent: 单号？`, `[00:40] agent: ${FULL}`], { channel: 'chat' });
    expect(rule.check(asks, options, EMPTY_CONTEXT)).toMatchObject({ outcome: 'fail', findings: [{ evidence: '单号？' }] });
    const bare = call(['[00:00] customer: 快递没到', '[00:30] agent: 您好', `[00:40] agent: ${FULL}`], { channel: 'chat' });
    expect(rule.check(bare, options, EMPTY_CONTEXT).outcome).toBe('pass');
    const hold = call(['[00:00] customer: 优惠券用不了', '[00:20] agent: 稍等', `[01:00] agent: ${FULL}`], { channel: 'chat' });
    expect(rule.check(hold, options, EMPTY_CONTEXT)).toMatchObject({ outcome: 'fail', findings: [{ evidence: '稍等' }] });
  });
});

describe('greeting: a name that may hold another asks for review', () => {
  const run = (text: string) => rule.check(t(text), optionsSchema(rule).parse({}) as never, EMPTY_CONTEXT);
  it('星辰通信王芳为您服务: the agent’s name may be inside the organisation’s', () => {
    expect(run('您好星辰通信王芳为您服务')).toEqual({
      outcome: 'review',
      findings: [
        {
          at: 0.5,
          message: 'greeting: the agent’s name or number unclear (no 我是/工号, but the organisation’s name may hold the agent’s)',
          evidence: '您好星辰通信王芳为您服务',
        },
      ],
    });
  });
  it('我是星辰通信王芳: the organisation’s name may be inside the agent’s', () => {
    expect(run('您好很高兴为您服务我是星辰通信王芳').outcome).toBe('review');
  });
  it('the rubric’s organisation names decide it', () => {
    const options = optionsSchema(rule).parse({ organisation: ['星辰通信'] }) as never;
    expect(rule.check(t('您好星辰通信王芳为您服务'), options, EMPTY_CONTEXT).outcome).toBe('pass');
    expect(rule.check(t('您好星辰通信为您服务'), options, EMPTY_CONTEXT).findings.map((f) => f.message)).toEqual(['greeting lacks the agent’s name or number']);
  });
});

const FULL_AT = (greetingWord: string, startedAt: string) =>
  call([`[00:00.5-00:06] agent: ${greetingWord}，这里是星辰通信，我是王芳，很高兴为您服务。`, '[00:06.5-00:08] customer: 我要查话费'], { startedAt });

describe('greeting: a time-of-day greeting must fit the local time of started_at', () => {
  ruleTable(rule, {
    valid: [
      { name: '早上好 at 08:40', call: FULL_AT('早上好', '2026-11-02T08:40:12+08:00') },
      { name: '晚上好 at 21:10', call: FULL_AT('晚上好', '2026-11-02T21:10:00+08:00') },
      { name: 'Taiwanese 早安 in the morning (Traditional)', call: FULL_AT('早安', '2026-11-02T08:50:00+08:00') },
      { name: '晚上好 past midnight (the range wraps)', call: FULL_AT('晚上好', '2026-11-02T01:30:00+08:00') },
      { name: '您好 at any hour', call: FULL_AT('您好', '2026-11-02T23:30:00+08:00') },
      { name: 'a local time without offset', call: FULL_AT('下午好', '2026-11-02 15:00:00') },
      { name: 'UTC says nothing of the local clock: not checked', call: FULL_AT('早上好', '2026-11-02T20:40:00Z') },
      { name: 'no started_at: not checked', call: FULL_AT('晚上好', '') },
      {
        name: 'the hours are rubric data',
        call: FULL_AT('早上好', '2026-11-02T13:00:00+08:00'),
        options: { time_of_day: { 早上好: '04:00-13:30' } },
      },
    ],
    invalid: [
      {
        name: '早上好 at 20:05',
        call: FULL_AT('早上好', '2026-11-02T20:05:00+08:00'),
        findings: [{ at: 0.5, message: '"早上好" does not fit the call\'s local time 20:05 (早上好: 04:00-12:00)' }],
      },
      {
        name: '下午好 at 09:15, and a missing slot',
        call: call(['[00:00.5-00:06] agent: 下午好，这里是蓝海燃气，请问有什么可以帮您？'], { startedAt: '2026-11-02T09:15:00+08:00' }),
        findings: [{ message: 'greeting lacks the agent’s name or number; "下午好" does not fit the call\'s local time 09:15 (下午好: 11:30-19:30)' }],
      },
    ],
  });
});

describe('greeting: outbound calls', () => {
  ruleTable(rule, {
    valid: [
      {
        name: 'the customer says 喂 first; the window opens at the agent’s first words; no service phrase needed',
        call: call(
          [
            '[00:00.2-00:01.8] customer: 喂？',
            '[00:02.5-00:09.0] customer: 喂？哪位啊？',
            '[00:09.5-00:11.0] agent: 喂您好',
            '[00:11.5-00:16.5] agent: 我这边是华信银行信用卡中心的，我叫陈晨，打扰您一分钟。',
          ],
          { direction: 'outbound' },
        ),
      },
      {
        name: 'direction unknown, but the agent asks for the customer by name: calling out',
        call: call(['[00:00.5-00:01.1] customer: 喂？', '[00:02.0-00:09.0] agent: 您好，这里是华信银行客服中心，我是蒋雯，工号3387，请问是吴女士吗？']),
      },
    ],
    invalid: [
      {
        name: 'the same call inbound: the window closes 10 s after the call opens',
        call: call([
          '[00:00.2-00:01.8] customer: 喂？',
          '[00:02.5-00:09.0] customer: 喂？哪位啊？',
          '[00:09.5-00:11.0] agent: 喂您好',
          '[00:11.5-00:16.5] agent: 我这边是华信银行信用卡中心的，我叫陈晨。',
        ]),
        findings: [{ at: 9.5, message: 'greeting lacks the organisation’s name, the agent’s name or number, an offer of service', evidence: '喂您好' }],
      },
      {
        name: 'direction unknown and no sign of calling out: the service phrase is needed',
        call: call(['[00:00.5-00:05.0] agent: 您好，这里是华信银行，我是蒋雯，工号3387。']),
        findings: [{ message: 'greeting lacks an offer of service' }],
      },
      {
        name: 'an inbound call stays inbound whatever the agent says',
        call: call(['[00:00.5-00:05.0] agent: 您好，这里是华信银行，我是蒋雯，请问是吴女士吗？'], { direction: 'inbound' }),
        findings: [{ message: 'greeting lacks an offer of service' }],
      },
      {
        name: 'outbound: straight to business',
        call: call(['[00:00.3-00:01.0] customer: 喂？', '[00:01.4-00:05.0] agent: 喂，张先生是吧，你那个快递到了，下来拿一下。'], { direction: 'outbound' }),
        findings: [{ message: 'greeting lacks a greeting word, the organisation’s name, the agent’s name or number' }],
      },
      {
        name: 'outbound_optional is rubric data',
        call: call(['[00:00.3-00:01.0] customer: 喂？', '[00:01.4-00:07.0] agent: 您好，我是星辰通信的客服王芳，请问是张先生吗？'], { direction: 'outbound' }),
        options: { outbound_optional: [] },
        findings: [{ message: 'greeting lacks an offer of service' }],
      },
    ],
  });
});

describe('greeting: the organisation option', () => {
  it('a rubric may give a name or a list of names; the schema takes them and role inference reads them', () => {
    const rubric = parseRubric('name: t\nrules:\n  greeting:\n    organisation: [星辰通信, 星辰]\n', 't.yaml');
    expect(organisationsOf(rubric)).toEqual(['星辰通信', '星辰']);
    expect(organisationsOf(parseRubric('name: t\nrules:\n  greeting:\n    organisation: 云帆快递\n', 't.yaml'))).toEqual(['云帆快递']);
    expect(organisationsOf(parseRubric('name: t\nrules:\n  greeting: {}\n', 't.yaml'))).toEqual([]);
  });
});

describe('greeting: the reader’s shortcuts', () => {
  const run = (text: string, options: Record<string, unknown> = {}) => rule.check(t(text), optionsSchema(rule).parse(options) as never, EMPTY_CONTEXT);
  it('a staff number cue without 号 is still looked for (the staff number regex runs only on text holding 号 or such a cue)', () => {
    expect(run('您好，这里是星辰通信，员工编码1024为您服务', { staff_number_cues: ['员工编码'] }).outcome).toBe('pass');
    expect(run('您好，这里是星辰通信，员工编码1024为您服务').outcome).toBe('review');
  });
  it('a greeting longer than the shared scratch space reads as a short one, and leaves none of its marks behind', () => {
    const long = `${FULL}${'请问一下宽带怎么办理。'.repeat(500)}`;
    expect(long.length).toBeGreaterThan(4096);
    expect(run(long).outcome).toBe('pass');
    expect(run('您好，请问有什么可以帮您？').findings.map((f) => f.message)).toEqual(['greeting lacks the organisation’s name, the agent’s name or number']);
    expect(run(FULL).outcome).toBe('pass');
  });
});
