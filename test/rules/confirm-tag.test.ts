import { describe, expect, it } from 'vitest';
import { compileRegexPhrase } from '../../src/match/phrases.js';
import type { LinearRegex } from '../../src/match/regex.js';
import { DEFAULT_CONFIRMATIONS } from '../../src/rules/confirm-understanding.js';
import { randomText, seeded } from '../helpers/random.js';

// The tag question became a lookbehind (the forward form was quadratic); which texts match must not change.
// The references run on JavaScript's engine; the default phrase runs on RE2 (src/match/regex.ts), as rubrics do.
const BEFORE = /[^,.。!?;:\s]{2,}[,\s]*(?:对吗|对吧|对不对|是吗|是吧|是这样吗|没错吧)(?=[,.。!?;:\s]|$)/giu;
const NOW = compileRegexPhrase(DEFAULT_CONFIRMATIONS.find((p) => p.startsWith('/')) as string);
// Then the lookbehind moved after the tag (it ran at every character when it came first): the matches must not move.
const LOOKBEHIND_FIRST = /(?<=[^,.。!?;:\s]{2}[,\s]*)(?:对吗|对吧|对不对|是吗|是吧|是这样吗|没错吧)(?=[,.。!?;:\s]|$)/giu;

const matches = (re: RegExp | LinearRegex, text: string) => {
  if (!(re instanceof RegExp)) return re.test(text);
  re.lastIndex = 0;
  return re.test(text);
};

describe('the confirmation tag regex', () => {
  it('matches exactly the texts the forward form matched', () => {
    const alphabet = ['对', '吗', '吧', '是', '不', '这', '样', '没', '错', '好', '您', ',', '.', '。', '?', '!', ' ', 'a'];
    const random = seeded(6);
    let hits = 0;
    for (let k = 0; k < 50_000; k++) {
      const text = randomText(random, alphabet, 10);
      const want = matches(BEFORE, text);
      if (want) hits++;
      expect(matches(NOW, text), JSON.stringify(text)).toBe(want);
    }
    expect(hits).toBeGreaterThan(200);
  });

  it('finds every tag where the lookbehind-first form found it', () => {
    const alphabet = ['对', '吗', '吧', '是', '不', '这', '样', '没', '错', '好', '您', ',', '.', '。', '?', '!', ' ', 'a'];
    const random = seeded(7);
    const all = (re: RegExp | LinearRegex, text: string) => {
      if (re instanceof RegExp) return [...text.matchAll(re)].map((m) => `${m.index}:${m[0]}`).join(' ');
      const out: string[] = [];
      re.forEachMatch(text, (start, end) => out.push(`${start}:${text.slice(start, end)}`));
      return out.join(' ');
    };
    let hits = 0;
    for (let k = 0; k < 50_000; k++) {
      const text = randomText(random, alphabet, 14);
      const want = all(LOOKBEHIND_FIRST, text);
      if (want !== '') hits++;
      expect(all(NOW, text), JSON.stringify(text)).toBe(want);
    }
    expect(hits).toBeGreaterThan(500);
    expect(all(NOW, '是吗?好的,是这样吗?很好对吧 对不对')).toBe('6:是这样吗 13:对吧 16:对不对');
  });

  it('on the seed examples', () => {
    for (const [text, want] of [
      ['您是说上个月的话费多扣了五十元,对吗?', true],
      ['您希望换成月费更低的套餐对吗?', true],
      ['是吗?', false],
      ['很好对吗', true],
      ['好对吗', false],
      ['对吗', false],
    ] as const)
      expect(matches(NOW, text), text).toBe(want);
  });
});
