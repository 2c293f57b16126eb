/**
 * Property test of the homophone reader: HomophoneMatcher.find (the text's syllables as ids, phrases tried
 * by their first syllable) returns what the search it replaced returned — the text's syllables spelt out
 * (" fei chang bao qian "), the phrases' sounds found in it by one automaton, the first occurrence (in the
 * automaton's order) with half its characters as written — on texts of homophones, near-misses and what
 * breaks or is skipped by the sound.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PhraseMatcher } from '../../src/match/phrases.js';
import { SOUND_SCAN } from '../../src/match/pinyin.js';
import { normaliseText } from '../../src/normalise/text.js';
import { HomophoneMatcher, syllable } from '../../src/rules/homophones.js';
import { RUNS } from './arbitraries.js';

/** Homophones (抱/报/包, 歉/前/钱, 添/天, 麻/马, 烦/凡, 道/到), other Han characters, 𠀀 (two code units). */
const HAN = ['抱', '报', '包', '歉', '前', '钱', '添', '天', '麻', '马', '烦', '凡', '道', '到', '不', '好', '意', '思', '一', '𠀀'];
const OTHER = ['，', 'a', '1', ' ', '😀'];
const HAN_RE = /\p{Script=Han}/u;

/** The search as it was. */
function spoken(text: string): { sound: string; charAt: Map<number, number> } {
  let sound = ' ';
  const charAt = new Map<number, number>();
  for (let i = 0; i < text.length; i++) {
    const s = syllable(text.charCodeAt(i));
    if (s === undefined) continue;
    charAt.set(sound.length - 1, i);
    sound += `${s} `;
  }
  return { sound, charAt };
}

function oldFind(phrases: readonly string[], normalisedText: string): string | undefined {
  const phraseOf = new Map<string, { phrase: string; chars: string }>();
  for (const phrase of phrases) {
    if (phrase.startsWith('/')) continue;
    const text = normaliseText(phrase).text;
    if (text.length < 2 || [...text].some((ch) => !HAN_RE.test(ch))) continue;
    const { sound } = spoken(text);
    if (!phraseOf.has(sound)) phraseOf.set(sound, { phrase, chars: text });
  }
  if (phraseOf.size === 0) return undefined;
  const sounds = new PhraseMatcher([...phraseOf.keys()], { normalised: true });
  const find = (t: string): string | undefined => {
    if (t.length > SOUND_SCAN) {
      const half = SOUND_SCAN / 2;
      return find(t.slice(0, half)) ?? find(t.slice(-half));
    }
    const { sound, charAt } = spoken(t);
    for (const occ of sounds.findAll(sound)) {
      const found = phraseOf.get(occ.phrase);
      const from = charAt.get(occ.start);
      if (!found || from === undefined) continue;
      let same = 0;
      let k = from;
      for (const ch of found.chars) {
        while (k < t.length && syllable(t.charCodeAt(k)) === undefined) k++;
        if (t[k] === ch) same++;
        k++;
      }
      if (same * 2 >= found.chars.length) return found.phrase;
    }
    return undefined;
  };
  return find(normalisedText);
}

const phrase = fc.array(fc.constantFrom(...HAN), { minLength: 1, maxLength: 4 }).map((cs) => cs.join(''));
const shortText = fc
  .array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...HAN) }, { weight: 1, arbitrary: fc.constantFrom(...OTHER) }), { maxLength: 40 })
  .map((cs) => cs.join(''));
const longText = fc
  .tuple(shortText, fc.constantFrom('好', '𠀀', '，'), fc.integer({ min: 1990, max: 2100 }), shortText)
  .map(([head, fill, length, tail]) => head + fill.repeat(length / fill.length) + tail);

describe('HomophoneMatcher.find', () => {
  it('returns what the search of the spelt-out syllables returned', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof({ weight: 8, arbitrary: phrase }, { weight: 1, arbitrary: fc.constant('/抱歉/') }), { minLength: 0, maxLength: 8 }),
        fc.oneof({ weight: 5, arbitrary: shortText }, { weight: 1, arbitrary: longText }),
        (phrases, text) => {
          const m = new HomophoneMatcher(phrases);
          for (const t of [text, text + phrases.join('，'), phrases.join('') + text]) {
            const normalised = normaliseText(t).text;
            expect(m.find(normalised)).toBe(oldFind(phrases, normalised));
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
