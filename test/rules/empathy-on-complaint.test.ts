import { describe, expect, it } from 'vitest';
import rule from '../../src/rules/empathy-on-complaint.js';
import { EMPTY_CONTEXT, optionsSchema } from '../../src/rules/types.js';
import { call, ruleTable } from '../helpers/rule-table.js';
import { translator } from '../../src/i18n/format.js';

const message = (n: number) =>
  `complaint not acknowledged: no apology or empathy in the agent's next ${n} ${n === 1 ? 'reply' : 'replies'}; C.A.L.M. Confirm: first acknowledge the feeling, e.g. "非常抱歉，我理解这种情况令您感到失望"`;
const ANGRY = '你们这什么破网，三天两头断，我要投诉！';
const dismissed = (words: string) =>
  `complaint answered with a dismissal ("${words}"), not empathy; C.A.L.M. Confirm: acknowledge the feeling, e.g. "非常抱歉，我理解这种情况令您感到失望"`;
const REVIEW = 'a possible complaint (one weak cue) got no apology or empathy: review whether the customer was upset';

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
      { name: 'anxiety acknowledged (理解您着急的心情)', call: call(['customer: 卡被锁了，急死了。', 'agent: 我理解您着急的心情，马上帮您解锁。']) },
      {
        name: 'soothing is the verbal cushion of seed 001 step 1 (您先别着急)',
        call: call(['customer: 我孩子的手机卡丢了，急死了', 'agent: 您先别着急，我马上帮您办理挂失。']),
      },
      { name: '别激动 with an acknowledgement', call: call(['customer: 你们就是骗子！', 'agent: 您先别激动，我理解您的感受，我们一起看看怎么解决。']) },
      { name: 'seed 002: 感谢您指出', call: call(['customer: 价格和结账时不一样，这不是坑人吗？', 'agent: 感谢您指出这个问题，我马上提交核查。']) },
      { name: 'ASR homophones: 报歉, 天麻烦', call: call(['customer: 一个月扣了三次我要投诉', 'agent: 非常报歉给您天麻烦了我帮您查一下']) },
      { name: 'full-width emphatic punctuation and 到底', call: call(['customer: ＷＩＦＩ又断了！！你们到底能不能修好？', 'agent: 很抱歉，我马上给您派单。']) },
      {
        name: 'a waiting remark (等了快一分半钟) answered with an apology',
        call: call(['customer: 不过你让我等了快一分半钟。', 'agent: 实在抱歉，详单数据比较大，调取慢了一些。']),
      },
      {
        name: 'acknowledged once: a later outburst needs no new apology (C.A.L.M. moves on)',
        call: call([
          'customer: 宽带断了三天了，报修两次都没人来，你们到底怎么回事？',
          'agent: 非常抱歉，换成是我也会很着急，我理解您的心情。',
          'customer: 那就是没人管呗。我要找你们领导。',
          'agent: 跟您确认一下，您是希望尽快有师傅上门，对吗？',
          'agent: 我现在把您的工单升级，由值班主管跟进。',
        ]),
      },
      {
        name: 'a plain list of cues, as the option used to be',
        call: call(['customer: 你们简直是在敷衍我。', 'agent: 抱歉，我马上处理。']),
        options: { cues: ['敷衍'] },
      },
      { name: 'ASR spaces between characters', call: call(['customer: 气 死 我 了', 'agent: 您 先 别 生 气 ， 我 来 处 理']) },
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
        findings: [{ message: dismissed('随便你'), evidence: '我要给差评！' }],
      },
      {
        name: 'a dismissal is not empathy, whatever soothing comes with it (别着急，急也没用)',
        call: call([
          '[00:00-00:03] customer: 我的退款到现在还没到账，急死了。',
          '[00:04-00:08] agent: 别着急，急也没用，退款就是要七个工作日。',
          '[00:09-00:10] customer: 那我再等等吧。',
        ]),
        findings: [{ at: 0, message: dismissed('急也没用'), evidence: '我的退款到现在还没到账，急死了。' }],
      },
      {
        name: 'a dismissal outweighs an apology in the same reply',
        call: call(['customer: 气死我了，又乱扣费！', 'agent: 不好意思啊，不过这有什么好生气的，扣的是月租。']),
        findings: [{ message: dismissed('有什么好生气') }],
      },
      {
        name: 'a dismissal: 你投诉吧',
        call: call(['customer: 你这什么态度，我要投诉你！', 'agent: 你投诉吧，我工号是3021。']),
        findings: [{ message: /^complaint answered with a dismissal/ }],
      },
      {
        name: '您别激动 alone acknowledges nothing',
        call: call([
          'customer: 你们简直就是骗子，退钱！',
          'agent: 您别激动，退款要走流程。',
          'customer: 走什么流程，都半个月了！',
          'agent: 我帮您再提交一次。',
        ]),
        findings: [{ message: message(2), evidence: '你们简直就是骗子，退钱！' }],
      },
      {
        name: '您放心 reassures but acknowledges nothing',
        call: call([
          'customer: 我都打了好几次了，你们到底管不管？',
          'agent: 您放心，我会帮您登记。',
          'customer: 上次也这么说。',
          'agent: 这次一定会有人联系您。',
        ]),
        findings: [{ message: message(2) }],
      },
      {
        // Neither as written nor by sound: each complaint between two agent replies is one finding (the rule's unit).
        name: '不好意思 for not hearing is no apology',
        call: call(['customer: 你们这个售后简直是垃圾！', 'agent: 不好意思，您说什么？没听清。', 'customer: 我说售后是垃圾！', 'agent: 那您再送过来检测吧。']),
        findings: [{ message: message(2) }, { message: message(2) }],
      },
      {
        name: 'repeat contact: 第三次打电话',
        call: call(['customer: 这是我第三次打电话了，宽带还是没修好。', 'agent: 您的宽带账号是多少？', 'agent: 系统显示工单在处理中。']),
        findings: [{ message: message(2) }],
      },
      {
        name: 'repeat contact: 說了好幾遍 (Traditional)',
        call: call(['客户：我已經說了好幾遍了，地址是中山路五號！', '客服：請再說一次您的電話號碼。', '客服：好，登記了。']),
        findings: [{ message: message(2) }],
      },
      {
        name: 'escalation: 12315',
        call: call(['customer: 再不退款我就打12315。', 'agent: 退款要走流程。', 'agent: 您等通知吧。']),
        findings: [{ message: message(2) }],
      },
      {
        name: 'anxiety: 急死了',
        call: call(['customer: 卡被锁了，我明天就要用钱，急死了。', 'agent: 请提供身份证号。', 'agent: 好的，解锁了。']),
        findings: [{ message: message(2) }],
      },
      {
        name: '够了 as a clause of its own',
        call: call(['customer: 够了！我不想再听这些。', 'agent: 那我给您说一下流程。', 'agent: 第一步先登录。']),
        findings: [{ message: message(2) }],
      },
      {
        name: 'unresolved: paid already and still cut off (刚交了…怎么还欠费)',
        call: call(['customer: 啊 我 上 礼 拜 刚 交 了 一 百 怎 么 还 欠 费', 'agent: 这 个 系 统 显 示 就 是 欠 费', 'agent: 你 把 缴 费 记 录 截 个 图']),
        findings: [{ message: message(2) }],
      },
      {
        name: 'two weak cues: 根本没 and 打不通',
        call: call(['customer: 显示签收了，但我根本没收到，快递员电话也一直打不通。', 'agent: 单号给我一下。', 'agent: 嗯，单号是多少？']),
        findings: [{ message: message(2) }],
      },
      {
        name: 'answer_every_complaint: each outburst needs its own',
        call: call(['customer: 太差了！', 'agent: 非常抱歉。', 'customer: 我要找你们领导！', 'agent: 我给您升级工单。', 'agent: 主管今晚回电。']),
        options: { answer_every_complaint: true },
        findings: [{ message: message(2), evidence: '我要找你们领导！' }],
      },
      {
        name: 'two weak cues make a complaint (到底 + ？！)',
        call: call(['customer: 到底什么时候能给我修好？！', 'agent: 在排队。', 'agent: 明天吧。']),
        findings: [{ message: message(2) }],
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
      {
        name: 'a supposed complaint: 如果…可以投诉吗',
        call: call(['customer: 如果收到的东西有问题，我可以投诉吗？', 'agent: 可以的，您可以在订单页面申请售后。']),
      },
      { name: 'negated: 不着急', call: call(['customer: 不着急，你慢慢查。', 'agent: 好的，请稍等，我帮您查一下。']) },
      { name: 'a polite question: 请问…怎么回事', call: call(['customer: 请问我这个月账单多了十块是怎么回事？', 'agent: 我帮您查一下，是增值业务费。']) },
      {
        name: '投诉 naming a channel (投诉建议)',
        call: call(['customer: 我想通过投诉建议提个意见，App能不能加个夜间模式？', 'agent: 好的，感谢您的建议，我记录下来。']),
      },
      {
        name: 'a plain mention of an earlier call',
        call: call(['customer: 我之前打过电话问过，想再确认一下开通时间。', 'agent: 好的，请问您的手机号是多少？', 'agent: 预计周五开通。']),
      },
      { name: '够了 as enough', call: call(['customer: 流量够了，不用加了。', 'agent: 好的，那就不给您加流量包了。']) },
      { name: '12315 inside a phone number', call: call(['customer: 我的手机号是13912315678，帮我查一下话费。', 'agent: 好的，您本月话费是八十六元。']) },
    ],
  });

  const check = (lines: string[], options: Record<string, unknown> = {}) => rule.check(call(lines), optionsSchema(rule).parse(options) as never, EMPTY_CONTEXT);

  it('asks for review when one weak cue goes unanswered (a plain question may hold it)', () => {
    expect(
      check([
        '[00:00-00:03] customer: 我又打来了，上次说的回电一直没等到。',
        '[00:04-00:06] agent: 您的手机号是多少？',
        '[00:07-00:09] agent: 好的，我看一下。',
      ]),
    ).toEqual({
      outcome: 'review',
      findings: [{ at: 0, message: REVIEW, evidence: '我又打来了，上次说的回电一直没等到。' }],
      // A weak cue may be a plain question: it marks no complaint for window.after.
      hits: [],
    });
  });

  it('an unanswered complaint outweighs a weak cue awaiting review', () => {
    const result = check(['customer: 怎么回事？', 'agent: 您说。', 'agent: 嗯，您请讲。', 'customer: 太差了！', 'agent: 账号多少？', 'agent: 好的。']);
    expect(result.outcome).toBe('fail');
    expect(result.findings.map((f) => f.evidence)).toEqual(['太差了！']);
  });

  it('homophones can be turned off, and leave soothing words alone (您别急 sounds inside 您别激动)', () => {
    const asr = ['customer: 一个月扣了三次我要投诉', 'agent: 非常报歉给您天麻烦了我帮您查一下', 'agent: 查到了'];
    expect(check(asr).outcome).toBe('pass');
    expect(check(asr, { homophones: [] }).outcome).toBe('fail');
    expect(check(['customer: 你们就是骗子', 'agent: 您别激动', 'agent: 退款要走流程']).outcome).toBe('fail');
  });

  it('takes cue classes from the rubric, and rejects a class name that is not one', () => {
    expect(check(['customer: 你们简直是在敷衍我。', 'agent: 账号多少？', 'agent: 好的。'], { cues: { evasion: ['敷衍'] } }).outcome).toBe('fail');
    expect(check(['customer: 我要投诉！', 'agent: 账号多少？', 'agent: 好的。'], { cues: { evasion: ['敷衍'] } }).outcome).toBe('n/a');
    expect(() => optionsSchema(rule).parse({ cues: { 'Not A Class': ['敷衍'] } })).toThrow(/a class name in lower case/);
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

  it('a fault denied is no apology, as written or by sound: 不是我们的问题 holds 是我们的问题', () => {
    const check = (reply: string) =>
      rule.check(
        call(['customer: 你们这什么破快递，包裹都压坏了，我要投诉！', `agent: ${reply}`, 'agent: 您去找快递公司。']),
        optionsSchema(rule).parse({}) as never,
        EMPTY_CONTEXT,
      ).outcome;
    expect(check('这是快递的问题，不是我们的问题。')).toBe('fail');
    expect(check('这并不是我们的失误。')).toBe('fail');
    expect(check('是我们的问题，给您添麻烦了。')).toBe('pass');
    expect(check('非常抱歉，虽然不是我们的问题，我们也会帮您联系快递。')).toBe('pass');
  });

  it('marks no place for a lone weak cue: 怎么回事 is a question as often as a complaint', () => {
    const options = optionsSchema(rule).parse({}) as never;
    const result = rule.check(
      call(['[00:00-00:02] customer: 我的快递怎么回事？', '[00:03-00:05] agent: 我帮您查一下，明天上午送到。']),
      options,
      EMPTY_CONTEXT,
    );
    expect(result.hits).toEqual([]);
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

/** The run's language is Simplified Chinese. */
const ZH = { ...EMPTY_CONTEXT, say: translator('zh-CN') };

describe('empathy-on-complaint: findings in Chinese', () => {
  ruleTable(rule, {
    invalid: [
      {
        name: 'straight to business',
        call: call([`customer: ${ANGRY}`, 'agent: 账号多少？', 'agent: 地址在哪？']),
        context: ZH,
        findings: [
          {
            message:
              '客户投诉未获回应：坐席随后 2 次回复中没有致歉或共情；化解情绪第一步是“确认感受”：先承认客户的情绪和感受，如“非常抱歉，我理解这种情况令您感到失望”',
          },
        ],
      },
      {
        name: 'a dismissal',
        call: call(['customer: 我的退款到现在还没到账，急死了。', 'agent: 别着急，急也没用，退款就是要七个工作日。']),
        context: ZH,
        findings: [
          {
            message:
              '客户投诉时坐席以“急也没用”回应，否定了客户的情绪，未表达共情；化解情绪须“确认感受”：承认客户的情绪和感受，如“非常抱歉，我理解这种情况令您感到失望”',
          },
        ],
      },
    ],
  });

  it('asks for review of a single weak cue', () => {
    const result = rule.check(
      call([
        '[00:00-00:03] customer: 我又打来了，上次说的回电一直没等到。',
        '[00:04-00:06] agent: 您的手机号是多少？',
        '[00:07-00:09] agent: 好的，我看一下。',
      ]),
      optionsSchema(rule).parse({}) as never,
      ZH,
    );
    expect(result.findings.map((f) => f.message)).toEqual(['客户可能在抱怨（仅一处弱提示），坐席未致歉或共情：请复核客户是否有不满情绪']);
  });
});
