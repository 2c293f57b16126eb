import { describe, expect, it } from 'vitest';
import type { Call } from '../../src/model/call.js';
import { prepareCall } from '../../src/normalise/call.js';
import { toSimplified } from '../../src/normalise/script.js';
import { normaliseText } from '../../src/normalise/text.js';
import { randomText, seeded } from '../helpers/random.js';

/** The original character each character of the normalised text came from. */
function sources(original: string): string[] {
  const { toOriginal } = normaliseText(original);
  return [...toOriginal].map((i) => original[i] as string);
}

describe('normaliseText', () => {
  it.each([
    ['Traditional → Simplified', '這裡', '这里'],
    ['Traditional customer', '客戶', '客户'],
    ['Traditional thanks', '謝謝', '谢谢'],
    ['a Traditional sentence', '請問您的訂單號碼是多少', '请问您的订单号码是多少'],
    ['Simplified stays', '这里的客户', '这里的客户'],
    ['full-width letters and digits', 'ＯＫ１２３', 'ok123'],
    ['full-width punctuation', '好！？（）', '好!?()'],
    ['spaces between Han removed (ASR)', '不 行', '不行'],
    ['several spaces and tabs between Han removed', '我 \t 不 知道', '我不知道'],
    ['an ideographic space between Han removed', '不　行', '不行'],
    ['a run of Latin spaces folded to one', 'thank  you', 'thank you'],
    ['ideographic space between Latin words kept as a space', 'ok　thanks', 'ok thanks'],
    ['a newline between Latin words', 'thank\nyou', 'thank you'],
    ['space between Han and Latin kept', '您好 OK 吗', '您好 ok 吗'],
    ['space between Han and a digit kept', '订单 299 元', '订单 299 元'],
    ['space before full-width punctuation kept', '您好 ，请问', '您好 ,请问'],
    ['leading and trailing spaces dropped', '  您好  ', '您好'],
    ['leading ideographic space dropped', '　不 行 ', '不行'],
    ['ASCII lower-cased', 'Thank YOU', 'thank you'],
    ['full-width capitals lower-cased', 'ＡＢＣ', 'abc'],
    ['empty', '', ''],
    ['only spaces', ' \t　 ', ''],
  ])('%s: %j → %j', (_name, input, want) => {
    expect(normaliseText(input).text).toBe(want);
  });

  it('leaves non-ASCII capitals alone', () => {
    expect(normaliseText('ÉCOLE').text).toBe('École');
    expect(normaliseText('ÄB Ω').text).toBe('Äb Ω');
  });

  it('maps every index back to the original character', () => {
    const original = '這裡 客戶 謝謝 ＯＫ１２３　不 行 thank  you ';
    const norm = normaliseText(original);
    expect(norm.text).toBe('这里客户谢谢 ok123 不行 thank you');
    expect([...norm.toOriginal]).toEqual([0, 1, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 18, 19, 20, 21, 22, 23, 24, 26, 27, 28]);
    expect(norm.toOriginal).toBeInstanceOf(Uint32Array);
    expect(norm.toOriginal.length).toBe(norm.text.length);
  });

  it('points after a removed space at the character after it', () => {
    const original = '我 不 知道';
    const norm = normaliseText(original);
    expect(norm.text).toBe('我不知道');
    expect([...norm.toOriginal]).toEqual([0, 2, 4, 5]);
    expect(sources(original)).toEqual(['我', '不', '知', '道']);
  });

  it('maps converted characters to their Traditional originals', () => {
    const original = '您好，這裡是客戶服務';
    const norm = normaliseText(original);
    expect(norm.text).toBe('您好,这里是客户服务');
    const at = norm.text.indexOf('客户');
    expect(at).toBe(6);
    expect(original.slice(norm.toOriginal[at] as number, (norm.toOriginal[at + 1] as number) + 1)).toBe('客戶');
    expect(sources(original)).toEqual([...original]);
  });

  it('maps a folded space to the first space of the run', () => {
    const norm = normaliseText('ok \t  thanks');
    expect(norm.text).toBe('ok thanks');
    expect(norm.toOriginal[2]).toBe(2);
    expect(norm.toOriginal[3]).toBe(6);
  });

  it('lets evidence be quoted from the original text by mapping a match back', () => {
    const original = 'Agent：請 稍 等，我幫您查一下';
    const norm = normaliseText(original);
    const start = norm.text.indexOf('请稍等');
    expect(start).toBe(6);
    const from = norm.toOriginal[start] as number;
    const to = (norm.toOriginal[start + 2] as number) + 1;
    expect(original.slice(from, to)).toBe('請 稍 等');
  });

  it('keeps characters outside the BMP and maps both halves', () => {
    const original = '😀請問 你好';
    const norm = normaliseText(original);
    expect(norm.text).toBe('😀请问你好');
    expect([...norm.toOriginal]).toEqual([0, 1, 2, 3, 5, 6]);
  });

  it('handles text far longer than one conversion chunk', () => {
    const original = '謝謝 您　'.repeat(10000);
    const norm = normaliseText(original);
    expect(norm.text).toBe('谢谢您'.repeat(10000));
    expect(norm.toOriginal.length).toBe(30000);
    expect(norm.toOriginal[29999]).toBe(original.length - 2);
  });
});

describe('toSimplified', () => {
  it.each([
    ['這裡', '这里'],
    ['客戶', '客户'],
    ['顧客', '顾客'],
    ['謝謝', '谢谢'],
    ['頭髮', '头发'],
    ['乾燥', '干燥'],
    ['請稍等', '请稍等'],
    ['ascii only', 'ascii only'],
    ['', ''],
  ])('%j → %j', (input, want) => {
    expect(toSimplified(input)).toBe(want);
  });

  it.each([
    ['這裡的網路軟體資訊'],
    ['乾隆年間的頭髮'],
    ['您好，歡迎致電客戶服務中心，請問有什麼可以幫您？'],
    ['後來裡面發票麵條'],
    ['𠮷野家の牛丼 😀 謝謝'],
    ['ＯＫ　謝謝 thank you'],
    ['瞭解 瞭望 著作 著急 什麼'],
  ])('never changes the length: %j', (input) => {
    expect(toSimplified(input).length).toBe(input.length);
  });
});

describe('prepareCall', () => {
  it('adds normalised text to every utterance and keeps the original', () => {
    const call: Call = {
      id: 'P1',
      source: 'x.json',
      agent: { id: 'A1' },
      hangupBy: 'customer',
      roleSource: 'given',
      utterances: [
        { speaker: 'agent', start: 0, end: 2, text: '您好，這裡是客服' },
        { speaker: 'customer', start: 2, end: 3, text: 'ＯＫ 謝謝' },
      ],
    };
    const prepared = prepareCall(call);
    expect(prepared.id).toBe('P1');
    expect(prepared.hangupBy).toBe('customer');
    expect(prepared.utterances.map((u) => [u.speaker, u.start, u.end, u.text, u.norm.text])).toEqual([
      ['agent', 0, 2, '您好，這裡是客服', '您好,这里是客服'],
      ['customer', 2, 3, 'ＯＫ 謝謝', 'ok 谢谢'],
    ]);
    expect(call.utterances[0]).not.toHaveProperty('norm');
  });
});

describe('normaliseText: ASR spaces and the script', () => {
  it('joins "什 么" before converting the script, so 么 is not read as 幺', () => {
    expect(normaliseText('有 什 么 可 以 帮 您').text).toBe('有什么可以帮您');
    expect(normaliseText('還有 什 麼 可以 幫您').text).toBe('还有什么可以帮您');
  });
});

describe('normaliseText: text with spaces, built in place', () => {
  // The former way, kept as the reference: character by character into arrays, spaces tested by regex.
  const HAN = /\p{Script=Han}/u;
  const half = (code: number) => (code >= 0xff01 && code <= 0xff5e ? code - 0xfee0 : code === 0x3000 ? 0x20 : code);
  const isHan = (ch: string | undefined) => ch !== undefined && HAN.test(ch);
  function reference(original: string): { text: string; toOriginal: number[] } {
    const out: number[] = [];
    const map: number[] = [];
    let i = 0;
    while (i < original.length) {
      let code = half(original.charCodeAt(i));
      if (/\s/.test(String.fromCharCode(code))) {
        let j = i;
        while (j < original.length && /\s/.test(String.fromCharCode(half(original.charCodeAt(j))))) j++;
        const before = out.length > 0 ? String.fromCharCode(out[out.length - 1] as number) : undefined;
        const after = j < original.length ? original[j] : undefined;
        if (!(before === undefined || after === undefined || (isHan(before) && isHan(after)))) {
          out.push(0x20);
          map.push(i);
        }
        i = j;
        continue;
      }
      if (code >= 0x41 && code <= 0x5a) code += 0x20;
      out.push(code);
      map.push(i);
      i++;
    }
    return { text: toSimplified(String.fromCharCode(...out)), toOriginal: map };
  }

  it('gives the text and the map the former way gave, on random text', () => {
    const alphabet = [' ', '\u3000', '\t', '\n', '\u00a0', '不', '行', '什', '么', '麼', '說', 'A', 'b', 'Ｚ', '１', '，', '?', '😀', '\ud800'];
    const random = seeded(21);
    let spaced = 0;
    for (let k = 0; k < 20_000; k++) {
      const text = randomText(random, alphabet, 14);
      const want = reference(text);
      const got = normaliseText(text);
      if (/\s|\u3000/.test(text)) spaced++;
      expect({ text: got.text, toOriginal: [...got.toOriginal] }, JSON.stringify(text)).toEqual(want);
    }
    expect(spaced).toBeGreaterThan(10_000);
  });
});
