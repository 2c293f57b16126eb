import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/format.js';
import { parseRubric } from '../../src/rubric/load.js';
import { runRubricTests } from '../../src/rubric/run-tests.js';
import firstResponse from '../../src/rules/first-response.js';
import rule, { DEFAULT_ACKNOWLEDGEMENTS } from '../../src/rules/response-gaps.js';
import { EMPTY_CONTEXT, optionsSchema, type RuleDefinition } from '../../src/rules/types.js';
import { acknowledgementList, isAcknowledgement, isOwnNextStep } from '../../src/rules/written.js';
import { call, ruleTable } from '../helpers/rule-table.js';

const ASK = '我的快递显示已签收，但我没收到。';
const HOLD = '您好，非常抱歉给您带来不便，我马上为您查询，请稍等。';
const chat = (lines: string[], extra: Parameters<typeof call>[1] = {}) => call(lines, { channel: 'chat', ...extra });
const run = (r: RuleDefinition, c: ReturnType<typeof chat>, options: Record<string, unknown> = {}, lang: 'en' | 'zh-CN' = 'en') =>
  r.check(c, optionsSchema(r).parse(options) as never, { ...EMPTY_CONTEXT, say: translator(lang) });

/** The first reply was late (6 minutes); every later wait was short. */
const LATE_FIRST = chat([
  `[00:00] 客户：${ASK}`,
  '[06:00] 坐席：您好，很抱歉让您久等了，请提供一下运单号。',
  '[06:30] 客户：SF1234567890',
  '[07:00] 坐席：查到了，放在小区驿站了。',
]);

describe('response-gaps', () => {
  ruleTable(rule, {
    valid: [
      {
        name: 'the customer’s own 等一下我找找单号 puts the agent on hold: the 8 minutes are the customer’s',
        call: chat([
          '[00:00] 客户：我要查物流',
          '[00:20] 坐席：您好，请提供运单号。',
          '[00:40] 客户：等一下我找找单号',
          '[08:40] 客户：找到了 SD55012876',
          '[09:10] 坐席：您的包裹已到达上海转运中心，预计明天派送。',
        ]),
      },
      {
        name: 'a request worded with a hold puts the agent on hold: the customer’s reply starts the wait, answered in time',
        call: chat([
          '[00:00] 客户：我的保险理赔怎么还没到账？',
          '[01:00] 坐席：您好，请在私信中提供保单号，专人马上为您跟进。',
          '[20:00] 客户：保单号已经私信了。',
          '[21:30] 坐席：收到，已为您加急处理，今天内到账。',
        ]),
      },
      {
        name: 'a status report of work that goes on after the chat is no hold: 预计3个工作日到账, then the closing 5 minutes later',
        call: chat([
          `[00:00] 客户：我的退款到哪了？`,
          '[00:40] 坐席：您好，您的退款正在为您处理，预计3个工作日到账。',
          '[01:10] 客户：好的',
          '[06:10] 坐席：请问还有其他可以帮您的吗？',
        ]),
      },
      {
        name: 'a result promised by text message: 结果出来后短信通知您',
        call: chat(['[00:00] 客户：发票开好了吗？', '[00:40] 坐席：正在为您核实，结果出来后短信通知您。', '[10:40] 坐席：感谢您的咨询，再见。']),
      },
      {
        name: 'a 10-minute lookup with 正在为您查询 every 2 minutes (each update ends a wait and starts the next)',
        call: chat([
          `[00:00] 客户：${ASK}`,
          `[00:40] 坐席：${HOLD}`,
          '[02:40] 坐席：正在为您联系站点核实，请您再稍等一下。',
          '[04:40] 坐席：正在为您跟进，请再稍等。',
          '[06:40] 坐席：正在为您查询派送记录，请您稍等。',
          '[08:40] 坐席：还在核实中，正在为您查询，感谢您的耐心等待。',
          '[10:30] 坐席：查到了，快递员放在了小区驿站，取件码已发送到您的手机。',
        ]),
      },
      {
        name: 'the customer’s own next step asks nothing: 行吧，那我等短信, then the closing 8 minutes later',
        call: chat([
          '[00:00] 客户：维修进度怎么样了？',
          '[00:30] 坐席：维修已完成，预计明天寄回，发货后短信通知您。',
          '[01:00] 客户：行吧，那我等短信',
          '[09:00] 坐席：感谢您的耐心，请问还有其他可以帮您的吗？',
        ]),
      },
      {
        name: 'the customer’s 好的谢谢 left unanswered while the agent closed the chat 15 minutes later',
        call: chat([
          `[00:00] 客户：${ASK}`,
          '[00:40] 坐席：快递放在小区驿站了，取件码已发到您手机。',
          '[01:00] 客户：好的谢谢',
          '[16:00] 坐席：感谢您的咨询，本次会话已结束，祝您生活愉快！',
        ]),
      },
      {
        name: 'bare acknowledgements in many forms (particles, punctuation, emoji, Traditional script, a goodbye)',
        call: chat([
          `[00:00] 客户：${ASK}`,
          '[00:40] 坐席：快递放在小区驿站了。',
          '[01:00] 客户：好的呢～',
          '[01:05] 客户：收到👍',
          '[01:10] 客户：好的，謝謝！',
          '[01:20] 客户：OK',
          '[01:30] 客户：没有了，谢谢，拜拜',
          '[20:00] 坐席：感谢您的咨询，再见。',
        ]),
      },
      {
        name: 'the agent asked a question and the customer took 20 minutes to answer (the agent was waiting, not the customer)',
        call: chat([
          `[00:00] 客户：${ASK}`,
          '[00:40] 坐席：您好，请问您的运单号是多少？',
          '[20:40] 客户：SF1234567890',
          '[21:10] 坐席：查到了，放在小区驿站了。',
        ]),
      },
      {
        name: 'the first reply was late: first-response’s finding, not also this rule’s',
        call: LATE_FIRST,
      },
      {
        name: 'the customer put the agent on hold (稍等，我找一下): no wait until the customer writes again',
        call: chat([
          `[00:00] 客户：${ASK}`,
          '[00:40] 坐席：请问您的运单号是多少？',
          '[01:00] 客户：稍等，我找一下',
          '[12:00] 客户：SF1234567890',
          '[12:40] 坐席：查到了，放在小区驿站了。',
        ]),
      },
      {
        name: 'a question left open when the export ends is not judged (the reply may have been cut)',
        call: chat([`[00:00] 客户：${ASK}`, '[00:40] 坐席：快递放在小区驿站了。', '[01:00] 客户：驿站在哪里？', '[09:00] 客户：人呢？']),
      },
      {
        name: 'a hold still open when the export ends is not judged',
        call: chat([`[00:00] 客户：${ASK}`, `[00:40] 坐席：${HOLD}`, '[01:00] 客户：好的']),
      },
      {
        name: 'a looser bound (max_seconds 600) lets an 8-minute hold pass',
        call: chat([`[00:00] 客户：${ASK}`, `[00:40] 坐席：${HOLD}`, '[08:40] 坐席：查到了，放在小区驿站了。']),
        options: { max_seconds: 600 },
      },
      {
        name: 'every wait within 3 minutes',
        call: chat([
          `[00:00] 客户：${ASK}`,
          '[00:30] 坐席：请提供运单号。',
          '[01:00] 客户：SF1234567890',
          '[03:50] 坐席：查到了。',
          '[04:00] 客户：驿站在哪？',
          '[05:00] 坐席：在小区东门。',
        ]),
      },
    ],
    invalid: [
      {
        name: 'after the customer answers a request, the agent’s silence is the customer’s wait',
        call: chat([
          '[00:00] 客户：理赔怎么还没到？',
          '[01:00] 坐席：请您提供一下保单号，马上为您查询。',
          '[02:00] 客户：BD20260312',
          '[12:00] 坐席：查到了，明天到账。',
        ]),
        findings: [{ at: 120, evidence: 'BD20260312' }],
      },
      {
        name: 'asking someone else is a hold: 去问一下仓库的同事, 帮您联系一下快递站点, each followed by 7 minutes without a word',
        call: chat([
          '[00:00] 客户：沙发什么时候发货？',
          '[00:30] 坐席：我这边去问一下仓库的同事。',
          '[07:40] 坐席：仓库回复明天上午发货。',
          '[08:00] 客户：那快递放门口不见了怎么办？',
          '[08:20] 坐席：非常抱歉，我这边帮您联系一下快递站点。',
          '[15:30] 坐席：站点回复放在物业了。',
        ]),
        findings: [
          { at: 30, evidence: '我这边去问一下仓库的同事。' },
          { at: 500, evidence: '非常抱歉，我这边帮您联系一下快递站点。' },
        ],
      },
      {
        name: 'a bare 请稍等 with no later time is a hold: 8 minutes without a word',
        call: chat(['[00:00] 客户：发票开好了吗？', '[00:40] 坐席：正在为您核实，请稍等。', '[08:40] 坐席：已经开好了。']),
        findings: [{ at: 40, evidence: '正在为您核实，请稍等。' }],
      },
      {
        name: 'put on hold, then 8 minutes without a word: at the hold message, quoting it',
        call: chat([`[00:00] 客户：${ASK}`, `[00:40] 坐席：${HOLD}`, '[08:40] 坐席：查到了，放在小区驿站了。']),
        findings: [
          {
            at: 40,
            message:
              'the customer waited 480 s (08:00) after the agent put them on hold before the agent wrote again (longer than 180 s (03:00): give a progress update)',
            evidence: HOLD,
          },
        ],
      },
      {
        name: 'a question after the first reply answered 5 minutes later',
        call: chat([
          `[00:00] 客户：${ASK}`,
          '[00:40] 坐席：快递放在小区驿站了。',
          '[01:00] 客户：驿站在哪里？几点关门？',
          '[06:00] 坐席：在小区东门，晚上九点关门。',
        ]),
        findings: [
          {
            at: 60,
            message: "the customer waited 300 s (05:00) for the agent's reply to this message (longer than 180 s (03:00))",
            evidence: '驿站在哪里？几点关门？',
          },
        ],
      },
      {
        name: 'customer messages in a row: the wait runs from the first unanswered one',
        call: chat([
          `[00:00] 客户：${ASK}`,
          '[00:40] 坐席：快递放在小区驿站了。',
          '[01:00] 客户：哪个驿站？',
          '[03:00] 客户：有人吗？',
          '[06:00] 坐席：小区东门的驿站。',
        ]),
        findings: [{ at: 60, message: /waited 300 s \(05:00\)/, evidence: '哪个驿站？' }],
      },
      {
        name: '好的，那我的退款呢 is no acknowledgement (words, not the start of the message)',
        call: chat([`[00:00] 客户：${ASK}`, '[00:40] 坐席：快递放在小区驿站了。', '[01:00] 客户：好的，那我的退款呢', '[06:00] 坐席：退款已原路退回。']),
        findings: [{ at: 60, message: /waited 300 s/, evidence: '好的，那我的退款呢' }],
      },
      {
        name: 'an acknowledgement, then a question: the wait starts at the question',
        call: chat([
          `[00:00] 客户：${ASK}`,
          '[00:40] 坐席：快递放在小区驿站了。',
          '[01:00] 客户：好的',
          '[02:00] 客户：取件码多少？',
          '[07:00] 坐席：取件码是 5-2-1803。',
        ]),
        findings: [{ at: 120, message: /waited 300 s/, evidence: '取件码多少？' }],
      },
      {
        name: 'a question asked during a hold does not restart it: one wait, from the hold',
        call: chat([`[00:00] 客户：${ASK}`, `[00:40] 坐席：${HOLD}`, '[05:40] 客户：还要多久？', '[08:40] 坐席：查到了。']),
        findings: [{ at: 40, message: /waited 480 s \(08:00\) after the agent put them on hold/, evidence: HOLD }],
      },
      {
        name: 'a progress update that is a hold starts the next wait there',
        call: chat([`[00:00] 客户：${ASK}`, `[00:40] 坐席：${HOLD}`, '[02:40] 坐席：正在为您跟进，请再稍等。', '[10:40] 坐席：查到了。']),
        findings: [{ at: 160, message: /waited 480 s/, evidence: '正在为您跟进，请再稍等。' }],
      },
      {
        name: 'a proactive chat: the customer’s question after the agent’s opening is judged here (first-response has no enquiry to time)',
        call: chat([
          '[00:00] 坐席：您好，看到您在浏览退换货页面，有什么可以帮您？',
          '[01:00] 客户：退货运费谁出？',
          '[07:00] 坐席：七天无理由退货的运费由我们承担。',
        ]),
        findings: [{ at: 60, message: /waited 360 s \(06:00\)/, evidence: '退货运费谁出？' }],
      },
      {
        name: 'each over-long wait is its own finding, in order',
        call: chat([
          `[00:00] 客户：${ASK}`,
          `[00:40] 坐席：${HOLD}`,
          '[05:00] 坐席：查到了，在驿站。',
          '[05:10] 客户：哪个驿站？',
          '[09:10] 坐席：小区东门的驿站。',
        ]),
        findings: [
          { at: 40, message: /after the agent put them on hold/ },
          { at: 310, message: /waited 240 s \(04:00\) for the agent's reply/ },
        ],
      },
      {
        name: 'with no acknowledgements listed, 好的谢谢 is a message to answer',
        call: chat([`[00:00] 客户：${ASK}`, '[00:40] 坐席：快递放在小区驿站了。', '[01:00] 客户：好的谢谢', '[16:00] 坐席：感谢您的咨询，再见。']),
        options: { acknowledgements: [] },
        findings: [{ at: 60, message: /waited 900 s \(15:00\)/ }],
      },
      {
        name: 'a stricter bound (max_seconds 60), and a hold phrase of the rubric’s own',
        call: chat([`[00:00] 客户：${ASK}`, '[00:40] 坐席：我去问一下仓库同事。', '[02:40] 坐席：仓库说已经发出了。']),
        options: { max_seconds: 60, hold_phrases: ['问一下仓库'] },
        findings: [{ at: 40, message: /waited 120 s \(02:00\) after .*longer than 60 s \(01:00\)/, evidence: '我去问一下仓库同事。' }],
      },
    ],
    notApplicable: [
      { name: 'a phone call (voice)', call: call([`[00:00-00:05] 客户：${ASK}`, `[00:06-00:10] 坐席：${HOLD}`, '[10:00-10:05] 坐席：查到了。']) },
      { name: 'an untimed chat', call: chat([`客户：${ASK}`, `坐席：${HOLD}`, '坐席：查到了。']) },
      { name: 'no agent reply at all (first-response judges it)', call: chat([`[00:00] 客户：${ASK}`, '[10:00] 客户：有人吗？']) },
      { name: 'no customer message', call: chat([`[00:00] 坐席：${HOLD}`, '[10:00] 坐席：查到了。']) },
    ],
  });

  it('the late first reply is first-response’s finding alone', () => {
    expect(run(firstResponse, LATE_FIRST).outcome).toBe('fail');
    expect(run(rule, LATE_FIRST)).toMatchObject({ outcome: 'pass', findings: [] });
  });

  it('writes its findings in Chinese', () => {
    const c = chat([
      `[00:00] 客户：${ASK}`,
      `[00:40] 坐席：${HOLD}`,
      '[05:00] 坐席：查到了，在驿站。',
      '[05:10] 客户：哪个驿站？',
      '[09:10] 坐席：小区东门的驿站。',
    ]);
    expect(run(rule, c, {}, 'zh-CN').findings.map((f) => f.message)).toEqual([
      '坐席请客户稍候后 260 秒（04:20）未再发消息（超过 180 秒（03:00）；处理时间较长时应定期告知进度）',
      '客户发出这条消息后等了 240 秒（04:00）才收到坐席回复（超过 180 秒（03:00））',
    ]);
  });

  it('defaults: 180 s (policy), 5 points a finding up to 15', () => {
    expect(rule.options.max_seconds.parse(undefined)).toBe(180);
    expect(rule.defaultDeduction).toBe(5);
    expect(rule.defaultMaxDeduction).toBe(15);
    expect(rule.source).toContain('長時間處理時應定期更新進度');
    expect(rule.limits).toContain('The 180 s bound is policy');
  });

  it('rejects bad options in a rubric, naming the line', () => {
    const yaml = (key: string, v: string) => `name: t\nrules:\n  response-gaps:\n    ${key}: ${v}\n`;
    expect(() => parseRubric(yaml('max_seconds', '-5'), 'r.yaml')).toThrow('r.yaml:4: rules.response-gaps.max_seconds: expected a number > 0, got -5');
    expect(() => parseRubric(yaml('acknowledgements', '["好的", "  "]'), 'r.yaml')).toThrow(
      'r.yaml:4: rules.response-gaps.acknowledgements[1]: expected a word, got empty text',
    );
    expect(() => parseRubric(yaml('hold_phrases', '[""]'), 'r.yaml')).toThrow(
      'r.yaml:4: rules.response-gaps.hold_phrases[0]: expected a phrase, got empty text',
    );
    expect(() => parseRubric(yaml('acknowledgements', '好的'), 'r.yaml')).toThrow(
      'r.yaml:4: rules.response-gaps.acknowledgements: expected a list, got "好的"',
    );
  });
});

describe('isAcknowledgement', () => {
  const ack = acknowledgementList(DEFAULT_ACKNOWLEDGEMENTS, '').parse(undefined);
  const is = (text: string) => isAcknowledgement(chat([`[00:00] 客户：${text}`]).utterances[0] as never, ack);
  it.each([
    '好的谢谢',
    '好的，谢谢！',
    '嗯嗯嗯',
    '谢谢啦～',
    '👍',
    '👍🏻',
    '收到😊',
    '好的呢',
    '明白了。',
    '没有了，谢谢',
    'OK',
    'ok了',
    '多謝',
    '谢啦',
    '谢了',
    '好嘞，辛苦啦',
    '辛苦辛苦',
    '懂了',
  ])('%s asks nothing', (text) => {
    expect(is(text)).toBe(true);
  });
  it.each(['好的，那我的退款呢', '好吗', '好的？', '？？', '😊', '好的订单号发你了', 'okk', '谢谢，还有一个问题', '行李丢了', ''])(
    '%s is no bare acknowledgement',
    (text) => {
      expect(is(text)).toBe(false);
    },
  );
});

describe('isOwnNextStep', () => {
  const ack = acknowledgementList(DEFAULT_ACKNOWLEDGEMENTS, '').parse(undefined);
  const is = (text: string) => isOwnNextStep(chat([`[00:00] 客户：${text}`]).utterances[0] as never, ack);
  it.each(['行吧，那我等短信', '好的，我先试试', '嗯嗯，那我明天再看看', '好的呢，那我自己去驿站取'])('%s: the customer takes the next step', (text) => {
    expect(is(text)).toBe(true);
  });
  it.each([
    '好的，那我的退款呢',
    '好的，那我要等多久',
    '好的，那我怎么操作',
    '行，那我等你消息？',
    '好的，那我等短信，另外运费呢',
    '那我等短信',
    '我买的东西，那我等',
  ])('%s still waits for the agent, or is no acknowledgement first', (text) => {
    expect(is(text)).toBe(false);
  });
});

describe('first-response and response-gaps in a rubric', () => {
  it('score a chat through the plain-text header, with a social rubric’s 1800 s, and answer n/a on a phone call', () => {
    const rubric = parseRubric(
      `name: t
rules:
  first-response: { max_seconds: 1800 }
  response-gaps: {}
tests:
  - name: social, first reply after 20 minutes, then a hold of 8
    channel: social
    turns: ["[00:00] 客户：你们的快递太慢了！", "[20:00] 坐席：非常抱歉，我马上为您查询，请稍等。", "[28:00] 坐席：已为您催促物流。"]
    expect: { first-response: pass, response-gaps: fail }
    expect_score: 95
  - name: the same words on a phone call
    turns: ["[00:00-00:03] 客户：你们的快递太慢了！", "[20:00-20:05] 坐席：非常抱歉，我马上为您查询，请稍等。", "[28:00-28:03] 坐席：已为您催促物流。"]
    expect: { first-response: n/a, response-gaps: n/a }
`,
      'r.yaml',
    );
    expect(runRubricTests(rubric)).toEqual([
      { name: 'social, first reply after 20 minutes, then a hold of 8', passed: true, problems: [] },
      { name: 'the same words on a phone call', passed: true, problems: [] },
    ]);
  });
});
