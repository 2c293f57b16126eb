import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/format.js';
import { parseRubric } from '../../src/rubric/load.js';
import rule, { DEFAULT_SLANG } from '../../src/rules/written-style.js';
import { EMPTY_CONTEXT, optionsSchema } from '../../src/rules/types.js';
import { call, callOf, ruleTable } from '../helpers/rule-table.js';

/** A chat: lines as the rule-table helper reads them, channel chat. */
const chat = (lines: string[]) => call(lines, { channel: 'chat' });
const run = (lines: string[], options: Record<string, unknown> = {}, channel: 'chat' | 'social' = 'chat') =>
  rule.check(call(lines, { channel }), optionsSchema(rule as never).parse(options) as never, EMPTY_CONTEXT);

describe('written-style: slang', () => {
  ruleTable(rule, {
    valid: [
      {
        name: 'a realistic chat in standard written language',
        call: chat([
          '[00:00] 客户：你好，我买的空气炸锅一直没发货',
          '[00:45] 坐席：您好，很高兴为您服务！请您提供一下订单号，我马上为您查询。',
          '[01:10] 客户：20266610',
          '[01:40] 坐席：好的，查到您的订单了，仓库今天下午发出，预计后天送达，请您留意物流信息。',
          '[02:00] 客户：好的谢谢',
          '[02:15] 坐席：不客气，祝您生活愉快，再见！',
        ]),
      },
      {
        name: '亲 alone is the address many e-commerce centres require',
        call: chat(['坐席：亲，您好，已经为您发货了哦。', '坐席：亲爱的顾客，感谢您的支持。']),
      },
      { name: '哈哈 once is a friendly laugh', call: chat(['客户：你们客服真有意思', '坐席：哈哈，谢谢您的夸奖，很高兴为您服务。']) },
      {
        name: 'words that hold slang: 酱紫色, 乐呵呵, 笑呵呵',
        call: chat(['坐席：这款外套有酱紫色和黑色，模特穿的是酱紫色。', '坐席：老人家收到礼物乐呵呵的，笑呵呵地给我们留了好评。']),
      },
      {
        name: 'a quote of the customer (“…”, 「…」)',
        call: chat(['客户：呵呵，神马破服务', '坐席：非常抱歉，您说的“呵呵，神马破服务”我们一定反馈改进。', '坐席：您提到「木有收到」，我马上核实。']),
      },
      { name: 'a name the customer typed (神马汽车)', call: chat(['客户：我要投诉神马汽车4S店', '坐席：您好，关于神马汽车4S店的问题，我已经记录下来了。']) },
      {
        name: 'numbers: an order number, a price, a room, a code, grouped digits',
        call: chat([
          '坐席：您的订单号是 20266610，套餐价格666元，第886号包裹已经签收。',
          '坐席：编号：886，优惠金额¥666，共1,886件，合计886,000元，版本1.886。',
          '坐席：请拨打 400-886-6666 咨询，或者发送 666-1 到短信平台。',
        ]),
      },
      {
        name: 'Latin words and addresses: ahhh is no hhh, hhhh@qq.com an e-mail',
        call: chat(['坐席：请把截图发到 hhhh@qq.com，登录名 yyds_2024 我们已经重置了。', '坐席：shhh 是您的昵称吗？']),
      },
      {
        name: 'the customer’s slang is the customer’s',
        call: chat(['客户：木有收到货，肿么回事，伐开心', '坐席：非常抱歉给您带来不便，我马上为您查询物流。']),
      },
      { name: 'a custom list replaces the default', call: chat(['坐席：好哒，木有问题。']), options: { slang: { 栓q: '谢谢' } } },
      { name: 'not_slang is an option', call: chat(['坐席：这款是宝子系列的新品。']), options: { not_slang: ['宝子系列'] } },
    ],
    invalid: [
      {
        name: 'slang in a reply: each word a finding, with its message, time and evidence',
        call: chat(['[00:00] 客户：能开发票吗？', '[00:20] 坐席：好哒亲亲，木有问题，马上给您开~']),
        findings: [
          { at: 20, message: 'internet slang "好哒" in a written reply: write 好的 instead', evidence: '好哒亲亲，木有问题，马上给您开~' },
          { at: 20, message: 'internet slang "亲亲" in a written reply: write 您 instead', evidence: '好哒亲亲，木有问题，马上给您开~' },
          { at: 20, message: 'internet slang "木有" in a written reply: write 没有 instead', evidence: '好哒亲亲，木有问题，马上给您开~' },
        ],
      },
      {
        name: 'laughter and numbers standing alone: runs taken whole',
        call: chat(['坐席：哈哈哈哈，hhhh，2333，666！', '坐席：好的，886～', '坐席：呵呵。', '坐席：233']),
        findings: [
          { message: 'internet slang "哈哈哈哈" in a written reply: leave it out' },
          { message: 'internet slang "hhhh" in a written reply: leave it out' },
          { message: 'internet slang "2333" in a written reply: leave it out' },
          { message: 'internet slang "666" in a written reply: write 非常好 instead' },
          { message: 'internet slang "886" in a written reply: write 再见 instead', evidence: '好的，886～' },
          { message: 'internet slang "呵呵" in a written reply: leave it out', evidence: '呵呵。' },
          { message: 'internet slang "233" in a written reply: leave it out', evidence: '233' },
        ],
      },
      {
        name: 'Traditional script: quoted as written, matched as Simplified',
        call: chat(['[00:05] 客服：訂單已經發貨了，木有問題，好噠']),
        findings: [
          { at: 5, message: 'internet slang "木有" in a written reply: write 没有 instead', evidence: '訂單已經發貨了，木有問題，好噠' },
          { at: 5, message: 'internet slang "好噠" in a written reply: write 好的 instead' },
        ],
      },
      {
        name: 'full-width forms: ＹＹＤＳ and ８８６',
        call: chat(['坐席：这款真的ＹＹＤＳ！', '坐席：感谢支持，８８６！']),
        findings: [
          { message: 'internet slang "ＹＹＤＳ" in a written reply: write 非常好 instead' },
          { message: 'internet slang "８８６" in a written reply: write 再见 instead' },
        ],
      },
      {
        name: '蓝瘦香菇 is one word, 蓝瘦 alone another',
        call: chat(['坐席：听到这个消息蓝瘦香菇，我也蓝瘦。']),
        findings: [{ message: /"蓝瘦香菇".*难受想哭/ }, { message: /"蓝瘦".*难受/ }],
      },
      {
        name: 'the customer’s word used by the agent outside the customer’s term',
        call: chat(['客户：神马汽车的保养', '坐席：您想了解神马？']),
        findings: [{ message: 'internet slang "神马" in a written reply: write 什么 instead' }],
      },
      {
        name: 'extra_slang adds a word',
        call: chat(['坐席：栓Q，已经帮您处理好了。']),
        options: { extra_slang: { 栓q: '谢谢' } },
        findings: [{ message: /"栓Q".*谢谢/ }],
      },
      {
        name: 'a slang word written with +',
        call: chat(['坐席：嘻嘻嘻嘻，收到。']),
        options: { slang: { '嘻嘻+': '' } },
        findings: [{ message: /"嘻嘻嘻嘻".*leave it out/ }],
      },
    ],
    notApplicable: [
      { name: 'a phone call (no channel)', call: call(['客户：能开发票吗？', '坐席：好哒亲亲，木有问题 😊😊😊']) },
      { name: 'a phone call (channel voice)', call: call(['坐席：好哒亲亲 😊😊😊'], { channel: 'voice' }) },
      { name: 'no agent message', call: chat(['客户：在吗？', '客户：有人吗😡😡😡']) },
    ],
  });

  it('lists the emoticon finding first, then the slang in message order', () => {
    const result = run(['坐席：好哒😊😊', '坐席：木有问题😊😊']);
    expect(result.outcome).toBe('fail');
    expect(result.findings.map((f) => f.message)).toEqual([
      '4 emoticons in 2 agent messages (2 per message: more than 0.2 per message and more than 2 in all); this message has 2',
      'internet slang "好哒" in a written reply: write 好的 instead',
      'internet slang "木有" in a written reply: write 没有 instead',
    ]);
  });

  it('keeps 亲 alone, 哈哈 once, 稀饭 and 童鞋 out of the default list (policy)', () => {
    for (const word of ['亲', '哈哈', '稀饭', '童鞋', '香菇', '88']) expect(Object.keys(DEFAULT_SLANG)).not.toContain(word);
    expect(rule.limits).toContain('亲 alone is not slang');
    expect(rule.source).toContain('避免網絡用語和表情符號過多');
    expect(rule.source).toContain('policy');
  });
});

describe('written-style: emoticons', () => {
  ruleTable(rule, {
    valid: [
      { name: 'a couple never fail (allowed_emoticons 2)', call: chat(['坐席：您好呀😊', '坐席：已经为您处理好了👍']) },
      {
        name: 'three in fifteen messages is 0.2 per message: not more',
        call: chat(Array.from({ length: 15 }, (_, i) => `坐席：第${i + 1}步已经完成${i < 3 ? '[微笑]' : '。'}`)),
      },
      {
        name: 'symbols of ordinary writing, placeholders, URLs and times are not emoticons',
        call: chat([
          '坐席：华为®和Apple™的✔正品，☎ 400-123-4567。',
          '坐席：[图片] [链接] 请访问 https://help.example.com/faq:ok 查看，10:30-12:00 有人值班。',
          '坐席：备注:ok，编号 ORZO-1 和 t_t_01 已登记。',
        ]),
      },
      { name: 'the customer’s emoticons are the customer’s', call: chat(['客户：😡😡😡[发怒][发怒] o(╥﹏╥)o', '坐席：非常抱歉，我马上为您处理。']) },
      { name: 'an emoticon in a quote of the customer', call: chat(['坐席：您发来的“😡😡😡”我们收到了，非常抱歉。']) },
      { name: 'limits are options', call: chat(['坐席：好的😊😊😊', '坐席：收到😊']), options: { allowed_emoticons: 4 } },
    ],
    invalid: [
      {
        name: 'an emoticon in every message: one finding, at the message with the most',
        call: call(
          [
            '[00:00] 客户：你们的活动怎么参加？',
            '[00:30] 坐席：您好呀😊😊',
            '[01:00] 坐席：点击首页的活动入口就可以啦[呲牙][呲牙][强]',
            '[01:20] 客户：好的',
            '[01:40] 坐席：祝您购物愉快 ^_^',
          ],
          { channel: 'social' },
        ),
        findings: [
          {
            at: 60,
            message: '6 emoticons in 3 agent messages (2 per message: more than 0.2 per message and more than 2 in all); this message has 3',
            evidence: '点击首页的活动入口就可以啦[呲牙][呲牙][强]',
          },
        ],
      },
      {
        name: 'a ZWJ sequence, a flag, a keycap, skin tones and kaomoji count one each',
        call: chat(['坐席：👨‍👩‍👧 🇨🇳 1️⃣ 👍🏻 (๑•̀ㅂ•́)و✧ o(╥﹏╥)o ：）QAQ orz ❤️']),
        findings: [{ message: /^10 emoticons in 1 agent messages \(10 per message/ }],
      },
      {
        name: 'full-width text emoticons (＾＿＾, ［微笑］)',
        call: chat(['坐席：好的＾＿＾', '坐席：收到［微笑］', '坐席：马上处理：Ｄ']),
        findings: [{ message: /^3 emoticons in 3 agent messages/, evidence: '好的＾＿＾' }],
      },
      {
        name: 'allowed_emoticons 0',
        call: chat(['坐席：好的😊']),
        options: { allowed_emoticons: 0 },
        findings: [{ message: /^1 emoticons in 1 agent messages/ }],
      },
      {
        name: 'max_emoticons_per_message stricter than the default',
        call: chat(['坐席：好的😊😊😊', ...Array.from({ length: 19 }, () => '坐席：好的。')]),
        options: { max_emoticons_per_message: 0.1 },
        findings: [{ message: '3 emoticons in 20 agent messages (0.15 per message: more than 0.1 per message and more than 2 in all); this message has 3' }],
      },
      {
        name: 'a sticker sent as an image, as a WeChat export writes it ([表情])',
        call: chat(['坐席：好的[表情]', '坐席：[动画表情]', '坐席：收到[表情]']),
        findings: [{ message: /^3 emoticons in 3 agent messages/, evidence: '好的[表情]' }],
      },
      {
        name: 'emoticon_codes is an option',
        call: chat(['坐席：好的[奸笑][奸笑][奸笑]']),
        options: { emoticon_codes: ['奸笑'] },
        findings: [{ message: /^3 emoticons/ }],
      },
    ],
  });

  it('passes the default rate on a long conversation, fails it on a short one', () => {
    const long = ['坐席：好的😊😊😊', ...Array.from({ length: 19 }, () => '坐席：好的。')];
    expect(run(long).outcome).toBe('pass');
    expect(run(long.slice(0, 10)).outcome).toBe('fail');
  });

  it('reads a chat whose messages have no ends (callqa JSON) and untimed ones', () => {
    const c = callOf(
      [
        { speaker: 'customer', text: '在吗', start: 0 },
        { speaker: 'agent', text: '在的呢😊😊😊', start: 12 },
      ],
      { channel: 'chat' },
    );
    const result = rule.check(c, optionsSchema(rule as never).parse({}) as never, EMPTY_CONTEXT);
    expect(result.findings).toEqual([
      {
        at: 12,
        message: '3 emoticons in 1 agent messages (3 per message: more than 0.2 per message and more than 2 in all); this message has 3',
        evidence: '在的呢😊😊😊',
      },
    ]);
    expect(run(['坐席：在的呢😊😊😊']).findings[0]?.at).toBeUndefined();
  });

  it('stays linear on a hostile message of a megabyte', () => {
    const unit = `木有😊^_^[微笑]“哈哈哈[${'6'.repeat(5)}，`;
    const text = unit.repeat(Math.ceil(1_000_000 / unit.length));
    const result = run([`坐席：${text}`, `客户：${'神马'.repeat(100_000)}`, `坐席：${'['.repeat(500_000)}${'“'.repeat(500_000)}`]);
    expect(result.outcome).toBe('fail');
    // One emoticon finding, then slang past the listed 200 counted.
    expect(result.findings[0]?.message).toMatch(/emoticons in 2 agent messages/);
    expect(result.findings.length + (result.unlisted ?? 0)).toBeGreaterThan(1000);
  });

  it('reads a long run that is no slang once, not once for each of its characters', () => {
    const result = run([`坐席：乐${'呵'.repeat(300_000)}`, `坐席：1${'6'.repeat(500_000)}`, `坐席：x${'h'.repeat(500_000)}`, `坐席：${'哈'.repeat(500_000)}`]);
    expect(result.findings.map((f) => f.message)).toEqual([`internet slang "${'哈'.repeat(12)}…" in a written reply: leave it out`]);
    expect(result.findings[0]?.evidence).toBe(`${'哈'.repeat(42)}…`);
  });
});

describe('written-style: options in a rubric', () => {
  const yaml = (option: string) => `name: t\nrules:\n  written-style:\n    ${option}\n`;
  it('rejects bad options with the key path', () => {
    expect(() => parseRubric(yaml('max_emoticons_per_message: -1'), 'r.yaml')).toThrow(
      /r\.yaml:4: rules\.written-style\.max_emoticons_per_message: expected a number ≥ 0, got -1/,
    );
    expect(() => parseRubric(yaml('allowed_emoticons: 1.5'), 'r.yaml')).toThrow(/rules\.written-style\.allowed_emoticons: expected int, got 1\.5/);
    expect(() => parseRubric(yaml('slang: { "": 没有 }'), 'r.yaml')).toThrow('r.yaml:4: rules.written-style.slang: expected a word as each key, got ""');
    expect(() => parseRubric(yaml('emoticon_codes: "微笑"'), 'r.yaml')).toThrow('r.yaml:4: rules.written-style.emoticon_codes: expected a list, got "微笑"');
  });
  it('takes good ones', () => {
    const r = parseRubric(yaml('allowed_emoticons: 3'), 'r.yaml');
    expect(r.rules.find((x) => x.id === 'written-style')?.options.allowed_emoticons).toBe(3);
  });
});

describe('written-style: findings in Chinese', () => {
  const ZH = { ...EMPTY_CONTEXT, say: translator('zh-CN') };
  ruleTable(rule, {
    invalid: [
      {
        name: 'slang and emoticons',
        call: chat(['[00:10] 坐席：好哒😊😊😊', '[00:20] 坐席：么么哒']),
        context: ZH,
        findings: [
          {
            at: 10,
            message: '坐席 2 条消息中共用了 3 个表情符号（平均每条 1.5 个：超过每条 0.2 个，且总数超过 2 个）；本条消息有 3 个',
            evidence: '好哒😊😊😊',
          },
          { at: 10, message: '书面回复中使用网络用语“好哒”：应写作“好的”' },
          { at: 20, message: '书面回复中使用网络用语“么么哒”：应删去' },
        ],
      },
    ],
  });
});

// Gold-chat classes (eval/gold-chat): slang a reviewer marks that the list missed, and kaomoji drawn other ways.
describe('written-style: slang and kaomoji found by the chat gold set', () => {
  ruleTable(rule, {
    valid: [
      { name: '集美 is a district of Xiamen (only 集美们 addresses people)', call: chat(['坐席：您的包裹已到厦门市集美区站点。']) },
      {
        name: 'brackets of text are no kaomoji: a note, a fraction, a unit, a lone caret',
        call: chat(['坐席：请保留包装(注意防潮)，第(2/3)步。', '坐席：室温(°C)请保持在25度左右(^)。', '坐席：运费(約10元)由我们承担(a_b)，代码(`ok`)。']),
      },
    ],
    invalid: [
      {
        name: 'livestream slang: each word a finding (栓Q, 比心, mua, 冲鸭, 安排上了, 家人们)',
        call: chat(['坐席：栓Q，感谢亲的支持，比心，mua~', '坐席：好的呢亲，这边给您安排上了，冲鸭！', '坐席：家人们，活动今晚结束。']),
        findings: [
          { message: 'internet slang "栓Q" in a written reply: write 谢谢 instead' },
          { message: 'internet slang "比心" in a written reply: leave it out' },
          { message: 'internet slang "mua" in a written reply: leave it out' },
          { message: 'internet slang "安排上了" in a written reply: write 已为您安排 instead' },
          { message: 'internet slang "冲鸭" in a written reply: leave it out' },
          { message: 'internet slang "家人们" in a written reply: write 您 instead' },
        ],
      },
      {
        name: 'kaomoji off the text_emoticons list count: one in every message',
        call: chat(['坐席：您好(｡･ω･｡)ﾉ，今天下午发货', '坐席：发货后短信通知您(´∀｀)', '坐席：祝您生活愉快ヾ(≧▽≦*)o']),
        findings: [{ message: /3 emoticons in 3 agent messages/ }],
      },
    ],
  });
});
