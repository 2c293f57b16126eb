import { describe, expect, it } from 'vitest';
import { PhraseMatcher } from '../../src/match/phrases.js';
import { isWordAligned } from '../../src/match/words.js';
import { normaliseText } from '../../src/normalise/text.js';

/** The phrases a matcher finds in a text (normalised as transcripts are), in order. */
function found(phrases: string[], text: string, options?: { words?: boolean }): string[] {
  return new PhraseMatcher(phrases, options).find(normaliseText(text).text).map((o) => o.phrase);
}

describe('word-aware phrase matching', () => {
  it.each([
    ['不行', '车辆不行驶的时候不计费'],
    ['行', '我去银行办卡'],
    ['行', '行李超重了'],
    ['行', '银行卡号是多少'],
    ['行', '我们去送行'],
    ['请', '请问您贵姓'],
    ['请', '我请示一下领导'],
    ['请', '已经给您申请了退款'],
    ['成', '已经完成了'],
    ['没事', '没事情做'],
  ])('%s does not match in %s: it would cut through a word', (phrase, text) => {
    expect(found([phrase], text)).toEqual([]);
    // The same characters are there: without the word check they match.
    expect(found([phrase], text, { words: false })).toEqual([phrase]);
  });

  it.each([
    ['不行', '这个不行'],
    ['不行', '不行，这个办不了'],
    ['不知道', '我也不知道'],
    ['谢谢', '谢谢您的耐心等待'],
    ['感谢', '感谢您的来电'],
    ['服务', '很高兴为您服务'],
    ['抱歉', '非常抱歉'],
    ['请', '请您提供一下账号'],
    ['麻烦', '麻烦您稍等'],
    ['不行', '不 行 的 话 我 再 帮 您 查'],
    ['行', '行，我帮您办'],
    ['不知道', '我也不知道。'],
  ])('%s matches in %s', (phrase, text) => {
    expect(found([phrase], text)).toEqual([phrase]);
  });

  it('reads Traditional script through normalisation: 銀行 holds no 行, 不行 is a word', () => {
    expect(found(['行'], '我去銀行辦卡')).toEqual([]);
    expect(found(['不行'], '這個不行')).toEqual(['不行']);
  });

  it('checks only edges between Han characters: Latin words, digits and punctuation are boundaries already', () => {
    expect(found(['ok'], 'ok的，我帮您办')).toEqual(['ok']);
    expect(found(['thank'], 'thanks for calling')).toEqual(['thank']);
    expect(isWordAligned('工号1023', 2, 6)).toBe(true);
    expect(isWordAligned('，不行。', 1, 3)).toBe(true);
  });

  it('leaves /regex/ phrases as they are: a pattern matches wherever it matches', () => {
    expect(found(['/行/'], '我去银行办卡')).toEqual(['/行/']);
  });

  it('test() agrees with find()', () => {
    const m = new PhraseMatcher(['行', '不行']);
    for (const text of ['银行', '行李', '这个不行', '行，好的', '不行驶']) {
      expect(m.test(normaliseText(text).text), text).toBe(m.find(normaliseText(text).text).length > 0);
    }
  });
});
