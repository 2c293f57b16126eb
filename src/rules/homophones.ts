import { SOUND_SCAN } from '../match/pinyin.js';
import { readingOf } from '../match/pinyin-reader.js';
import { normaliseText } from '../normalise/text.js';
import { isHanCode } from '../util/han.js';

/**
 * Homophone-tolerant reading of ASR text: speech recognition writes 报歉 for 抱歉 and 天麻烦 for 添麻烦,
 * the same syllables in other characters. Each Han character is read as its toneless pinyin (its most
 * common reading, the same wherever it stands, so that one character always gives one syllable); two
 * texts agree where their syllables do.
 */

const syllableOf = new Map<number, string>();

const HAN = /\p{Script=Han}/u;

/** The toneless syllable of one Han character (by code unit), or undefined for anything else. */
export function syllable(code: number): string | undefined {
  let s = syllableOf.get(code);
  if (s !== undefined) return s || undefined;
  const ch = String.fromCharCode(code);
  // Characters pinyin-pro cannot read come back as themselves: they match only themselves.
  s = isHanCode(code) ? readingOf(ch) : '';
  syllableOf.set(code, s);
  return s || undefined;
}

/** Each syllable met, as a small number, so that syllables compare as integers. */
const syllableIds = new Map<string, number>();
/** By code unit: 0 not read yet, -1 no syllable, else the syllable's id + 1. */
const idOfCode = new Int32Array(0x10000);

/** The id of the syllable of one code unit (as `syllable` reads it), or -1 for none. */
function syllableId(code: number): number {
  const known = idOfCode[code] as number;
  if (known !== 0) return known > 0 ? known - 1 : -1;
  const s = syllable(code);
  let id = -1;
  if (s !== undefined) {
    id = syllableIds.get(s) ?? syllableIds.size;
    if (id === syllableIds.size) syllableIds.set(s, id);
  }
  idOfCode[code] = id >= 0 ? id + 1 : -1;
  return id;
}

/** One phrase by sound: as written, its normalised characters, and its syllables as ids. */
interface Sounded {
  phrase: string;
  chars: string;
  ids: Int32Array;
}

/** find's scratch space, reused from text to text: each syllable's id, and the index of its character in the text. */
const idsAt = new Int32Array(SOUND_SCAN);
const charAtSyllable = new Int32Array(SOUND_SCAN);

/**
 * Whether at least half of a phrase's characters stand as written where its syllables were heard,
 * from the text's index `from` (ASR misses a character, 报歉; 到前 is not 道歉, nor 前一 歉意).
 */
function halfAsWritten(text: string, from: number, chars: string): boolean {
  let same = 0;
  let k = from;
  for (const ch of chars) {
    // Syllables skip non-Han characters: step over them as the sound did.
    while (k < text.length && syllable(text.charCodeAt(k)) === undefined) k++;
    if (text[k] === ch) same++;
    k++;
  }
  return same * 2 >= chars.length;
}

/**
 * Literal phrases of Han characters (two or more), found by their sound: 非常报歉 holds 抱歉. Used as a
 * second look where the phrases as written were not found, never first (it is slower, and looser).
 *
 * A text is read as the ids of its syllables (every Han character pinyin-pro reads has one syllable, no
 * space in it), and at each only the phrases starting with that syllable are tried: what a search of the
 * text's syllables spelt out (" fei chang bao qian ") for the phrases' (" bao qian ") finds, without
 * spelling either out.
 */
export class HomophoneMatcher {
  /** The phrases by the id of their first syllable: one phrase a sound (the first written with it). */
  private readonly byFirst = new Map<number, Sounded[]>();

  constructor(phrases: readonly string[]) {
    const seen = new Set<string>();
    for (const phrase of phrases) {
      if (phrase.startsWith('/')) continue;
      const text = normaliseText(phrase).text;
      // Only phrases that are all Han and at least two characters: one syllable alone matches too much.
      if (text.length < 2 || [...text].some((ch) => !HAN.test(ch))) continue;
      const ids: number[] = [];
      for (let i = 0; i < text.length; i++) {
        const id = syllableId(text.charCodeAt(i));
        if (id >= 0) ids.push(id);
      }
      const sound = ids.join(' ');
      if (ids.length === 0 || seen.has(sound)) continue;
      seen.add(sound);
      const first = ids[0] as number;
      const list = this.byFirst.get(first);
      const sounded = { phrase, chars: text, ids: Int32Array.from(ids) };
      if (list) list.push(sounded);
      else this.byFirst.set(first, [sounded]);
    }
  }

  /**
   * A phrase whose syllables occur in the text's with at least half its characters as written (ASR
   * misses a character, 报歉; 到前 is not 道歉, nor 前一 歉意), or undefined. Of several, the one whose
   * syllables end first in the text, the longer at a tie.
   */
  find(normalisedText: string): string | undefined {
    if (this.byFirst.size === 0) return undefined;
    // A text longer than SOUND_SCAN is read by sound at its two ends only (bounded work on an unsplit dump).
    if (normalisedText.length > SOUND_SCAN) {
      const half = SOUND_SCAN / 2;
      return this.find(normalisedText.slice(0, half)) ?? this.find(normalisedText.slice(-half));
    }
    let n = 0;
    for (let i = 0; i < normalisedText.length; i++) {
      const id = syllableId(normalisedText.charCodeAt(i));
      if (id < 0) continue;
      idsAt[n] = id;
      charAtSyllable[n] = i;
      n++;
    }
    let best: Sounded | undefined;
    let bestEnd = 0;
    for (let s = 0; s < n; s++) {
      const list = this.byFirst.get(idsAt[s] as number);
      if (list === undefined) continue;
      for (const p of list) {
        const length = p.ids.length;
        const end = s + length;
        if (end > n) continue;
        // Found already: one ending earlier, or as early and at least as long.
        if (best !== undefined && (end > bestEnd || (end === bestEnd && length <= best.ids.length))) continue;
        let k = 1;
        while (k < length && idsAt[s + k] === p.ids[k]) k++;
        if (k < length || !halfAsWritten(normalisedText, charAtSyllable[s] as number, p.chars)) continue;
        best = p;
        bestEnd = end;
      }
    }
    return best?.phrase;
  }
}
