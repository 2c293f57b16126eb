import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/format.js';
import { parseRubric } from '../../src/rubric/load.js';
import rule, { DEFAULT_PRIVATE_CHANNELS, PUBLIC_DATA_KINDS } from '../../src/rules/public-privacy.js';
import { EMPTY_CONTEXT, optionsSchema } from '../../src/rules/types.js';
import { call, ruleTable } from '../helpers/rule-table.js';

/** A public thread: the lines as the plain-text format writes them. */
const thread = (lines: string[]) => call(lines, { channel: 'social' });

const DISCLOSED_MOBILE = "the agent wrote the customer's mobile number in the public thread (personal details belong in a private message)";
const ASKED = (what: string) => `the agent asked for ${what} in the public thread without sending the customer to a private channel`;
const NOT_MOVED = (what: string) => `the customer wrote their ${what} in the public thread and no later reply moved the conversation to a private channel`;

describe('public-privacy', () => {
  ruleTable(rule, {
    valid: [
      {
        name: 'a public reply that moves the details to a private message',
        call: thread(['[00:00] 客户：@星辰通信 宽带断了两天了！', '[05:00] 坐席：非常抱歉！麻烦您私信发一下办理宽带的手机号，我们马上查询。']),
      },
      { name: 'nothing personal and no request', call: thread(['[00:00] 客户：你们的套餐怎么这么贵？', '[01:00] 坐席：感谢您的关注，新套餐详情请见置顶帖。']) },
      {
        name: 'a question whether the customer already sent it by private message',
        call: thread(['[00:00] 客户：弄好了没有？', '[02:00] 坐席：您私信的手机号收到了吗？我们这边还没看到。']),
      },
      {
        name: 'an order number is not personal, though it passes the bank card checksum',
        call: thread(['[00:00] 客户：订单号6120458873122905414，一直没发货。', '[03:00] 坐席：已为您催促仓库尽快发货。']),
      },
      {
        name: 'a tracking number glued to its letters is no mobile',
        call: thread(['[00:00] 客户：运单号 SF1381234567890 三天没动了', '[03:00] 坐席：已帮您联系快递网点。']),
      },
      {
        name: 'asking for an order number in the open is fine',
        call: thread(['[00:00] 客户：我的货呢？', '[01:00] 坐席：请提供一下订单号和快递单号，我们帮您查询。']),
      },
      {
        name: 'the company hotline (400-, 95xxx) in half- and full-width digits',
        call: thread(['[00:00] 客户：怎么投诉？', '[01:00] 坐席：可拨打400-820-8820或95588，也可拨打４００８２０８８２０。']),
      },
      {
        name: "a number after the company's own contact name is the company's",
        call: thread(['[00:00] 客户：门店电话多少？', '[01:00] 坐席：门店电话13800001111，客服邮箱 kefu@xingchen.com，投诉可发邮件到 ts@xingchen.com。']),
      },
      {
        name: 'a masked number',
        call: thread(['[00:00] 客户：改好了吗？', '[01:00] 坐席：尾号5678的手机138****5678已更新，身份证110105********1234已核验。']),
      },
      {
        name: "the customer's own number, and the agent asks them to DM it next",
        call: thread(['[00:00] 客户：我手机号13812345678，赶紧联系我！', '[02:00] 坐席：为保护您的隐私，请删除评论并私信我们手机号，我们马上处理。']),
      },
      {
        name: 'Traditional script: 私訊 names a private channel',
        call: thread(['[00:00] 客戶：我的手機號碼是13812345678', '[02:00] 客服：麻煩您私訊發一下手機號碼，我們幫您查詢。']),
      },
      {
        name: 'a warning not to post personal data is no request',
        call: thread(['[00:00] 客户：怎么验证？', '[01:00] 坐席：请勿在评论区留下手机号、验证码等个人信息。']),
      },
      {
        name: 'the agent sending something itself is no request',
        call: thread(['[00:00] 客户：门店在哪？', '[01:00] 坐席：我这边给您发一下门店地址：朝阳区建国路88号。']),
      },
      {
        name: 'filling in a form is not writing in the thread',
        call: thread(['[00:00] 客户：怎么改地址？', '[01:00] 坐席：请在小程序“我的订单”内填写新的收货地址。']),
      },
      {
        name: 'data the customer gave already (您留下的…) is no request',
        call: thread(['[00:00] 客户：处理了吗？', '[01:00] 坐席：您之前留下的联系方式已转给专员，已向您的手机发送验证码。']),
      },
      {
        name: 'untimed: the same judgement without times',
        call: thread(['客户：宽带又断了', '坐席：抱歉，请私信我们您的手机号。']),
      },
      {
        name: 'kinds: a mobile is not judged when kinds leave it out',
        call: thread(['[00:00] 客户：手机13812345678', '[01:00] 坐席：好的，13812345678，已记录。']),
        options: { kinds: ['id_card', 'bank_card'] },
      },
      {
        name: 'private_channels: a platform the rubric adds',
        call: thread(['[00:00] 客户：怎么联系？', '[01:00] 坐席：请通过小红书私家信箱发一下手机号。']),
        options: { private_channels: [...DEFAULT_PRIVATE_CHANNELS, '私家信箱'] },
      },
      {
        name: 'allow_numbers: a published service mobile',
        call: thread(['[00:00] 客户：怎么联系？', '[01:00] 坐席：可以联系13900001234。']),
        options: { allow_numbers: ['139 0000 1234'] },
      },
      {
        name: 'allow_numbers: an e-mail address, whatever its case and width',
        call: thread(['[00:00] 客户：怎么联系？', '[01:00] 坐席：可以联系王经理 Ｗang.Fang@Xingchen.com 。']),
        options: { allow_numbers: ['wang.fang@xingchen.com'] },
      },
      // Gold set (eval/gold-social) classes: private channels named otherwise, a question about data, not for it.
      {
        name: "the company's WeChat service is a private channel",
        call: thread(['[00:00] 客户：会员卡绑不上', '[03:00] 坐席：抱歉，麻烦您添加官方客服微信，在微信里发一下手机号，我们帮您处理。']),
      },
      {
        name: 'DM (a direct message), in any case, is a private channel',
        call: thread(['[00:00] 客户：订单被取消了？', '[02:00] 坐席：非常抱歉！麻烦您Dm我们，发一下手机号，我们马上核实。']),
      },
      {
        name: "the platform's direct-message button (发消息) is a private channel",
        call: thread(['[00:00] 客户：积分清零了？', '[04:00] 坐席：抱歉，请点击我们主页的“发消息”按钮，把手机号发给我们，我们为您核实。']),
      },
      {
        name: 'where the agent will send something is no request (结果会发到您的邮箱)',
        call: thread(['[00:00] 客户：发票呢？', '[02:00] 坐席：抱歉，我们会把发票发到您的邮箱，请留意。']),
      },
      {
        name: 'a question about a call, not for the number (电话是什么时候打的)',
        call: thread(['[00:00] 客户：你们打过电话给我', '[02:00] 坐席：抱歉，请问这个电话是什么时候打的？我们核实一下。']),
      },
      {
        name: 'a private channel named, and the public place only in a warning',
        call: thread(['[00:00] 客户：怎么验证？', '[01:00] 坐席：请勿在评论区留下手机号，请私信我们手机号。']),
      },
      {
        name: 'data given already, in the cue’s own clause',
        call: thread(['[00:00] 客户：处理了吗？', '[01:00] 坐席：感谢反馈，您已经留下手机号了，我们已转给专员。']),
      },
    ],
    invalid: [
      {
        name: 'the agent asks for the mobile number in the comments',
        call: thread(['[00:00] 客户：我的快递三天没动了！', '[02:00] 坐席：抱歉让您久等了，请在评论区留下手机号，我们帮您查询。']),
        findings: [{ at: 120, message: ASKED('手机号'), evidence: '抱歉让您久等了，请在评论区留下手机号，我们帮您查询。' }],
      },
      {
        name: 'a request in Traditional script without a private channel',
        call: thread(['[00:00] 客戶：怎麼還沒到？', '[01:00] 客服：請在留言區留下您的手機號碼，我們幫您查詢。']),
        findings: [{ at: 60, message: ASKED('手机号码'), evidence: '請在留言區留下您的手機號碼，我們幫您查詢。' }],
      },
      {
        name: 'the agent writes the customer’s mobile (evidence masked as privacy masks it)',
        call: thread(['[00:00] 客户：改号了吗？', '[01:00] 坐席：您的手机号13812345678已登记。']),
        findings: [{ at: 60, message: DISCLOSED_MOBILE, evidence: '您的手机号138****5678已登记。' }],
      },
      {
        name: 'fullwidth digits',
        call: thread(['[00:00] 客户：改号了吗？', '[01:00] 坐席：您的手机号１３８１２３４５６７８已登记。']),
        findings: [{ at: 60, message: DISCLOSED_MOBILE, evidence: '您的手机号１３８****５６７８已登记。' }],
      },
      {
        name: 'an ID number and an e-mail address in one reply: one finding each',
        call: thread(['[00:00] 客户：核实了吗？', '[01:00] 坐席：身份证11010519491231002X和邮箱 zhang.san@qq.com 已核实。']),
        findings: [
          {
            at: 60,
            message: "the agent wrote the customer's ID card number in the public thread (personal details belong in a private message)",
            evidence: '身份证110105********002X和邮箱 z********@qq.com 已核实。',
          },
          { at: 60, message: /e-mail address/, evidence: '身份证110105********002X和邮箱 z********@qq.com 已核实。' },
        ],
      },
      {
        name: 'the customer posts their mobile and the agent answers in public',
        call: thread(['[00:00] 客户：我手机号13812345678，快点给我回电话！', '[04:00] 坐席：收到，我们会尽快联系您。']),
        findings: [{ at: 0, message: NOT_MOVED('mobile number'), evidence: '我手机号138****5678，快点给我回电话！' }],
      },
      {
        name: 'a private channel named before the customer posts does not move what comes after',
        call: thread(['[00:00] 坐席：请私信我们您的手机号。', '[01:00] 客户：不用私信了，13812345678', '[02:00] 坐席：收到。']),
        findings: [{ at: 60, message: NOT_MOVED('mobile number'), evidence: '不用私信了，138****5678' }],
      },
      {
        name: 'a Taiwan ID and a mobile used as an e-mail address (one address, not a mobile too)',
        call: thread(['[00:00] 客户：身分證A123456789，信箱13812345678@163.com', '[01:00] 坐席：好的。']),
        findings: [{ at: 0, message: NOT_MOVED('ID card number'), evidence: '身分證A12****789，信箱1**********@163.com' }],
      },
      {
        name: 'untimed: findings without at',
        call: thread(['客户：我的卡号6222021234567890128', '坐席：请提供一下身份证号，我们核实。']),
        findings: [{ message: NOT_MOVED('bank card number'), evidence: '我的卡号622202*********0128' }, { message: ASKED('身份证') }],
      },
      {
        name: 'request_cues: a cue the rubric adds',
        call: thread(['[00:00] 客户：怎么办？', '[01:00] 坐席：麻烦贴一下您的住址。']),
        options: { request_cues: ['贴一下'] },
        findings: [{ at: 60, message: ASKED('住址') }],
      },
      {
        name: 'a question for the data is a request (您的手机号是多少？)',
        call: thread(['[00:00] 客户：积分兑换失败了', '[02:00] 坐席：抱歉给您带来不便，您的手机号是多少？我们查一下。']),
        findings: [{ at: 120, message: ASKED('手机号') }],
      },
      {
        name: 'where to put it: 把电话打在评论里',
        call: thread(['[00:00] 客户：冰箱不制冷了', '[05:00] 坐席：抱歉，麻烦把您的联系电话打在评论里，师傅联系您。']),
        findings: [{ at: 300, message: ASKED('联系电话') }],
      },
      {
        name: 'Taiwan wording: 身分證字號',
        call: thread(['[00:00] 客戶：帳戶被凍結了', '[03:00] 客服：請提供您的身分證字號，我們幫您查詢。']),
        findings: [{ at: 180, message: ASKED('身分证') }],
      },
      {
        name: 'a public place in the request, though the message also names a private channel',
        call: thread(['[00:00] 客户：会员怎么退？', '[02:00] 坐席：请在评论区留下您的手机号，或者私信我们，我们帮您退。']),
        findings: [{ at: 120, message: ASKED('手机号') }],
      },
      {
        name: '已 in an earlier clause does not make the request one for data given already',
        call: thread(['[00:00] 客户：实名认证为什么不通过？', '[10:00] 坐席：感谢反馈，我们已关注到您的问题，请提供一下您的身份证号，我们为您核实。']),
        findings: [{ at: 600, message: ASKED('身份证') }],
      },
      {
        name: "an address the agent sent something to is the customer's, not the company's",
        call: thread(['[00:00] 客户：电子发票发哪了？', '[02:00] 坐席：已为您发送到 li.ming@163.com，请查收。']),
        findings: [{ at: 120, message: /e-mail address/, evidence: '已为您发送到 l******@163.com，请查收。' }],
      },
    ],
    notApplicable: [
      { name: 'a private chat', call: call(['[00:00] 客户：我手机号13812345678', '[00:30] 坐席：您的手机号13812345678已登记。'], { channel: 'chat' }) },
      { name: 'a phone call', call: call(['[00:00-00:03] 客户：我手机号13812345678', '[00:03-00:06] 坐席：请留下手机号。']) },
      { name: 'no agent message', call: thread(['[00:00] 客户：我手机号13812345678，快联系我']) },
    ],
  });

  it('writes its findings in Chinese', () => {
    const options = optionsSchema(rule).parse({}) as never;
    const result = rule.check(thread(['[00:00] 客户：我手机号13812345678', '[01:00] 坐席：请在评论区留下您的住址。']), options, {
      ...EMPTY_CONTEXT,
      say: translator('zh-CN'),
    });
    expect(result.findings.map((f) => f.message)).toEqual([
      '客户在公开帖中留下了手机号，坐席此后的回复未将沟通转至私信等私密渠道',
      '坐席在公开帖中索要住址，未引导客户通过私信等私密渠道提供',
    ]);
  });

  it('gives untimed findings no time', () => {
    const result = rule.check(thread(['客户：我手机号13812345678', '坐席：收到。']), optionsSchema(rule).parse({}) as never, EMPTY_CONTEXT);
    expect(result.outcome).toBe('fail');
    expect(result.findings).toEqual([{ message: NOT_MOVED('mobile number'), evidence: '我手机号138****5678' }]);
  });

  it('checks every kind by default, and its source cites both seed passages', () => {
    expect(rule.options.kinds.parse(undefined)).toEqual([...PUBLIC_DATA_KINDS]);
    expect(rule.source).toContain('隱私保護');
    expect(rule.source).toContain('轉為私信或其他私密渠道');
    expect(rule.written).toBe(true);
    expect(rule.limits).toContain('exported as its own chat');
  });

  it('rejects bad options when the rubric loads', () => {
    const yaml = (v: string) => `name: t\nrules:\n  public-privacy:\n    ${v}\n`;
    expect(() => parseRubric(yaml('kinds: [passport]'), 'r.yaml')).toThrow(/r\.yaml:4: rules\.public-privacy\.kinds\[0\]: Invalid option: expected one of/);
    expect(() => parseRubric(yaml('kinds: []'), 'r.yaml')).toThrow(/rules\.public-privacy\.kinds/);
    expect(() => parseRubric(yaml('allow_numbers: [hotline]'), 'r.yaml')).toThrow(
      /rules\.public-privacy\.allow_numbers\[0\]: expected a number or an e-mail address/,
    );
    expect(() => parseRubric(yaml("private_channels: ['/(/']"), 'r.yaml')).toThrow(/rules\.public-privacy\.private_channels\[0\]/);
    expect(() => parseRubric(yaml("public_places: ['/(/']"), 'r.yaml')).toThrow(/rules\.public-privacy\.public_places\[0\]/);
  });
});
