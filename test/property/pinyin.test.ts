/**
 * Property test of sound matching: PinyinMatcher's scan (phrases indexed by their first syllable, the text's
 * characters read once) finds exactly what the naive scan finds — every phrase tried at every character —
 * occurrences, order and places alike, on texts built from homophones, polyphones and what breaks a stretch.
 */
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldSyllable, PinyinMatcher, SOUND_SCAN } from '../../src/match/pinyin.js';
import type { Occurrence } from '../../src/match/phrases.js';
import { normaliseText } from '../../src/normalise/text.js';
import { RUNS } from './arbitraries.js';

/**
 * Characters that sound alike once tones are dropped and the sounds ASR confuses are folded (干/感/赶,
 * 谢/些/写, 您/你/泥/里, 心/兴/星/新, 电/店/点), polyphones (还 hai/huan, 行 xing/hang, 长 chang/zhang, 了 le/liao,
 * 的 de/di), Han characters outside the common block (𠀀 is two code units, 〇, 豈), and what is not Han.
 */
const HAN = [
  '还',
  '海',
  '环',
  '干',
  '感',
  '赶',
  '谢',
  '些',
  '写',
  '您',
  '你',
  '泥',
  '里',
  '的',
  '地',
  '来',
  '莱',
  '电',
  '店',
  '点',
  '高',
  '兴',
  '心',
  '星',
  '新',
  '长',
  '常',
  '张',
  '行',
  '航',
  '了',
  '𠀀',
  '〇',
  '豈',
];
const OTHER = ['，', 'a', '1', ' ', '😀', '\ud800'];

/** pinyin-pro itself, which the matcher's table (src/match/pinyin-table.ts) was made from: the naive scan reads by it. */
const { pinyin } = createRequire(import.meta.url)('pinyin-pro') as { pinyin: (text: string, options: Record<string, unknown>) => string[] };

/** The scan as it was: every phrase (normalised, as the matcher compiles it) tried at every character. */
function naiveFindAll(phrases: readonly string[], text: string): Occurrence[] {
  if (phrases.length === 0) return [];
  if (text.length > SOUND_SCAN) {
    const half = SOUND_SCAN / 2;
    return [...naiveScan(phrases, text.slice(0, half), 0), ...naiveScan(phrases, text.slice(-half), text.length - half)];
  }
  return naiveScan(phrases, text, 0);
}

function naiveScan(phrases: readonly string[], text: string, offset: number): Occurrence[] {
  const found: Occurrence[] = [];
  const starts: number[] = [];
  const keysAt: (readonly string[])[] = [];
  let i = 0;
  for (const char of text) {
    starts.push(i);
    const han = /^\p{Script=Han}$/u.test(char);
    keysAt.push(han ? [...new Set(pinyin(char, { toneType: 'none', type: 'array', multiple: true, v: true }).map(foldSyllable))] : []);
    i += char.length;
  }
  starts.push(i);
  for (const phrase of phrases) {
    const keys = pinyin(normaliseText(phrase).text, { toneType: 'none', type: 'array', v: true }).map(foldSyllable);
    for (let s = 0; s + keys.length <= keysAt.length; s++) {
      let k = 0;
      while (k < keys.length && keysAt[s + k]?.includes(keys[k] as string)) k++;
      if (k === keys.length) found.push({ start: offset + (starts[s] as number), end: offset + (starts[s + k] as number), phrase });
    }
  }
  return found;
}

const phrase = fc.array(fc.constantFrom(...HAN), { minLength: 3, maxLength: 5 }).map((cs) => cs.join(''));
const shortText = fc
  .array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...HAN) }, { weight: 1, arbitrary: fc.constantFrom(...OTHER) }), { maxLength: 60 })
  .map((cs) => cs.join(''));
/** Over SOUND_SCAN code units: read at its two ends only (a cut may fall inside 𠀀 or 😀). */
const longText = fc
  .tuple(shortText, fc.constantFrom('您', '𠀀', '😀', '，'), fc.integer({ min: 1990, max: 2100 }), shortText)
  .map(([head, fill, length, tail]) => head + fill.repeat(length / fill.length) + tail);

describe('PinyinMatcher scan', () => {
  it('finds exactly what the naive scan finds, in the same order', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(phrase, { minLength: 1, maxLength: 8 }),
        fc.oneof({ weight: 5, arbitrary: shortText }, { weight: 1, arbitrary: longText }),
        (phrases, text) => {
          const m = new PinyinMatcher(phrases);
          expect(m.phrases.length).toBeGreaterThan(0);
          // Found at the phrases' own places too: each phrase sits in the text at least once.
          for (const t of [text, text + phrases.join('，'), phrases.join('') + text]) {
            expect(m.findAll(t)).toEqual(naiveFindAll(m.phrases, t));
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
