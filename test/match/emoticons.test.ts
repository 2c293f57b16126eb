import { describe, expect, it } from 'vitest';
import { compileEmoticons, countEmoticons, DEFAULT_EMOTICON_CODES, DEFAULT_TEXT_EMOTICONS, emojiAt, quotedRanges } from '../../src/match/emoticons.js';
import { normaliseText } from '../../src/normalise/text.js';

const tables = compileEmoticons(DEFAULT_EMOTICON_CODES, DEFAULT_TEXT_EMOTICONS);
const count = (text: string) => countEmoticons(normaliseText(text).text, tables).count;

describe('emojiAt', () => {
  it('reads a whole emoji as one, in code units', () => {
    expect(emojiAt('😊', 0)).toBe(2);
    expect(emojiAt('👍🏻好', 0)).toBe(4); // a skin tone
    expect(emojiAt('👨‍👩‍👧', 0)).toBe('👨‍👩‍👧'.length); // a ZWJ family
    expect(emojiAt('🇨🇳', 0)).toBe(4); // a flag
    expect(emojiAt('❤️', 0)).toBe(2); // a text-default pictograph asked to show as emoji
    expect(emojiAt('☺', 0)).toBe(1);
  });
  it('leaves symbols of ordinary writing alone', () => {
    for (const s of ['©', '®', '™', '✔', '☎', '★', 'a', '好', '1']) expect(emojiAt(s, 0), s).toBe(0);
    expect(emojiAt('🇨', 0)).toBe(0); // a lone regional indicator
  });
});

describe('countEmoticons', () => {
  it('counts emoji, stickers and text emoticons, one each', () => {
    expect(count('好的😊😊')).toBe(2);
    expect(count('收到[微笑][呲牙][doge][强]')).toBe(4);
    expect(count('好的^_^ :) :-( orz QAQ (๑•̀ㅂ•́)و✧ o(╥﹏╥)o')).toBe(7);
    expect(count('1️⃣ 2️⃣')).toBe(2);
  });
  it('reads full-width and Traditional forms as their normalised selves', () => {
    expect(count('好的＾＿＾［微笑］：）')).toBe(3);
    expect(count('[發呆][難過]')).toBe(2);
  });
  it('takes the longest text emoticon and counts it once', () => {
    expect(count('(^_^)')).toBe(1);
    expect(count('o(╥﹏╥)o')).toBe(1);
    expect(countEmoticons('好的(^_^)', tables).first).toEqual({ start: 2, end: 7 });
  });
  it('does not count what only looks like one', () => {
    expect(count('[图片][链接][订单号][微笑 ]')).toBe(0);
    expect(count('https://a.cn/x:p 10:30 备注:ok orzo zorz t_t_01 2^^3')).toBe(1); // 2^^3: ^^ is taken whole
    expect(count('华为®Apple™✔☎')).toBe(0);
  });
  it('skips quotes, and an unclosed quote quotes nothing', () => {
    expect(count('您发来的“😡😡”收到了')).toBe(0);
    expect(count('您发来的「[发怒]」和"😡"')).toBe(0);
    expect(count('好的“😊😊')).toBe(2);
  });
  it('reads a megabyte of hostile text in one pass', () => {
    const text = `${'['.repeat(300_000)}${'(^_'.repeat(100_000)}${'“'.repeat(100_000)}${'😊'.repeat(200_000)}`;
    expect(countEmoticons(text, tables).count).toBe(200_000);
  });
});

describe('quotedRanges', () => {
  it('pairs each kind of quote mark, merged and in order', () => {
    expect(quotedRanges('a“b”c「d」e"f"')).toEqual([
      { start: 1, end: 4 },
      { start: 5, end: 8 },
      { start: 9, end: 12 },
    ]);
    expect(quotedRanges('“a「b」c”')).toEqual([{ start: 0, end: 7 }]);
    expect(quotedRanges('“abc')).toEqual([]);
  });
});
