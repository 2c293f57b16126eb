import fc from 'fast-check';
import * as OpenCC from 'opencc-js/t2cn';
import { describe, expect, it } from 'vitest';
import { leftAsItIs, mayNeedConversion, toSimplified } from '../../src/normalise/script.js';
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

describe('leftAsItIs proves a text unchanged only when the converter leaves it so', () => {
  const config = (
    OpenCC.Locale as unknown as { configs: Record<string, { normalizationChain: unknown[][]; conversionChain: unknown[][]; segmentation: unknown }> }
  ).configs.tw2s ?? { normalizationChain: [], conversionChain: [], segmentation: '' };
  const pieces: string[] = [];
  for (const dict of [...config.normalizationChain, ...config.conversionChain, [config.segmentation]].flat()) {
    const entries = typeof dict === 'string' ? dict.split('|').map((e) => e.split(' ')) : (dict as string[][]);
    for (const [key = '', value = ''] of entries) pieces.push(key, value);
  }
  // Keys and values of every dictionary (their overlaps make the segmentation and the round trips),
  // the Simplified words transcripts hold, and what the scans leave to the converter.
  const piece = fc.oneof(
    fc.constantFrom(...pieces.filter((p) => p !== '')),
    fc.constantFrom('什么', '么', '核实', '核', '刚才', '才', '怎么', '请问', '您好', '，', '。', '好的', 'ok', ' ', '⿰', '😀', '\ud800', '麼', '覈', '纔'),
    fc.string({ maxLength: 3 }),
  );
  const text = fc.array(piece, { maxLength: 8 }).map((xs) => xs.join(''));

  it('never says so of a text the converter changes, and toSimplified stays what it was', () => {
    fc.assert(
      fc.property(text, (t) => {
        if (leftAsItIs(t)) expect(convert(t)).toBe(t);
        expect(toSimplified(t)).toBe(alwaysConverted(t));
      }),
      { numRuns: 20_000 },
    );
  });

  it('proves the round trips of Simplified text (什么, 核实, 刚才: 么 → 麼 → 么)', () => {
    for (const t of ['请问有什么可以帮您？', '我帮您核实一下', '刚才说的', '什么', '怎么了']) expect(leftAsItIs(t), t).toBe(true);
    for (const t of ['請問有什麼可以幫您', '么', '⿰什么', '什么😀']) expect(leftAsItIs(t), t).toBe(false);
  });
});
