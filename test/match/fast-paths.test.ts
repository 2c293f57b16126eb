import { describe, expect, it } from 'vitest';
import { PhraseMatcher } from '../../src/match/phrases.js';
import { randomText, seeded } from '../helpers/random.js';

/** Every occurrence of every literal, found by indexOf: what the automaton must find, overlaps included. */
function naive(literals: readonly string[], text: string): string[] {
  const out: string[] = [];
  for (const l of literals) for (let i = text.indexOf(l); i >= 0; i = text.indexOf(l, i + 1)) out.push(`${i}-${i + l.length}:${l}`);
  return out.sort();
}

describe('the phrase automaton with a typed root table', () => {
  it('finds what indexOf finds, on random phrase lists and texts', () => {
    const alphabet = ['不', '知', '道', '行', '没', '办', '法', 'a', 'b', ',', ' '];
    const random = seeded(5);
    for (let k = 0; k < 2_000; k++) {
      const literals = [
        ...new Set(
          Array.from({ length: 1 + Math.floor(random() * 6) }, () => randomText(random, alphabet, 4)).filter(
            (p) => p.trim() !== '' && p === p.trim() && !p.includes(' '),
          ),
        ),
      ];
      if (literals.length === 0) continue;
      const matcher = new PhraseMatcher(literals, { words: false });
      const text = randomText(random, alphabet, 20);
      const found = matcher.findAll(text).map((o) => `${o.start}-${o.end}:${o.phrase}`);
      expect(found.sort(), `${JSON.stringify(literals)} in ${JSON.stringify(text)}`).toEqual(naive(literals, text));
      expect(matcher.test(text)).toBe(found.length > 0);
    }
  });

  it('finds what indexOf finds where states have many edges (phrases sharing a first character)', () => {
    // Twenty ways to go on after 不 and after 不知: those states keep their edges in a Map, the others in arrays.
    const next = [...'知道行会对能要用是了好可清楚让准敢想该办'];
    const literals = [...next.map((c) => `不${c}`), ...next.map((c) => `不知${c}`), '知道', '道歉', '行'];
    const matcher = new PhraseMatcher(literals, { words: false });
    const alphabet = ['不', ...next.slice(0, 12), '，', 'a'];
    const random = seeded(9);
    let hits = 0;
    for (let k = 0; k < 3_000; k++) {
      const text = randomText(random, alphabet, 24);
      const found = matcher.findAll(text).map((o) => `${o.start}-${o.end}:${o.phrase}`);
      hits += found.length;
      expect(found.sort(), JSON.stringify(text)).toEqual(naive(literals, text));
      expect(matcher.test(text)).toBe(found.length > 0);
    }
    expect(hits).toBeGreaterThan(3_000);
  });

  it('stays linear with a thousand phrases', () => {
    const phrases = Array.from({ length: 1000 }, (_, i) => `短语${String.fromCharCode(0x4e00 + i)}${i}`);
    const matcher = new PhraseMatcher(phrases, { words: false });
    expect(matcher.findAll(`前面短语${String.fromCharCode(0x4e00 + 7)}7后面`).map((o) => o.phrase)).toEqual([phrases[7]]);
    expect(matcher.test('完全无关的话')).toBe(false);
  });

  it('answers nothing found with one shared, frozen list', () => {
    const matcher = new PhraseMatcher(['不知道']);
    const none = matcher.findAll('好的');
    expect(none).toEqual([]);
    expect(matcher.findAll('您好')).toBe(none);
    expect(Object.isFrozen(none)).toBe(true);
  });
});
