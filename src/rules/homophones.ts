import { PhraseMatcher } from '../match/phrases.js';
import { pinyinOf, SOUND_SCAN } from '../match/pinyin.js';
import { normaliseText } from '../normalise/text.js';
import { isHanCode } from '../util/han.js';

/**
 * Homophone-tolerant reading of ASR text: speech recognition writes 报歉 for 抱歉 and 天麻烦 for 添麻烦,
 * the same syllables in other characters. Each Han character is read as its toneless pinyin (its most
 * common reading, the same wherever it stands, so that one character always gives one syllable); two
 * texts agree where their syllables do. pinyin-pro is loaded on first use (most calls never need it).
 */

const syllableOf = new Map<number, string>();

const HAN = /\p{Script=Han}/u;

/** The toneless syllable of one Han character (by code unit), or undefined for anything else. */
export function syllable(code: number): string | undefined {
  let s = syllableOf.get(code);
  if (s !== undefined) return s || undefined;
  const ch = String.fromCharCode(code);
  s = isHanCode(code) ? (pinyinOf()(ch, { toneType: 'none', type: 'array' })[0] ?? '') : '';
  // Characters pinyin-pro cannot read come back as themselves: they match only themselves.
  syllableOf.set(code, s);
  return s || undefined;
}

/**
 * The text's Han characters as syllables, each with a space either side (" fei chang bao qian "), and
 * where each syllable's leading space is → the index of its character in the text.
 */
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

/**
 * Literal phrases of Han characters (two or more), found by their sound: 非常报歉 holds 抱歉. Used as a
 * second look where the phrases as written were not found, never first (it is slower, and looser).
 */
export class HomophoneMatcher {
  /** Sound (" bao qian ") → the phrase as written, and its normalised characters. */
  private readonly phraseOf = new Map<string, { phrase: string; chars: string }>();
  /** The sounds, in one automaton: a search is linear in the text. */
  private readonly sounds: PhraseMatcher | undefined;

  constructor(phrases: readonly string[]) {
    for (const phrase of phrases) {
      if (phrase.startsWith('/')) continue;
      const text = normaliseText(phrase).text;
      // Only phrases that are all Han and at least two characters: one syllable alone matches too much.
      if (text.length < 2 || [...text].some((ch) => !HAN.test(ch))) continue;
      const { sound } = spoken(text);
      if (!this.phraseOf.has(sound)) this.phraseOf.set(sound, { phrase, chars: text });
    }
    this.sounds = this.phraseOf.size > 0 ? new PhraseMatcher([...this.phraseOf.keys()], { normalised: true }) : undefined;
  }

  /**
   * A phrase whose syllables occur in the text's with at least half its characters as written (ASR
   * misses a character, 报歉; 到前 is not 道歉, nor 前一 歉意), or undefined.
   */
  find(normalisedText: string): string | undefined {
    if (!this.sounds) return undefined;
    // A text longer than SOUND_SCAN is read by sound at its two ends only (bounded work on an unsplit dump).
    if (normalisedText.length > SOUND_SCAN) {
      const half = SOUND_SCAN / 2;
      return this.find(normalisedText.slice(0, half)) ?? this.find(normalisedText.slice(-half));
    }
    const { sound, charAt } = spoken(normalisedText);
    for (const occ of this.sounds.findAll(sound)) {
      const found = this.phraseOf.get(occ.phrase);
      const from = charAt.get(occ.start);
      if (!found || from === undefined) continue;
      let same = 0;
      let k = from;
      for (const ch of found.chars) {
        // Syllables skip non-Han characters: step over them as the sound did.
        while (k < normalisedText.length && syllable(normalisedText.charCodeAt(k)) === undefined) k++;
        if (normalisedText[k] === ch) same++;
        k++;
      }
      if (same * 2 >= found.chars.length) return found.phrase;
    }
    return undefined;
  }
}
