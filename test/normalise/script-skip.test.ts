import * as OpenCC from 'opencc-js/t2cn';
import { describe, expect, it } from 'vitest';
import { mayNeedConversion, toSimplified } from '../../src/normalise/script.js';
import { normaliseText } from '../../src/normalise/text.js';

// The conversion is skipped for text no dictionary can change; these prove the skip never changes an answer.
const convert = OpenCC.Converter({ from: 'tw', to: 'cn' });

/** toSimplified as it was before the skip: every text through OpenCC. */
function alwaysConverted(text: string): string {
  const whole = convert(text);
  if (whole.length === text.length) return whole;
  let out = '';
  for (const ch of text) out += convert(ch).length === ch.length ? convert(ch) : ch;
  return out;
}

describe('toSimplified skips only text the conversion leaves as it is', () => {
  it('every BMP character it would skip converts to itself', () => {
    const changed: string[] = [];
    for (let code = 0; code < 0x10000; code++) {
      if (code >= 0xd800 && code < 0xe000) continue;
      const ch = String.fromCharCode(code);
      if (!mayNeedConversion(ch) && convert(ch) !== ch) changed.push(ch);
    }
    expect(changed).toEqual([]);
  });

  it('every dictionary key that changes text is caught', () => {
    const config = (OpenCC.Locale as unknown as { configs: Record<string, { normalizationChain: unknown[][]; conversionChain: unknown[][] }> }).configs
      .tw2s ?? { normalizationChain: [], conversionChain: [] };
    const keys: string[] = [];
    for (const dict of [...config.normalizationChain, ...config.conversionChain].flat()) {
      const entries = typeof dict === 'string' ? dict.split('|').map((e) => e.split(' ')) : (dict as string[][]);
      for (const [key = '', value] of entries) if (key !== value && key !== '') keys.push(key);
    }
    expect(keys.length).toBeGreaterThan(4000);
    expect(keys.filter((k) => !mayNeedConversion(k))).toEqual([]);
    // Inside other text too.
    expect(keys.filter((k) => !mayNeedConversion(`好的${k}谢谢`))).toEqual([]);
  });

  it('agrees with the full conversion on Simplified, Traditional and mixed sentences', () => {
    const sentences = [
      '您好，感谢您致电，请问有什么可以帮您？',
      '我不知道，这个没办法，请您稍等一下。',
      '您好，感謝您致電，請問有什麼可以幫您？',
      '這個問題我們會盡快處理，請您保持電話暢通。',
      '上梁不正下梁歪，一目瞭然，反覆思量。',
      '核实一下您的身份，解决您的问题，生日是几号？',
      '么',
      '什么',
      'ok 好的 123',
      '',
    ];
    for (const s of sentences) expect(toSimplified(s)).toBe(alwaysConverted(s));
    expect(toSimplified('請問有什麼可以幫您')).toBe('请问有什么可以帮您');
    expect(mayNeedConversion('好的，请您保持电话畅通。')).toBe(false);
    expect(mayNeedConversion('請您保持電話暢通')).toBe(true);
  });
});

describe('normaliseText fast paths', () => {
  it('text that needs nothing is returned as it is, with the identity map', () => {
    const n = normaliseText('好的请您稍等');
    expect(n.text).toBe('好的请您稍等');
    expect([...n.toOriginal]).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('full-width forms and capitals change character for character, the map stays the identity', () => {
    const n = normaliseText('好的，ＯＫ！SD202');
    expect(n.text).toBe('好的,ok!sd202');
    expect([...n.toOriginal]).toEqual([...Array(11).keys()]);
  });

  it('identity maps of different texts do not disturb each other', () => {
    const a = normaliseText('一二三');
    const b = normaliseText('一二三四五六七八九十');
    expect([...a.toOriginal]).toEqual([0, 1, 2]);
    expect(b.toOriginal.length).toBe(10);
    expect(b.toOriginal[9]).toBe(9);
  });

  it('lone surrogates survive the character-for-character path', () => {
    expect(normaliseText('A\ud800，').text).toBe('a\ud800,');
  });

  it('a long text of full-width forms is mapped whole', () => {
    const long = '，'.repeat(20000);
    expect(normaliseText(long).text).toBe(','.repeat(20000));
  });
});
