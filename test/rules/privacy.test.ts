import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/format.js';
import { findPersonalNumbers, isBankCard, isResidentId } from '../../src/privacy/numbers.js';
import rule from '../../src/rules/privacy.js';
import { EMPTY_CONTEXT, optionsSchema } from '../../src/rules/types.js';
import { call, ruleTable } from '../helpers/rule-table.js';

/** The run's language Simplified Chinese: messages as a QA supervisor writes them. */
const ZH = { ...EMPTY_CONTEXT, say: translator('zh-CN') };

// Real-shaped test numbers (checked below): IDs with a valid MOD 11-2 check character, Luhn-valid cards.
const ID = '440301199001011234';
const ID_X = '11010519491231002X';
const CARD_19 = '6222021234567890128';
const CARD_16 = '6217001234567893';
const MOBILE = '13812345678';

/** Every kind judged (mobile is not, by default): for the tests of the number reader. */
const ALL = { kinds: ['id_card', 'bank_card', 'mobile'] };

const run = (lines: string[], options: Record<string, unknown> = {}) => rule.check(call(lines), optionsSchema(rule).parse(options) as never, EMPTY_CONTEXT);

describe('privacy', () => {
  it('uses valid numbers', () => {
    expect([isResidentId(ID), isResidentId(ID_X), isBankCard(CARD_19), isBankCard(CARD_16)]).toEqual([true, true, true, true]);
  });

  ruleTable(rule, {
    valid: [
      { name: 'confirming with the last four digits', call: call(['customer: 卡号6222021234567890128', 'agent: 好的，尾号0128的卡，我为您查询。']) },
      { name: 'the customer reading out numbers never counts', call: call([`customer: 身份证${ID}，手机${MOBILE}`, 'agent: 好的，已为您核实。']) },
      { name: 'an order number of 12 digits', call: call(['agent: 您的订单号是138123456789。']) },
      { name: 'an amount', call: call(['agent: 退款金额13800.00元，三个工作日到账。']) },
      { name: 'a date, a time and a hotline', call: call(['agent: 2026-03-01 10:30:00 已受理，有问题请拨打400-820-8820。']) },
      { name: 'an ID-shaped number with a wrong check character, not named an ID, is not an ID', call: call(['agent: 是440301199001011235对吗？']) },
      { name: 'a card-length number failing the Luhn check, not named a card, is not a card', call: call(['agent: 是6222 0212 3456 7890 127对吗？']) },
      { name: 'a 17-digit number', call: call(['agent: 流水号44030119900101123。']) },
      { name: 'an order code glued to letters', call: call(['agent: 运单号SF13812345678。']) },
      { name: 'a masked number', call: call(['agent: 您登记的号码是138****5678。']) },
      {
        name: 'a mobile read back to confirm it is not judged by default (policy: the seeds name IDs and bank accounts)',
        call: call([`customer: 我的手机号是${MOBILE}`, `agent: 您的号码是${MOBILE}，对吗？`]),
      },
      { name: 'a mobile in Chinese numerals, grouped, is not judged by default either', call: call(['agent: 您的号码是 幺三九 零零两两 五五六六 对吧']) },
      {
        name: 'an order number that passes the Luhn check is still an order number (订单号)',
        call: call(['agent: 您这笔订单的订单号是6120458873122905414，我帮您催一下发货。']),
      },
      {
        name: 'an order number that passes the ID checksum is still an order number (訂單編號)',
        call: call(['agent: 訂單編號310115202305120010，已經為您加急處理。']),
      },
      { name: 'a tracking number of 18 digits that fails the ID checksum', call: call(['agent: 您的运单号是440301199001011237，今天派送。']) },
      { name: 'a Taiwan ID with a wrong check digit, or glued to letters, is none', call: call(['agent: 編號B123456781，型号XA123456789。']) },
      { name: 'a Taiwan-ID-shaped order code named 訂單編號 is an order code', call: call(['agent: 您的訂單編號是A123456789，已經出貨了。']) },
      { name: 'a ticket number of 17 digits', call: call(['agent: 工单号20261103000012345，请您留意短信。']) },
      { name: 'an ID read back only as its first six and last four', call: call(['agent: 您的身份证是320102开头、3411结尾的，对吗？']) },
      {
        name: 'allow_numbers: a published service number, however spaced',
        call: call(['agent: 您可以拨打我们的服务专线139-0000-1111。']),
        options: { allow_numbers: ['139 0000 1111'] },
      },
      { name: 'allow_numbers in Chinese numerals', call: call(['agent: 服务专线幺三九零零零零幺幺幺幺。']), options: { allow_numbers: ['13900001111'] } },
    ],
    invalid: [
      {
        name: 'a mobile read back in groups',
        call: call(['[00:00-00:04] 客户：我手机号换了。', '[00:04-00:09] 坐席：您的新号码是138 1234 5678，对吗？']),
        options: ALL,
        findings: [{ at: 4, message: 'agent read out a full mobile number', evidence: '您的新号码是138 **** 5678，对吗？' }],
      },
      {
        name: 'an ID in Traditional script',
        call: call(['[00:01-00:06] 客服：您的身份證號碼是11010519491231002X，對嗎？']),
        findings: [{ at: 1, message: 'agent read out a full ID card number', evidence: '您的身份證號碼是110105********002X，對嗎？' }],
      },
      {
        name: 'a bank card in groups of four',
        call: call(['[00:10-00:16] agent: 跟您核对一下卡号 6222 0212 3456 7890 128 对吧']),
        findings: [{ at: 10, message: 'agent read out a full bank card number', evidence: '跟您核对一下卡号 6222 02** **** ***0 128 对吧' }],
      },
      {
        name: 'a 16-digit card with hyphens',
        call: call(['agent: 卡号6217-0012-3456-7893']),
        findings: [{ message: 'agent read out a full bank card number', evidence: '卡号6217-00**-****-7893' }],
      },
      {
        name: 'full-width digits',
        call: call(['agent: 手机号１３８１２３４５６７８']),
        options: ALL,
        findings: [{ message: 'agent read out a full mobile number', evidence: '手机号１３８****５６７８' }],
      },
      {
        name: 'a mobile in Chinese numerals with 幺 and 两, as ASR writes it',
        call: call(['agent: 您的号码是 幺三九 零零两两 五五六六 对吧']),
        options: ALL,
        findings: [{ message: 'agent read out a full mobile number', evidence: '您的号码是 幺三九 **** 五五六六 对吧' }],
      },
      {
        name: 'an ID in Chinese numerals ending in 叉',
        call: call(['agent: 身份证幺幺零幺零五幺九四九幺二三幺零零二叉没错吧']),
        findings: [{ message: 'agent read out a full ID card number', evidence: '身份证幺幺零幺零五********零零二叉没错吧' }],
      },
      {
        name: 'ASR spacing between every character',
        call: call(['agent: 号 码 是 1 3 8 1 2 3 4 5 6 7 8 对 吗']),
        options: ALL,
        findings: [{ message: 'agent read out a full mobile number', evidence: '号 码 是 1 3 8 * * * * 5 6 7 8 对 吗' }],
      },
      {
        name: 'one finding per number, every number masked in each',
        call: call([`[00:20-00:30] agent: 手机${MOBILE}，身份证${ID}，卡号${CARD_19}`]),
        options: ALL,
        findings: [
          { at: 20, message: 'agent read out a full mobile number', evidence: '手机138****5678，身份证440301********1234，卡号622202*********0128' },
          { at: 20, message: 'agent read out a full ID card number', evidence: '手机138****5678，身份证440301********1234，卡号622202*********0128' },
          { at: 20, message: 'agent read out a full bank card number', evidence: '手机138****5678，身份证440301********1234，卡号622202*********0128' },
        ],
      },
      {
        name: 'each agent utterance at its own start',
        call: call([`[00:05-00:08] agent: 手机${MOBILE}是吧`, '[00:08-00:10] customer: 对', `[00:12-00:15] agent: 卡号${CARD_16}`]),
        options: ALL,
        findings: [
          { at: 5, message: 'agent read out a full mobile number' },
          { at: 12, message: 'agent read out a full bank card number', evidence: '卡号621700******7893' },
        ],
      },
      {
        name: 'kinds: an unchecked kind is not reported but is still masked',
        call: call([`agent: 手机${MOBILE}，身份证${ID}`]),
        options: { kinds: ['id_card'] },
        findings: [{ message: 'agent read out a full ID card number', evidence: '手机138****5678，身份证440301********1234' }],
      },
      {
        name: 'allow_numbers lets only the listed number through (both masked in the evidence)',
        call: call(['agent: 服务专线13900001111，您的号码13812345678']),
        options: { ...ALL, allow_numbers: ['13900001111'] },
        findings: [{ message: 'agent read out a full mobile number', evidence: '服务专线139****1111，您的号码138****5678' }],
      },
      {
        name: 'a mobile after +86',
        call: call(['agent: 您留的是+86 138 1234 5678']),
        options: ALL,
        findings: [{ message: 'agent read out a full mobile number', evidence: '您留的是+86 138 **** 5678' }],
      },
      {
        name: 'an ID the agent names (身份证号码) counts even with a misheard check character',
        call: call(['agent: 您的身份证号码是440301199001011235，对吗？']),
        findings: [{ message: 'agent read out a full ID card number', evidence: '您的身份证号码是440301********1235，对吗？' }],
      },
      {
        name: 'a card the agent names (银行卡号) counts even when a misread digit fails the Luhn check',
        call: call(['agent: 您的银行卡号是6217 0012 3456 7894，对吗？']),
        findings: [{ message: 'agent read out a full bank card number', evidence: '您的银行卡号是6217 00** **** 7894，对吗？' }],
      },
      {
        name: 'a Taiwan national ID (身分證字號), full-width, masked as A12****789',
        call: call(['客服：跟您核對一下，您的身分證字號是Ａ１２３４５６７８９，對嗎？']),
        findings: [{ message: 'agent read out a full ID card number', evidence: '跟您核對一下，您的身分證字號是Ａ１２****７８９，對嗎？' }],
      },
      {
        name: 'a mobile is judged when the rubric adds it to kinds',
        call: call([`agent: 您的号码是${MOBILE}，对吗？`]),
        options: ALL,
        findings: [{ message: 'agent read out a full mobile number', evidence: '您的号码是138****5678，对吗？' }],
      },
    ],
    notApplicable: [
      { name: 'no agent speech', call: call([`customer: 我的手机是${MOBILE}`]) },
      { name: 'an empty call', call: call([]) },
    ],
  });

  it('has no time in an untimed transcript', () => {
    const [finding] = run([`agent: 手机${MOBILE}`], ALL).findings;
    // A mobile is not among the default critical_kinds: the finding says so (critical: false), for a rubric that makes privacy critical.
    expect(finding).toEqual({ message: 'agent read out a full mobile number', evidence: '手机138****5678', critical: false });
  });

  it('quotes only the stretch around the number in a long utterance, masked', () => {
    const long = `${'请您稍等，'.repeat(20)}您的卡号是${CARD_19}${'，我们再看看'.repeat(20)}`;
    const [finding] = run([`agent: ${long}`]).findings;
    expect(finding?.evidence).toMatch(/^….*您的卡号是622202\*{9}0128.*…$/);
    expect(finding?.evidence.length).toBeLessThan(100);
  });

  it('never emits a full personal number', () => {
    const result = run(
      [`agent: ${ID} ${ID_X} ${CARD_19} ${CARD_16} ${MOBILE}`, 'agent: 幺三八 幺二三四 五六七八，六二二二零二幺二三四五六七八九零幺二八'],
      ALL,
    );
    expect(result.findings.map((f) => f.message)).toEqual([
      'agent read out a full ID card number',
      'agent read out a full ID card number',
      'agent read out a full bank card number',
      'agent read out a full bank card number',
      'agent read out a full mobile number',
      'agent read out a full mobile number',
      'agent read out a full bank card number',
    ]);
    for (const f of result.findings) expect(findPersonalNumbers(f.evidence), f.evidence).toEqual([]);
  });

  it('says which failures are critical: an ID or a card is, a mobile (judged when kinds has it) is not', () => {
    expect(run([`agent: 身份证${ID}`]).critical).toBe(true);
    expect(run([`agent: 卡号${CARD_16}`]).critical).toBe(true);
    expect(run([`agent: 号码${MOBILE}`], ALL).critical).toBe(false);
    expect(run([`agent: 号码${MOBILE}，身份证${ID}`], ALL).critical).toBe(true);
    expect(run([`agent: 号码${MOBILE}`], { ...ALL, critical_kinds: ['mobile'] }).critical).toBe(true);
    expect(run(['agent: 好的']).critical).toBeUndefined();
  });

  it('reports where it hit', () => {
    expect(run([`[00:03-00:06] agent: 手机${MOBILE}`, `[00:09-00:12] agent: 卡号${CARD_16}`], ALL).hits).toEqual([3, 9]);
    expect(run(['[00:03-00:06] agent: 您好']).hits).toEqual([]);
  });

  it.each([
    [{ kinds: [] }, /kinds/],
    [{ kinds: ['passport'] }, /kinds/],
    [{ allow_numbers: ['abc'] }, /allow_numbers/],
  ])('rejects bad options %j', (options, path) => {
    const parsed = optionsSchema(rule).safeParse(options);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.')).join(' ')).toMatch(path);
  });
});

describe('privacy in Chinese', () => {
  ruleTable(rule, {
    invalid: [
      {
        name: 'zh-CN: a bank card and an ID number read out, a mobile when kinds names it',
        call: call([
          'agent: 跟您核对一下卡号 6222 0212 3456 7890 128，对吗？',
          'agent: 您的身份证号是幺幺零幺零五幺九四九幺二三幺零零二叉，对吧？',
          'agent: 您的新号码是138 1234 5678，对吗？',
        ]),
        options: { kinds: ['id_card', 'bank_card', 'mobile'] },
        context: ZH,
        findings: [{ message: '坐席完整报出了银行卡号' }, { message: '坐席完整报出了身份证号码' }, { message: '坐席完整报出了手机号码' }],
      },
    ],
  });
});
