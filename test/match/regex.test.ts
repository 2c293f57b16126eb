import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileRegexPhrase, PhraseMatcher } from '../../src/match/phrases.js';
import { LinearRegex, MAX_PROGRAM_SIZE } from '../../src/match/regex.js';

const spans = (re: LinearRegex, text: string) => {
  const out: [number, number][] = [];
  re.forEachMatch(text, (start, end) => out.push([start, end]));
  return out;
};

describe('LinearRegex: rubric regexes run on RE2, in time linear in the text', () => {
  it('/(a+)+$/ on 40 "a" and a "b" answers at once (a backtracking engine takes minutes)', () => {
    const re = compileRegexPhrase('/(a+)+$/');
    const started = performance.now();
    for (let k = 0; k < 100; k++) expect(re.test(`${'a'.repeat(40)}b`)).toBe(false);
    expect(re.test('aaa')).toBe(true);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('finds CJK and emoji matches at UTF-16 positions, as String.slice counts', () => {
    const re = new LinearRegex('您好', 'i');
    expect(spans(re, '😀您好，😀您好')).toEqual([
      [2, 4],
      [7, 9],
    ]);
    expect(spans(new LinearRegex('\\p{Han}+'), 'ok好的ok')).toEqual([[2, 4]]);
  });

  it('reads JavaScript syntax: \\u escapes, \\p{Script=…}, (?<name>…), [^]', () => {
    expect(new LinearRegex('\\u597d').test('好')).toBe(true);
    expect(new LinearRegex('\\u{1F600}').test('😀')).toBe(true);
    expect(new LinearRegex('\\uD83D\\uDE00').test('😀')).toBe(true);
    expect(new LinearRegex('\\p{Script=Han}{2}').test('ok好的')).toBe(true);
    expect(new LinearRegex('(?<n>好)的').test('好的')).toBe(true);
    expect(new LinearRegex('a[^]b').test('a\nb')).toBe(true);
  });

  it('takes the flags the rubric allows: i, m, s (u changes nothing: RE2 reads Unicode)', () => {
    expect(compileRegexPhrase('/HELLO/').test('hello')).toBe(true);
    expect(new LinearRegex('a.b').test('a\nb')).toBe(false);
    expect(new LinearRegex('a.b', 's').test('a\nb')).toBe(true);
    expect(new LinearRegex('^b', '').test('a\nb')).toBe(false);
    expect(new LinearRegex('^b', 'm').test('a\nb')).toBe(true);
    expect(compileRegexPhrase('/\\p{Script=Han}{2}/u').test('ok好的')).toBe(true);
  });

  it('runs a lookbehind, and a lookahead that ends the pattern as context after the phrase', () => {
    expect(spans(new LinearRegex('(?<=[^,]{2})对吗'), '好的对吗,对吗')).toEqual([[2, 4]]);
    // The lookahead's text is not part of the phrase, and the next phrase may start on it.
    const re = new LinearRegex('(?:^|,)没办法(?=,|$)');
    expect(spans(re, '没办法,没办法')).toEqual([
      [0, 3],
      [3, 7],
    ]);
  });

  it.each([
    ['/(a)\\1/', 'uses a backreference (\\1), which a linear-time regular expression (RE2) cannot run'],
    ['/(?<x>a)\\k<x>/', 'uses a named backreference (\\k<…>)'],
    ['/a(?!b)/', 'uses a negative lookahead (?!…)'],
    ['/a(?=b)c/', 'uses a lookahead (?=…) that is not at the very end of the pattern'],
    ['/(a(?=b))/', 'uses a lookahead (?=…) that is not at the very end of the pattern'],
    ['/a|b(?=c)/', 'uses a lookahead (?=…) after a top-level "|"'],
    ['/(?:x|y){2000}/', 'invalid repeat count'],
    ['/.{1,999}.{1,999}/', `the limit is ${MAX_PROGRAM_SIZE}`],
  ])('refuses %s, saying why', (phrase, why) => {
    expect(() => compileRegexPhrase(phrase)).toThrow(`invalid regular expression ${phrase}: `);
    expect(() => compileRegexPhrase(phrase)).toThrow(why);
  });

  it('a PhraseMatcher with the default refusal regex still counts two clauses of 没办法 twice', () => {
    const m = new PhraseMatcher(['/(?:^|[,.。!?;])\\s*(?:这个|那|这)?(?:也)?没(?:有)?办法(?:了|啊|呀|的)?\\s*(?=[,.。!?;]|$)/']);
    expect(m.find('没办法,没办法。').map((o) => [o.start, o.end])).toEqual([
      [0, 3],
      [3, 7],
    ]);
  });
});

describe('LinearRegex: fast paths give the same answers', () => {
  it('a required group of literals rules texts out, and only those', () => {
    const re = new LinearRegex('(?:对吗|对吧)(?<=[^,]{2}[,\\s]*(?:对吗|对吧))(?=[,]|$)', 'i');
    expect(re.test('好的对吗')).toBe(true);
    expect(re.test('好的,对吧,')).toBe(true);
    expect(re.test('对吗')).toBe(false);
    expect(re.test('好的对不')).toBe(false);
    // Optional or repeated groups are not required; a cased letter keeps RE2's own case folding.
    expect(new LinearRegex('(?:a|b)?c', 'i').test('c')).toBe(true);
    expect(new LinearRegex('(?:AB|c)', 'i').test('ab')).toBe(true);
  });

  it('test agrees with forEachMatch when a match may be empty', () => {
    for (const [pattern, text] of [
      ['c|(?<=a)', 'xa'],
      ['c|(?<=a)', 'xac'],
      ['\\bb|x', 'a b'],
      ['(?:x)?(?=y)', 'ay'],
    ] as const) {
      const re = new LinearRegex(pattern, 'i');
      expect(re.test(text), `${pattern} on ${text}`).toBe(spans(re, text).length > 0);
    }
  });
});

describe('LinearRegex: the literal every match must hold rules texts out before RE2 runs', () => {
  /** Patterns with top-level literal runs beside optional, repeated and counted parts, and the texts to try. */
  const pieces = ['请问', '还有', '没', '办法', '(?:有)?', '(?:这|那)?', '好?', '好*', '好+', '.{1,3}', '[吗呢]', '\\s*', '(?:的|了)', 'a{0,2}', '是'];
  const alphabet = ['请', '问', '还', '有', '没', '办', '法', '这', '那', '好', '吗', '呢', '是', '的', '了', 'a', ' ', '，'];

  it('finds exactly what a native regular expression finds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 5 }),
        fc.array(fc.constantFrom(...alphabet), { maxLength: 16 }),
        (parts, chars) => {
          const pattern = parts.join('');
          const text = chars.join('');
          const native = [...text.matchAll(new RegExp(pattern, 'g'))].filter((m) => m[0] !== '').map((m) => [m.index, m.index + m[0].length]);
          const linear = spans(new LinearRegex(pattern, 'i'), text);
          // RE2 and V8 agree on leftmost-first matches of these patterns; every V8 match start is one of RE2's when RE2 finds any.
          expect(linear.length > 0, `${pattern} in ${JSON.stringify(text)}`).toBe(native.length > 0);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('still finds a pattern whose literal is optional or counted', () => {
    expect(new LinearRegex('请问(您)?是.{1,8}吗').test('请问是王先生吗')).toBe(true);
    expect(new LinearRegex('没(?:有)?办法').test('没有办法')).toBe(true);
    expect(new LinearRegex('好?的').test('的')).toBe(true);
    expect(new LinearRegex('a{0,2}b').test('b')).toBe(true);
    expect(new LinearRegex('还有+').test('还有有')).toBe(true);
  });
});

describe('LinearRegex: every literal run and group of alternatives a match needs rules texts out before RE2 runs', () => {
  /** Runs and groups (capturing or not, optional or not) that each must, or need not, occur. */
  const pieces = ['请问', '是', '吗', '(您)?', '(先生|女士)', '(?:次|遍)', '(?:次|个电话)', '打', '[两三0-9]+', '.{1,3}', '第?', '(?=的|了)'];
  const alphabet = ['请', '问', '是', '吗', '您', '先', '生', '女', '士', '次', '遍', '个', '电', '话', '打', '两', '3', '第', '的', '了', '，'];

  it('finds exactly what a native regular expression finds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 5 }),
        fc.array(fc.constantFrom(...alphabet), { maxLength: 18 }),
        (parts, chars) => {
          const pattern = parts.join('');
          // A lookahead is allowed only at the very end.
          if (parts.slice(0, -1).includes('(?=的|了)')) return;
          const text = chars.join('');
          let re: LinearRegex;
          try {
            re = new LinearRegex(pattern, 'i');
          } catch {
            return;
          }
          const native = [...text.matchAll(new RegExp(pattern, 'g'))].filter((m) => m[0] !== '');
          expect(re.test(text), `${pattern} in ${JSON.stringify(text)}`).toBe(native.length > 0);
          if (!pattern.endsWith('(?=的|了)'))
            expect(spans(re, text), `${pattern} in ${JSON.stringify(text)}`).toEqual(native.map((m) => [m.index, m.index + m[0].length]));
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('LinearRegex: a leading lookbehind of short alternatives is checked by hand, with the answers RE2 gives', () => {
  const leads = [
    '(?<=^|[,.。!?;:\\s]|您|你|好的|那)',
    '(?<=^|[,.])',
    '(?<!您)',
    '(?<=好的|那)',
    '(?<=\\s)',
    // Grouped: checked as a suffix of the text before each start.
    '(?<=(?:您|那)[^,.]{0,3}(?:好|的))',
    '(?<!(?:^|[,.])\\s*(?:好的)?)',
    '(?<=(?:请|麻烦)+.?)',
  ];
  const rests = ['请', '请(?=[^的事])', '麻烦', '请?您', '请问(您)?是', '(?:请问|请|问是)', '(?:麻烦|烦事)'];
  const alphabet = ['请', '问', '您', '你', '好', '的', '那', '麻', '烦', '事', '是', ',', '.', ' ', 'a'];

  it('finds exactly what a native regular expression finds', () => {
    fc.assert(
      fc.property(fc.constantFrom(...leads), fc.constantFrom(...rests), fc.array(fc.constantFrom(...alphabet), { maxLength: 14 }), (lead, rest, chars) => {
        const pattern = `${lead}${rest}`;
        const text = chars.join('');
        const native = [...text.matchAll(new RegExp(pattern, 'gu'))].filter((m) => m[0] !== '').map((m) => [m.index, m.index + m[0].length]);
        const re = new LinearRegex(pattern, 'i');
        expect(spans(re, text), `${pattern} in ${JSON.stringify(text)}`).toEqual(native);
        expect(re.test(text)).toBe(native.length > 0);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('PhraseMatcher: several regexes are gated by their required literals in one pass', () => {
  const pieces = ['请问', '还有', '没', '办法', '(?:有)?', '(?:这|那)', '好?', '好+', '.{1,3}', '[吗呢]', '(?:的|了)', '是'];
  const alphabet = ['请', '问', '还', '有', '没', '办', '法', '这', '那', '好', '吗', '呢', '是', '的', '了', '，'];
  const regex = fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join('')}/`);

  it('finds what each regex finds alone', () => {
    fc.assert(
      fc.property(fc.uniqueArray(regex, { minLength: 2, maxLength: 5 }), fc.array(fc.constantFrom(...alphabet), { maxLength: 16 }), (phrases, chars) => {
        const text = chars.join('');
        const key = (o: { start: number; end: number; phrase: string }) => `${o.start}-${o.end}-${o.phrase}`;
        let together: string[];
        try {
          together = new PhraseMatcher(phrases).findAll(text).map(key).sort();
        } catch {
          return; // a pattern that matches empty text is refused, alone or together
        }
        const alone = phrases.flatMap((p) => new PhraseMatcher([p]).findAll(text).map(key)).sort();
        expect(together, `${phrases.join(' ')} in ${JSON.stringify(text)}`).toEqual(alone);
        expect(new PhraseMatcher(phrases).test(text)).toBe(alone.length > 0);
      }),
      { numRuns: 1500 },
    );
  });
});
