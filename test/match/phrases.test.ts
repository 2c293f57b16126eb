import { describe, expect, it } from 'vitest';
import type { Occurrence } from '../../src/match/phrases.js';
import { compileRegexPhrase, isRegexPhrase, PhraseMatcher, withoutExceptions } from '../../src/match/phrases.js';
import { normaliseText } from '../../src/normalise/text.js';

/** Occurrences in the normalised form of `text`, sorted, as [start, end, phrase]. */
function find(phrases: string[], text: string): [number, number, string][] {
  return new PhraseMatcher(phrases).find(normaliseText(text).text).map((o): [number, number, string] => [o.start, o.end, o.phrase]);
}

function sorted(found: Occurrence[]): [number, number, string][] {
  return found.map((o): [number, number, string] => [o.start, o.end, o.phrase]).sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2].localeCompare(b[2]));
}

describe('PhraseMatcher: literals', () => {
  it.each<[string, string[], string, [number, number, string][]]>([
    ['one phrase once', ['稍等'], '请您稍等一下', [[2, 4, '稍等']]],
    [
      'one phrase twice',
      ['谢谢'],
      '谢谢您，谢谢',
      [
        [0, 2, '谢谢'],
        [4, 6, '谢谢'],
      ],
    ],
    ['no match', ['投诉'], '您好，请问有什么可以帮您', []],
    ['a Traditional phrase in Simplified text', ['謝謝'], '谢谢您', [[0, 2, '謝謝']]],
    ['a Simplified phrase in Traditional text', ['谢谢'], '謝謝您', [[0, 2, '谢谢']]],
    ['a Traditional phrase in Traditional text', ['客戶服務'], '這裡是客戶服務中心', [[3, 7, '客戶服務']]],
    ['a phrase across an ASR space', ['不行'], '这 个 不 行', [[2, 4, '不行']]],
    ['a phrase written with spaces', ['不 知 道'], '我不知道', [[1, 4, '不 知 道']]],
    ['a full-width phrase in half-width text', ['ＯＫ'], 'OK的', [[0, 2, 'ＯＫ']]],
    ['case-insensitive ASCII', ['Thank You'], 'THANK  you very much', [[0, 9, 'Thank You']]],
    ['a phrase inside a longer word (no word boundaries in Chinese)', ['知道'], '知道了', [[0, 2, '知道']]],
  ])('finds %s', (_name, phrases, text, want) => {
    expect(find(phrases, text)).toEqual(want);
  });

  it('counts overlapping phrases once: 不知道 and 知道 in "我不知道"', () => {
    expect(find(['知道', '不知道'], '我不知道')).toEqual([[1, 4, '不知道']]);
    expect(find(['不知道', '知道'], '我不知道，你知道吗')).toEqual([
      [1, 4, '不知道'],
      [6, 8, '知道'],
    ]);
  });

  it('findAll returns the overlapping occurrences too', () => {
    const m = new PhraseMatcher(['不知道', '知道']);
    expect(sorted(m.findAll('我不知道'))).toEqual([
      [1, 4, '不知道'],
      [2, 4, '知道'],
    ]);
  });

  it('prefers the leftmost, then the longest, of overlapping occurrences', () => {
    expect(find(['ab', 'bcd', 'abc'], 'abcd')).toEqual([[0, 3, 'abc']]);
    expect(find(['ab', 'bcd'], 'abcd')).toEqual([[0, 2, 'ab']]);
    expect(find(['ab', 'cd'], 'abcd')).toEqual([
      [0, 2, 'ab'],
      [2, 4, 'cd'],
    ]);
  });

  it('reports a phrase as the rubric wrote it when two phrases normalise alike', () => {
    expect(find(['謝謝', '谢谢'], '谢谢')).toEqual([[0, 2, '謝謝']]);
  });

  it('rejects a phrase that is empty once normalised', () => {
    expect(() => new PhraseMatcher(['  '])).toThrow('phrase "  " is empty once normalised');
    expect(() => new PhraseMatcher(['好', ''])).toThrow('phrase "" is empty once normalised');
  });

  it('keeps the phrases as given and counts them', () => {
    const m = new PhraseMatcher(['謝謝', '/稍等/', '谢谢']);
    expect(m.phrases).toEqual(['謝謝', '/稍等/', '谢谢']);
    expect(m.size).toBe(3);
  });

  it('works with no phrases at all', () => {
    const m = new PhraseMatcher([]);
    expect(m.find('任何文本')).toEqual([]);
    expect(m.test('任何文本')).toBe(false);
  });

  it('gives indices in UTF-16 units after a character outside the BMP', () => {
    expect(find(['不知道'], '😀不知道')).toEqual([[2, 5, '不知道']]);
  });
});

describe('PhraseMatcher: /regex/ phrases', () => {
  it.each<[string, string[], string, [number, number, string][]]>([
    ['a regex', ['/稍等.{0,2}下/'], '请稍等一下', [[1, 5, '/稍等.{0,2}下/']]],
    [
      'a regex twice',
      ['/\\d{3}/'],
      'a123b456',
      [
        [1, 4, '/\\d{3}/'],
        [5, 8, '/\\d{3}/'],
      ],
    ],
    [
      'an alternation',
      ['/(您好|你好)/'],
      '你好，您好',
      [
        [0, 2, '/(您好|你好)/'],
        [3, 5, '/(您好|你好)/'],
      ],
    ],
    ['the i flag', ['/HELLO/i'], 'hello world', [[0, 5, '/HELLO/i']]],
    ['a regex on normalised text (Simplified, no ASR spaces)', ['/不行/'], '這 樣不 行', [[2, 4, '/不行/']]],
    ['a regex with the u flag', ['/\\p{Script=Han}{2}/u'], 'ok好的', [[2, 4, '/\\p{Script=Han}{2}/u']]],
  ])('finds %s', (_name, phrases, text, want) => {
    expect(find(phrases, text)).toEqual(want);
  });

  it('mixes literals and regexes, and a regex overlapping a literal counts once', () => {
    expect(find(['稍等', '/稍等.{0,2}下/', '谢谢'], '请稍等一下，谢谢')).toEqual([
      [1, 5, '/稍等.{0,2}下/'],
      [6, 8, '谢谢'],
    ]);
  });

  it('gives the same answer when searched twice (the global regex is reset)', () => {
    const m = new PhraseMatcher(['/谢谢/']);
    const text = '谢谢，谢谢';
    expect(m.find(text)).toEqual(m.find(text));
    expect(m.find(text)).toHaveLength(2);
    expect(m.test(text)).toBe(true);
    expect(m.test(text)).toBe(true);
    expect(m.test('再见')).toBe(false);
  });

  it('test() is true for a literal or a regex match and false otherwise', () => {
    const m = new PhraseMatcher(['投诉', '/举报|曝光/']);
    expect(m.test('我要投诉你')).toBe(true);
    expect(m.test('我要曝光')).toBe(true);
    expect(m.test('谢谢')).toBe(false);
  });
});

describe('isRegexPhrase and compileRegexPhrase', () => {
  it.each([
    ['/稍等/', true],
    ['/a/i', true],
    ['/a/gi', true],
    ['/', false],
    ['//', false],
    ['稍等', false],
    ['and/or', false],
    ['/unterminated', false],
  ])('isRegexPhrase(%j) is %s', (phrase, want) => {
    expect(isRegexPhrase(phrase)).toBe(want);
  });

  it('compiles a phrase to a linear-time regex (RE2), case-insensitive whatever its flags', () => {
    const re = compileRegexPhrase('/稍等/i');
    expect(re.pattern).toBe('稍等');
    expect(compileRegexPhrase('/HELLO/').test('say hello')).toBe(true);
  });

  it.each([
    ['/(/', /^invalid regular expression \/\(\/: missing closing \)/],
    ['/[a-/', /^invalid regular expression \/\[a-\/: /],
    ['/a{2,1}/', /^invalid regular expression \/a\{2,1\}\/: /],
    ['/\\p{Nope}/', /^invalid regular expression /],
    ['/a/ii', /^unsupported regular expression flags "ii"; use i, m, s or u, once each/],
  ])('rejects the invalid regex %s', (phrase, message) => {
    expect(() => compileRegexPhrase(phrase)).toThrow(message);
  });

  it.each([['/a/g'], ['/a/y'], ['/a/d'], ['/a/x']])('rejects unsupported flags in %s', (phrase) => {
    const flags = phrase.slice(3);
    expect(() => compileRegexPhrase(phrase)).toThrow(`unsupported regular expression flags "${flags}"; use i, m, s or u`);
  });

  it.each([['/a*/'], ['/a|/'], ['/(?:)/'], ['/^/'], ['/x?/']])('rejects %s: it matches empty text', (phrase) => {
    expect(() => compileRegexPhrase(phrase)).toThrow(`regular expression ${phrase} matches empty text`);
  });

  it('skips empty matches of a regex that can also match text', () => {
    // c|(?<=a) does not match '' so it compiles; after "a" it matches empty text, which is no occurrence.
    const m = new PhraseMatcher(['/c|(?<=a)/']);
    expect(sorted(m.findAll('xa c ac'))).toEqual([
      [3, 4, '/c|(?<=a)/'],
      [6, 7, '/c|(?<=a)/'],
    ]);
  });

  // BUG (src/match/phrases.ts compileRegexPhrase): the "matches empty text" check only tries the
  // empty string, so zero-width regexes such as /(?=退款)/ or /\b/ compile; then test() says true
  // while find()/findAll() find nothing. Either rejecting them or agreeing would be correct.
  it('test() agrees with find() for a zero-width regex (or the regex is rejected)', () => {
    let m: PhraseMatcher;
    try {
      m = new PhraseMatcher(['/(?=退款)/']);
    } catch {
      return;
    }
    const text = '我要退款';
    expect(m.test(text)).toBe(m.find(text).length > 0);
  });

  it('rejects a phrase that is not written /…/', () => {
    expect(() => compileRegexPhrase('稍等')).toThrow('expected a regular expression written /…/, got "稍等"');
  });

  it('PhraseMatcher refuses a bad regex phrase', () => {
    expect(() => new PhraseMatcher(['好', '/a*/'])).toThrow('regular expression /a*/ matches empty text');
    expect(() => new PhraseMatcher(['/(/'])).toThrow(/invalid regular expression/);
  });
});

describe('withoutExceptions', () => {
  const occ = (start: number, end: number, phrase: string): Occurrence => ({ start, end, phrase });

  it('drops occurrences inside an exception and keeps the rest', () => {
    const text = normaliseText('我不满意，但服务满意').text;
    const found = new PhraseMatcher(['满意']).find(text);
    const exceptions = new PhraseMatcher(['不满意']).find(text);
    expect(withoutExceptions(found, exceptions)).toEqual([occ(8, 10, '满意')]);
  });

  it('keeps an occurrence that only partly overlaps an exception', () => {
    expect(withoutExceptions([occ(2, 5, 'x')], [occ(0, 3, 'ex')])).toEqual([occ(2, 5, 'x')]);
    expect(withoutExceptions([occ(2, 5, 'x')], [occ(3, 6, 'ex')])).toEqual([occ(2, 5, 'x')]);
  });

  it('drops an occurrence exactly equal to an exception', () => {
    expect(withoutExceptions([occ(2, 5, 'x'), occ(7, 9, 'y')], [occ(2, 5, 'ex')])).toEqual([occ(7, 9, 'y')]);
  });

  it('returns the occurrences when there are no exceptions', () => {
    const found = [occ(0, 1, 'a')];
    expect(withoutExceptions(found, [])).toEqual([occ(0, 1, 'a')]);
  });

  it('drops a banned phrase when the utterance says it in a polite exception', () => {
    const text = normaliseText('这不是你的问题，是我们的问题').text;
    const banned = new PhraseMatcher(['你的问题']).find(text);
    const allowed = new PhraseMatcher(['不是你的问题']).find(text);
    expect(banned).toEqual([occ(3, 7, '你的问题')]);
    expect(withoutExceptions(banned, allowed)).toEqual([]);
  });
});

describe('PhraseMatcher: many phrases', () => {
  const phrases = Array.from({ length: 1000 }, (_, k) => `违规词${k}号`);

  it('finds the right occurrences among 1,000 phrases', () => {
    const m = new PhraseMatcher(phrases);
    expect(m.size).toBe(1000);
    const text = normaliseText('客户说违规词7号，然后又说違規詞999號和违规词10号，违规词1000号不在表里').text;
    expect(find(phrases, '客户说违规词7号，然后又说違規詞999號和违规词10号，违规词1000号不在表里')).toEqual([
      [3, 8, '违规词7号'],
      [13, 20, '违规词999号'],
      [21, 27, '违规词10号'],
    ]);
    expect(m.test(text)).toBe(true);
    expect(m.test('违规词号')).toBe(false);
  });

  it('stays fast on long text with 1,000 phrases plus a few regexes', () => {
    const m = new PhraseMatcher([...phrases, '/投诉|举报/', '/退\\s*款/']);
    const text = normaliseText(`${'您好，请问有什么可以帮您？'.repeat(5000)}违规词500号，我要投诉`).text;
    const t0 = performance.now();
    const found = m.find(text);
    const elapsed = performance.now() - t0;
    expect(found.map((o) => o.phrase)).toEqual(['违规词500号', '/投诉|举报/']);
    expect(found[0]?.start).toBe(text.indexOf('违规词500号'));
    expect(elapsed).toBeLessThan(2000);
  });
});

describe('PhraseMatcher.findExcept', () => {
  const banned = new PhraseMatcher(['不知道', '没办法']);
  const exceptions = new PhraseMatcher(['不知道您', '不知道是否']);

  it('drops what lies inside an exception, keeps the rest, as find then withoutExceptions would', () => {
    const text = '不知道您现在方便吗？我不知道，没办法';
    expect(banned.findExcept(text, exceptions)).toEqual(withoutExceptions(banned.find(text), exceptions.findAll(text)));
    expect(banned.findExcept(text, exceptions).map((o) => [o.start, o.phrase])).toEqual([
      [11, '不知道'],
      [15, '没办法'],
    ]);
  });

  it('looks for exceptions only where a phrase was found', () => {
    let asked = 0;
    const counting = new PhraseMatcher(['不知道您']);
    const findAll = counting.findAll.bind(counting);
    counting.findAll = (text: string) => {
      asked++;
      return findAll(text);
    };
    expect(banned.findExcept('好的，马上为您处理', counting)).toEqual([]);
    expect(asked).toBe(0);
    expect(banned.findExcept('不知道您是否方便', counting)).toEqual([]);
    expect(asked).toBe(1);
  });
});
