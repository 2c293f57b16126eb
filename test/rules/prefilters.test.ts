import { describe, expect, it } from 'vitest';
import { PhraseMatcher } from '../../src/match/phrases.js';
import type { PreparedUtterance } from '../../src/model/call.js';
import { normaliseText } from '../../src/normalise/text.js';
import { digitsOf, findDigitRuns, findPersonalNumbers, isTaiwanId, mayHoldNumber } from '../../src/privacy/numbers.js';
import { DEFAULT_ACKNOWLEDGEMENTS, DEFAULT_CUSTOMER_FILLERS, onlyAcknowledgements } from '../../src/rules/interruption.js';
import colloquial, { type ColloquialOptions, colloquialReplies, colloquialRepliesByOccurrences, compiled } from '../../src/rules/colloquial-words.js';
import { firstUnits, mayHoldPhrase } from '../../src/rules/phrase-options.js';
import { optionsSchema } from '../../src/rules/types.js';
import { randomText, seeded } from '../helpers/random.js';

// The rules' cheap tests that rule a text out before a matcher runs, held to what the full reading answers.

const utterance = (text: string) => ({ speaker: 'agent', text, norm: normaliseText(text) }) as unknown as PreparedUtterance;

/** onlyAcknowledgements as it was: the matcher's occurrences cut out, then any letter or digit left. */
function onlyAcknowledgementsByMatcher(u: PreparedUtterance, matcher: PhraseMatcher): boolean {
  const text = u.norm.text;
  let rest = '';
  let from = 0;
  for (const occ of matcher.find(text)) {
    rest += text.slice(from, occ.start);
    from = occ.end;
  }
  return !/[\p{L}\p{N}]/u.test(rest + text.slice(from));
}

describe('onlyAcknowledgements rules out a text holding a letter or digit of no phrase as the matcher does', () => {
  const lists = [DEFAULT_ACKNOWLEDGEMENTS, DEFAULT_CUSTOMER_FILLERS, [...DEFAULT_ACKNOWLEDGEMENTS, '懂了', 'OK'], ['/嗯+/', '好的']];
  const alphabet = [
    '嗯',
    '好',
    '的',
    '是',
    '对',
    '明',
    '白',
    '了',
    '您',
    '说',
    '继',
    '续',
    '喂',
    '我',
    '查',
    '行',
    'o',
    'K',
    'x',
    '1',
    '一',
    ' ',
    '，',
    '。',
    '?',
    '𠀀',
    '😀',
    '\ud800',
    '們',
    '瞭',
  ];
  it('on random text', () => {
    const random = seeded(16);
    for (const list of lists) {
      const matcher = new PhraseMatcher(list);
      for (let k = 0; k < 5_000; k++) {
        const u = utterance(randomText(random, alphabet, 8));
        expect(onlyAcknowledgements(u, matcher), JSON.stringify(u.text)).toBe(onlyAcknowledgementsByMatcher(u, matcher));
      }
    }
  });
});

describe('privacy skips a turn mayHoldNumber rules out: it holds no number the readers find', () => {
  it('on random text of digits, numerals, letters and separators', () => {
    const alphabet = ['1', '2', '8', '9', '0', '３', '一', '幺', '两', '零', '叉', 'A', 'x', 'Ｘ', ' ', '-', '号', '.', ':', '\u3000'];
    const random = seeded(17);
    let ruledOut = 0;
    for (let k = 0; k < 20_000; k++) {
      const text = randomText(random, alphabet, 14);
      if (mayHoldNumber(text)) continue;
      ruledOut++;
      expect(findPersonalNumbers(text), JSON.stringify(text)).toEqual([]);
      expect(findDigitRuns(text, 16), JSON.stringify(text)).toEqual([]);
    }
    expect(ruledOut).toBeGreaterThan(5_000);
  });

  it('counts every character the readers read as a digit', () => {
    for (let code = 0; code < 0x10000; code++) {
      const ch = String.fromCharCode(code);
      if (/^[0-9]$/.test(digitsOf(ch))) expect(mayHoldNumber(ch.repeat(9)), ch).toBe(true);
    }
  });

  it('keeps the shortest number, a Taiwan ID of nine digits after its letter', () => {
    expect(isTaiwanId('A123456789')).toBe(true);
    expect(mayHoldNumber('身分證A123456789')).toBe(true);
    expect(findPersonalNumbers('身分證A123456789')).toHaveLength(1);
    expect(mayHoldNumber('A12345678')).toBe(false);
  });
});

describe('colloquial-words reads only clauses that begin with a word or an opener, and finds what reading every occurrence found', () => {
  const defaults = optionsSchema(colloquial).parse({}) as unknown as ColloquialOptions;
  const custom = { ...defaults, extra_words: { 好好: '好的', '😀': '好的', 'a b': '好的' }, openers: [...defaults.openers, '嗯嗯', '呃'] };
  const alphabet = [
    '行',
    '成',
    '没',
    '问',
    '题',
    '事',
    '嗯',
    '好',
    '的',
    '那',
    '就',
    '吧',
    '了',
    '吗',
    '不',
    'o',
    'k',
    'a',
    'b',
    '银',
    '李',
    '😀',
    ',',
    '。',
    ' ',
    '?',
    '“',
    '”',
    '—',
    '呃',
  ];
  it('on random text', () => {
    const random = seeded(18);
    let replies = 0;
    for (const options of [defaults, custom]) {
      const k = compiled(options);
      for (let k2 = 0; k2 < 20_000; k2++) {
        const text = randomText(random, alphabet, 12);
        const want = colloquialRepliesByOccurrences(text, k);
        replies += want.length;
        expect(colloquialReplies(text, k), JSON.stringify(text)).toEqual(want);
      }
    }
    expect(replies).toBeGreaterThan(2_000);
  });
});

describe('forbiddenPhrases passes over a turn holding no first character of a phrase: the matcher finds none there', () => {
  it('on random text, for lists as written and normalised, and never for a list with a /regex/', () => {
    const lists = [
      ['不知道', '不晓得', '不清楚', '不太清楚', '不行'],
      ['聽不清楚', 'ＯＫ', '没辙', '😀好'],
      ['不行', '/没办法/'],
    ];
    const alphabet = ['不', '知', '道', '行', '清', '楚', '听', '聽', '没', '辙', 'o', 'k', 'Ｏ', 'Ｋ', '😀', '好', ',', ' '];
    const random = seeded(19);
    let skipped = 0;
    for (const list of lists) {
      const matcher = new PhraseMatcher(list);
      const units = firstUnits(matcher);
      if (list.some((p) => p.startsWith('/'))) expect(units).toBeNull();
      for (let k = 0; k < 10_000; k++) {
        const text = normaliseText(randomText(random, alphabet, 8)).text;
        if (mayHoldPhrase(text, units)) continue;
        skipped++;
        expect(matcher.findAll(text), JSON.stringify(text)).toEqual([]);
      }
    }
    expect(skipped).toBeGreaterThan(2_000);
  });
});
