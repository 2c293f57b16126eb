import { describe, expect, it } from 'vitest';
import {
  classifyDigits,
  digitsOf,
  findPersonalNumbers,
  isBankCard,
  isMobile,
  isResidentId,
  luhnValid,
  maskNumbers,
  maskPersonalNumbersStrict,
} from '../../src/privacy/numbers.js';

// Independent implementations of the two check digits, so the module is not tested against itself.

/** ISO 7064 MOD 11-2 by its recursive definition: the check character that completes 17 digits. */
function withIdCheck(first17: string): string {
  let p = 0;
  for (const ch of first17) p = ((p + Number(ch)) * 2) % 11;
  const check = (12 - p) % 11;
  return first17 + (check === 10 ? 'X' : String(check));
}

/** The Luhn check digit appended to a body of digits. */
function withLuhn(body: string): string {
  for (let d = 0; d <= 9; d++) {
    const candidate = body + d;
    let sum = 0;
    [...candidate].reverse().forEach((ch, i) => {
      const n = Number(ch) * (i % 2 === 1 ? 2 : 1);
      sum += n > 9 ? n - 9 : n;
    });
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('unreachable');
}

/** The same number with one digit changed (never the check character itself, never to the same digit). */
function oneOff(n: string, at = 8): string {
  const d = Number(n[at]);
  return n.slice(0, at) + String((d + 1) % 10) + n.slice(at + 1);
}

/** Groups a number as agents write it: 6222 0212 3456 7890 123. */
function grouped(n: string, sizes: number[], sep = ' '): string {
  const parts: string[] = [];
  let i = 0;
  for (const size of sizes) {
    parts.push(n.slice(i, i + size));
    i += size;
  }
  if (i < n.length) parts.push(n.slice(i));
  return parts.join(sep);
}

const HAN_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
/** A number as ASR writes it in Chinese numerals, with 幺 for 1 and 两 for 2 when asked. */
function spoken(n: string, { yao = false, liang = false } = {}): string {
  return [...n]
    .map((ch) => {
      if (ch === 'X') return '叉';
      if (ch === '1' && yao) return '幺';
      if (ch === '2' && liang) return '两';
      return HAN_DIGITS[Number(ch)] as string;
    })
    .join('');
}

/** Half-width digits to full-width. */
function fullWidth(n: string): string {
  return n.replace(/[0-9X]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));
}

// The sample number of GB 11643 and generated ones.
const ID_SAMPLE = '11010519491231002X';
const ID_1 = withIdCheck('44030119900101123'); // Shenzhen, born 1990-01-01
const ID_2 = withIdCheck('32010220000229004'); // Nanjing, born 2000-02-29 (a leap day)
const ID_3 = withIdCheck('51010719851130551');
const CARD_19 = withLuhn('622202123456789012'); // UnionPay debit, 19 digits
const CARD_16 = withLuhn('621700123456789'); // 16 digits
const CARD_VISA = withLuhn('411111111111111');
const MOBILE = '13812345678';

describe('the check digits', () => {
  it('generates what the module accepts', () => {
    expect(withIdCheck('11010519491231002')).toBe(ID_SAMPLE);
    for (const id of [ID_SAMPLE, ID_1, ID_2, ID_3]) expect(isResidentId(id), id).toBe(true);
    for (const card of [CARD_19, CARD_16, CARD_VISA, '4111111111111111']) expect(isBankCard(card), card).toBe(true);
    expect([CARD_19.length, CARD_16.length, CARD_VISA.length]).toEqual([19, 16, 16]);
  });

  it.each([
    ['an ID one digit off', oneOff(ID_1)],
    ['an ID with another check character', `${ID_1.slice(0, 17)}${ID_1[17] === '0' ? '1' : '0'}`],
    ['the sample ID ending in 0 instead of X', '110105194912310020'],
    ['an ID with a 30 February birth date', withIdCheck('44030119900230123')],
    ['an ID with month 13', withIdCheck('44030119901301123')],
    ['an ID born in 1850', withIdCheck('44030118500101123')],
    ['an ID with no such region (00)', withIdCheck('00030119900101123')],
    ['an ID with region 99', withIdCheck('99030119900101123')],
    ['17 digits', ID_1.slice(0, 17)],
    ['19 characters', `${ID_1}1`],
  ])('rejects %s as an ID', (_name, digits) => {
    expect(isResidentId(digits)).toBe(false);
  });

  it.each([
    ['a card one digit off', oneOff(CARD_19)],
    ['a 16-digit card one digit off', oneOff(CARD_16, 3)],
    ['15 digits, Luhn-valid', withLuhn('62220212345678')],
    ['20 digits, Luhn-valid', withLuhn('6222021234567890123')],
    ['a Luhn-valid timestamp (2026…)', withLuhn('202603011030001')],
    ['a Luhn-valid number starting with 1', withLuhn('174078720000012')],
    ['a Luhn-valid number starting with 0', withLuhn('000000123456789')],
    ['a Luhn-valid number starting with 7', withLuhn('700000123456789')],
    ['the first 17 digits of an ID, Luhn-valid', withLuhn('4403011990010112')],
    ['an ID with a wrong check digit, Luhn-valid', withLuhn('44030119900101123')],
  ])('rejects %s as a bank card', (_name, digits) => {
    expect(isBankCard(digits)).toBe(false);
  });

  it('accepts Mastercard 2-series only in 2221–2720', () => {
    expect(isBankCard(withLuhn('222100123456789'))).toBe(true);
    expect(isBankCard(withLuhn('272099123456789'))).toBe(true);
    expect(isBankCard(withLuhn('272100123456789'))).toBe(false);
    expect(isBankCard(withLuhn('222000123456789'))).toBe(false);
  });

  it('checks Luhn on digits only', () => {
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
    expect(luhnValid('7992739871X')).toBe(false);
  });

  it.each([
    ['13812345678', true],
    ['19912345678', true],
    ['12345678901', false],
    ['1381234567', false],
    ['138123456789', false],
    ['23812345678', false],
  ])('mobile %s: %s', (digits, want) => {
    expect(isMobile(digits)).toBe(want);
  });

  it('prefers an ID to a card when 18 digits are both', () => {
    // Find a valid ID that is also Luhn-valid: the ID wins.
    const both = Array.from({ length: 200 }, (_, i) => withIdCheck(`44030119900101${String(i).padStart(3, '0')}`)).find(
      (id) => !id.endsWith('X') && luhnValid(id),
    ) as string;
    expect(both).toBeDefined();
    expect(classifyDigits(both)).toBe('id_card');
    expect(classifyDigits(MOBILE)).toBe('mobile');
    expect(classifyDigits(CARD_19)).toBe('bank_card');
    expect(classifyDigits('123456')).toBeUndefined();
  });
});

describe('findPersonalNumbers', () => {
  /** What was found, as [kind, the text of its span]. */
  const found = (text: string) => findPersonalNumbers(text).map((n) => [n.kind, text.slice(n.start, n.end)]);

  it.each([
    ['an ID alone', ID_SAMPLE, [['id_card', ID_SAMPLE]]],
    ['an ID with lower-case x', '身份证11010519491231002x', [['id_card', '11010519491231002x']]],
    ['an ID embedded in Chinese text', `您的身份证号是${ID_1}，对吗？`, [['id_card', ID_1]]],
    ['an ID in Traditional script', `您的身份證號碼是${ID_2}，對嗎？`, [['id_card', ID_2]]],
    ['an ID in groups 6-8-4', `身份证 ${grouped(ID_3, [6, 8])} 没错`, [['id_card', grouped(ID_3, [6, 8])]]],
    ['an ID in full-width digits', `证件号${fullWidth(ID_SAMPLE)}`, [['id_card', fullWidth(ID_SAMPLE)]]],
    ['a 19-digit card', `卡号${CARD_19}。`, [['bank_card', CARD_19]]],
    ['a card in groups of four', `卡号是 ${grouped(CARD_19, [4, 4, 4, 4])} 对吧`, [['bank_card', grouped(CARD_19, [4, 4, 4, 4])]]],
    ['a card with hyphens', grouped(CARD_16, [4, 4, 4], '-'), [['bank_card', grouped(CARD_16, [4, 4, 4], '-')]]],
    ['a card with full-width spaces', grouped(CARD_16, [4, 4, 4], '\u3000'), [['bank_card', grouped(CARD_16, [4, 4, 4], '\u3000')]]],
    ['a Visa card', `visa ${CARD_VISA}`, [['bank_card', CARD_VISA]]],
    ['a mobile', `手机${MOBILE}`, [['mobile', MOBILE]]],
    ['a mobile 3-4-4 with spaces', '号码是 138 1234 5678 对吗', [['mobile', '138 1234 5678']]],
    ['a mobile 3-4-4 with hyphens', '138-1234-5678', [['mobile', '138-1234-5678']]],
    ['a mobile with spaces around hyphens', '138 - 1234 - 5678', [['mobile', '138 - 1234 - 5678']]],
    ['a mobile spaced digit by digit (ASR)', '是 1 3 8 1 2 3 4 5 6 7 8 吗', [['mobile', '1 3 8 1 2 3 4 5 6 7 8']]],
    ['a mobile after +86', '+86 138 1234 5678', [['mobile', '138 1234 5678']]],
    ['a mobile after 0086-', '0086-13812345678', [['mobile', '13812345678']]],
    ['a mobile in full-width digits', '１３８１２３４５６７８', [['mobile', '１３８１２３４５６７８']]],
    ['a mobile in Chinese numerals', `号码${spoken(MOBILE)}`, [['mobile', '一三八一二三四五六七八']]],
    ['a mobile with 幺', '幺三八幺二三四五六七八', [['mobile', '幺三八幺二三四五六七八']]],
    ['a mobile with 两 and 零', '一三九零零两两五五六六', [['mobile', '一三九零零两两五五六六']]],
    ['a mobile with Traditional 兩 and 〇', '一三九〇〇兩兩五五六六', [['mobile', '一三九〇〇兩兩五五六六']]],
    ['a mobile in spaced groups of numerals', '幺三八 幺二三四 五六七八', [['mobile', '幺三八 幺二三四 五六七八']]],
    ['a mobile in numerals spaced one by one', '一 三 八 一 二 三 四 五 六 七 八', [['mobile', '一 三 八 一 二 三 四 五 六 七 八']]],
    ['a mobile in numerals followed by 一下', '您记一下一三八一二三四五六七八一下', [['mobile', '一三八一二三四五六七八']]],
    ['a mobile in numerals followed by 两个', '号码是一三八一二三四五六七八两个号都行', [['mobile', '一三八一二三四五六七八']]],
    ['an ID in Chinese numerals ending in 叉', `身份证${spoken(ID_SAMPLE, { yao: true })}`, [['id_card', '幺幺零幺零五幺九四九幺二三幺零零二叉']]],
    ['a card in Chinese numerals', spoken(CARD_16, { liang: true }), [['bank_card', spoken(CARD_16, { liang: true })]]],
    [
      'a mobile and a card side by side',
      `${MOBILE} ${CARD_19}`,
      [
        ['mobile', MOBILE],
        ['bank_card', CARD_19],
      ],
    ],
    [
      'a mobile and a card in groups, one run',
      `138 1234 5678 ${grouped(CARD_19, [4, 4, 4, 4])}`,
      [
        ['mobile', '138 1234 5678'],
        ['bank_card', grouped(CARD_19, [4, 4, 4, 4])],
      ],
    ],
    [
      'numbers in digits and in numerals',
      `手机${MOBILE}，卡号${spoken(CARD_19)}`,
      [
        ['mobile', MOBILE],
        ['bank_card', spoken(CARD_19)],
      ],
    ],
    ['a whole group next to an unrelated figure', `订单 2023 ${MOBILE}`, [['mobile', MOBILE]]],
    ['a mobile ending a sentence with a full stop', `${MOBILE}.`, [['mobile', MOBILE]]],
  ])('finds %s', (_name, text, want) => {
    expect(found(text)).toEqual(want);
  });

  it.each([
    ['an ID one digit off', `身份证${oneOff(ID_1)}`],
    ['an ID with a bad check character, spoken', spoken(oneOff(ID_SAMPLE, 3))],
    ['a card one digit off', `卡号${oneOff(CARD_19)}`],
    ['a card one digit off, in groups', grouped(oneOff(CARD_16), [4, 4, 4])],
    ['a 12-digit order number', '订单号138123456789'],
    ['a 12-digit order number in groups of four', '订单号 1381 2345 6789'],
    ['a 12-digit order number spaced digit by digit', '1 3 8 1 2 3 4 5 6 7 8 9'],
    ['a 12-digit order number in numerals', '一三八一二三四五六七八九'],
    ['a mobile-shaped number with a trailing figure, spaced', '138 1234 5678 3'],
    ['an amount', '退款金额13800.00元'],
    ['an amount with a long integer part', `${MOBILE}.50`],
    ['a fraction part', `0.${MOBILE}`],
    ['the first 17 digits of an ID', `身份证${ID_1.slice(0, 17)}`],
    ['17 digits shaped like an ID, Luhn-valid', `身份证${withLuhn('4403011990010112')}`],
    ['a 10-digit number', '1381234567'],
    ['an 11-digit number starting 12', '12345678901'],
    ['a date and time', '2026-03-01 10:30:00'],
    ['a compact timestamp', '20260301103000'],
    ['a Luhn-valid 16-digit timestamp', withLuhn('202603011030001')],
    ['an epoch in milliseconds', '1740787200000'],
    ['a time glued to digits', '13812345678:30'],
    ['an order code glued to letters', 'SF13812345678'],
    ['an ID glued to letters', `ID${ID_1}abc`],
    ['a landline', '010-88886666'],
    ['a hotline', '400-820-8820'],
    ['a short number', '95588'],
    ['a partial number', '尾号5678'],
    ['a masked number', '138****5678'],
    ['counting in numerals', '一二三四五六七八九十'],
    ['a Chinese amount', '一万三千八百元'],
    ['plain text', '您好，很高兴为您服务'],
    ['empty text', ''],
  ])('finds nothing in %s', (_name, text) => {
    expect(findPersonalNumbers(text)).toEqual([]);
  });

  it('gives digits as ASCII with an upper-case X', () => {
    expect(findPersonalNumbers(`卡 ${fullWidth(CARD_16)} 和 ${spoken(ID_SAMPLE)}`).map((n) => n.digits)).toEqual([CARD_16, ID_SAMPLE]);
  });

  it('reads a long text in one pass', () => {
    const text = `${'请稍等，我查一下 2026-03-01 的记录。'.repeat(2000)}手机${MOBILE}`;
    expect(findPersonalNumbers(text).map((n) => n.kind)).toEqual(['mobile']);
  });
});

describe('maskPersonalNumbersStrict', () => {
  it.each([
    ['an ID', `身份证${ID_SAMPLE}`, '身份证110105********002X'],
    ['a 19-digit card', CARD_19, `622202*********${CARD_19.slice(-4)}`],
    ['a card in groups', grouped(CARD_16, [4, 4, 4]), `${CARD_16.slice(0, 4)} ${CARD_16.slice(4, 6)}** **** ${CARD_16.slice(-4)}`],
    ['a mobile', `手机${MOBILE}，谢谢`, '手机138****5678，谢谢'],
    ['a mobile in groups', '138 1234 5678', '138 **** 5678'],
    ['a mobile in full-width digits', '１３８１２３４５６７８', '１３８****５６７８'],
    ['a mobile in numerals', '幺三八 幺二三四 五六七八', '幺三八 **** 五六七八'],
    ['an ID in numerals', spoken(ID_SAMPLE, { yao: true }), '幺幺零幺零五********零零二叉'],
    ['two numbers', `${MOBILE} ${CARD_19}`, `138****5678 622202*********${CARD_19.slice(-4)}`],
  ])('masks %s', (_name, text, want) => {
    const masked = maskPersonalNumbersStrict(text);
    expect(masked).toBe(want);
    expect(masked.length).toBe(text.length);
  });

  it.each([
    ['a staff number (the report masker masks any 7 digits; this one only personal numbers)', '工号1234567'],
    ['an order number', '订单号138123456789'],
    ['an amount', '13800.00元'],
    ['plain text', '您好'],
  ])('leaves %s', (_name, text) => {
    expect(maskPersonalNumbersStrict(text)).toBe(text);
  });

  it('leaves no personal number behind and is idempotent', () => {
    const text = `手机 ${spoken(MOBILE, { yao: true })}，卡号 ${grouped(CARD_19, [4, 4, 4, 4])}，身份证 ${ID_1}。`;
    const masked = maskPersonalNumbersStrict(text);
    expect(findPersonalNumbers(masked)).toEqual([]);
    expect(maskPersonalNumbersStrict(masked)).toBe(masked);
    expect(masked).not.toContain(ID_1.slice(6, 14));
  });

  it('masks only the numbers it is given', () => {
    const text = `${MOBILE} ${ID_1}`;
    const [mobile] = findPersonalNumbers(text);
    expect(maskNumbers(text, mobile ? [mobile] : [])).toBe(`138****5678 ${ID_1}`);
  });
});

describe('digitsOf', () => {
  it('reads every way of writing a digit', () => {
    expect(digitsOf('１３8-幺两三 零〇x叉')).toBe('13812300XX');
  });
});
