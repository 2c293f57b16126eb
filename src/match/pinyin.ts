import { isRegexPhrase, type Occurrence, PhraseMatcher } from './phrases.js';
import { phrasesReadings, readingsOf } from './pinyin-reader.js';
import { normaliseText } from '../normalise/text.js';

/**
 * Homophone-tolerant matching (ASR writes 感谢您的来电 as 干些您的来电, 很高兴 as 很高心): a literal
 * phrase of Han characters also matches a stretch of text whose characters sound like its own, tones
 * ignored and the sounds ASR and southern accents mix up folded together (zh/z, ch/c, sh/s, n/l, -ng/-n,
 * 您/你). Phrases of fewer than MIN_SYLLABLES characters are never matched by sound: two syllables have too
 * many homophones (祝您 / 注音, 感谢 / 赶写).
 */
export const MIN_SYLLABLES = 3;

/** One syllable, toneless, with the sounds ASR confuses folded together. */
export function foldSyllable(syllable: string): string {
  let s = syllable.toLowerCase().replace(/ü/g, 'v');
  if (s === 'nin') s = 'ni'; // 您 / 你
  s = s.replace(/ng$/, 'n'); // -ang/-an, -eng/-en, -ing/-in (高兴 / 高心)
  s = s.replace(/^([zcs])h/, '$1'); // zh/z, ch/c, sh/s
  if (s.startsWith('n')) s = `l${s.slice(1)}`; // n/l
  return s;
}

const HAN = /^\p{Script=Han}$/u;

/** Characters of one text read by sound at most (its first and last halves of this, when longer). */
export const SOUND_SCAN = 2000;

/** Each folded syllable met (in a phrase or a character's readings) as a small number, so that readings compare as integers. */
const syllableIds = new Map<string, number>();

function syllableId(syllable: string): number {
  let id = syllableIds.get(syllable);
  if (id === undefined) {
    id = syllableIds.size;
    syllableIds.set(syllable, id);
  }
  return id;
}

const NO_READINGS = new Int32Array(0);
/** The readings of every character read so far; of a code point under U+10000 at 1 less than the number at its place in readingsOfBmp, of the others by code point. */
const readingsRead: Int32Array[] = [];
const readingsOfBmp = new Int32Array(0x10000);
const readingsOfAstral = new Map<number, Int32Array>();

/**
 * Every reading of one character (a code point, or a lone surrogate), folded, as syllable ids (还: hai,
 * huan); none for a character that is not Han. The text is read without context, so a polyphone matches
 * any of its readings.
 */
function readings(code: number): Int32Array {
  if (code < 0x10000) {
    const at = readingsOfBmp[code] as number;
    if (at > 0) return readingsRead[at - 1] as Int32Array;
  }
  let keys = code < 0x10000 ? undefined : readingsOfAstral.get(code);
  if (keys === undefined) {
    const char = String.fromCodePoint(code);
    if (HAN.test(char)) {
      keys = Int32Array.from(new Set(readingsOf(char).map(foldSyllable)), syllableId);
    } else keys = NO_READINGS;
    if (code < 0x10000) readingsOfBmp[code] = readingsRead.push(keys);
    else readingsOfAstral.set(code, keys);
  }
  return keys;
}

function includes(readings: Int32Array, key: number): boolean {
  for (let r = 0; r < readings.length; r++) if (readings[r] === key) return true;
  return false;
}

const SURROGATE = /[\ud800-\udfff]/;
const MAY_START = 1;
const NO_START = 2;

/** Occurrences listed phrase by phrase (a stable sort: each phrase's occurrences stay in text order). */
function sorted(found: { index: number; occ: Occurrence }[] | undefined): Occurrence[] {
  if (found === undefined) return [];
  if (found.length > 1) found.sort((a, b) => a.index - b.index);
  return found.map((f) => f.occ);
}

/** scan's scratch space, reused from text to text: each character's start (code units) and readings. */
let startAt = new Int32Array(SOUND_SCAN + 1);
const readingsAt: Int32Array[] = [];

/** Whether a phrase is matched by sound: literal, Han characters only, at least MIN_SYLLABLES of them. */
export function soundsMatchable(normalised: string): boolean {
  const chars = [...normalised];
  return chars.length >= MIN_SYLLABLES && chars.every((c) => HAN.test(c));
}

interface Compiled {
  phrase: string;
  /** Its place among the matcher's phrases (occurrences are listed phrase by phrase). */
  index: number;
  /** The phrase's syllables in context (还有 is hai you), folded, as syllable ids: one a character, so at least MIN_SYLLABLES. */
  keys: Int32Array;
}

/** The compiled phrases by the id of their first syllable. */
type ByFirstKey = (Compiled[] | undefined)[];

/**
 * Phrases matched by sound. The phrases' pinyin is compiled once, on first use, and kept with the
 * matcher (which lives as long as the rubric); text is read only when asked, character by character
 * (each character's readings are looked up once per process).
 */
export class PinyinMatcher {
  /** The phrases (as written) this matcher reads by sound. */
  readonly phrases: readonly string[];
  private readonly normalised: readonly string[];
  private compiled: ByFirstKey | undefined;
  /** By code unit: whether one of its readings is the first syllable of a phrase (MAY_START), or not (NO_START), or not yet known (0). */
  private starts: Uint8Array | undefined;

  constructor(phrases: readonly string[]) {
    const kept: string[] = [];
    const texts: string[] = [];
    const seen = new Set<string>();
    for (const p of phrases) {
      if (isRegexPhrase(p)) continue;
      const text = normaliseText(p).text;
      if (!soundsMatchable(text) || seen.has(text)) continue;
      seen.add(text);
      kept.push(p);
      texts.push(text);
    }
    this.phrases = kept;
    this.normalised = texts;
  }

  get size(): number {
    return this.phrases.length;
  }

  private compile(): ByFirstKey {
    if (this.compiled === undefined) {
      const compiled = phrasesReadings(this.normalised).map(
        (readings, index): Compiled => ({
          phrase: this.phrases[index] as string,
          index,
          keys: Int32Array.from(readings, (s) => syllableId(foldSyllable(s))),
        }),
      );
      // Every first syllable has its id by now: one place each, none left a hole.
      const byFirst: ByFirstKey = new Array(syllableIds.size).fill(undefined);
      for (const c of compiled) {
        const first = c.keys[0] as number;
        const list = byFirst[first];
        if (list) list.push(c);
        else byFirst[first] = [c];
      }
      this.compiled = byFirst;
    }
    return this.compiled;
  }

  /**
   * Every stretch of normalised text that sounds like a phrase (Han characters only; punctuation breaks a
   * stretch). A text longer than SOUND_SCAN characters is read by sound only at its two ends, where the
   * greeting and the closing are: an unsplit ASR dump of a million characters costs no more than a turn.
   */
  findAll(text: string): Occurrence[] {
    if (this.phrases.length === 0) return [];
    if (text.length <= SOUND_SCAN) return this.scan(text, 0);
    const half = SOUND_SCAN / 2;
    return [...this.scan(text.slice(0, half), 0), ...this.scan(text.slice(-half), text.length - half)];
  }

  /**
   * findAll on a stretch of text that starts at `offset` in the whole: the text's characters are read once,
   * and at each only the phrases whose first syllable is one of its readings are tried. Occurrences are
   * listed phrase by phrase, each phrase's from left to right.
   */
  private scan(text: string, offset: number): Occurrence[] {
    const byFirst = this.compile();
    if (!SURROGATE.test(text)) return this.scanBmp(text, offset, byFirst);
    if (startAt.length <= text.length) startAt = new Int32Array(text.length + 1);
    let n = 0;
    for (let i = 0; i < text.length; n++) {
      const code = text.codePointAt(i) as number;
      startAt[n] = i;
      readingsAt[n] = readings(code);
      i += code > 0xffff ? 2 : 1;
    }
    startAt[n] = text.length;
    let found: { index: number; occ: Occurrence }[] | undefined;
    for (let s = 0; s < n; s++) {
      const here = readingsAt[s] as Int32Array;
      for (let r = 0; r < here.length; r++) {
        const first = here[r] as number;
        const phrases = first < byFirst.length ? byFirst[first] : undefined;
        if (phrases === undefined) continue;
        for (const { phrase, index, keys } of phrases) {
          if (s + keys.length > n) continue;
          let k = 1;
          while (k < keys.length && includes(readingsAt[s + k] as Int32Array, keys[k] as number)) k++;
          if (k < keys.length) continue;
          found ??= [];
          found.push({ index, occ: { start: offset + (startAt[s] as number), end: offset + (startAt[s + k] as number), phrase } });
        }
      }
    }
    return sorted(found);
  }

  /**
   * scan on text without surrogates (a character a code unit): the same occurrences in the same order, each
   * character's readings looked up only where a phrase may go on, and a character that begins no phrase's
   * first syllable (most of them: a table by code unit, filled in as characters are met) passed over at once.
   */
  private scanBmp(text: string, offset: number, byFirst: ByFirstKey): Occurrence[] {
    this.starts ??= new Uint8Array(0x10000);
    const starts = this.starts;
    const n = text.length;
    let found: { index: number; occ: Occurrence }[] | undefined;
    for (let s = 0; s < n; s++) {
      const code = text.charCodeAt(s);
      let start = starts[code] as number;
      if (start === 0) {
        start = NO_START;
        const here = readings(code);
        for (let r = 0; r < here.length; r++) {
          const first = here[r] as number;
          if (first < byFirst.length && byFirst[first] !== undefined) start = MAY_START;
        }
        starts[code] = start;
      }
      if (start === NO_START) continue;
      const here = readings(code);
      for (let r = 0; r < here.length; r++) {
        const first = here[r] as number;
        const phrases = first < byFirst.length ? byFirst[first] : undefined;
        if (phrases === undefined) continue;
        for (const { phrase, index, keys } of phrases) {
          if (s + keys.length > n) continue;
          let k = 1;
          while (k < keys.length && includes(readings(text.charCodeAt(s + k)), keys[k] as number)) k++;
          if (k < keys.length) continue;
          found ??= [];
          found.push({ index, occ: { start: offset + s, end: offset + s + k, phrase } });
        }
      }
    }
    return sorted(found);
  }

  test(text: string): boolean {
    return this.findAll(text).length > 0;
  }
}

/**
 * Phrases matched exactly (PhraseMatcher) and, when `pinyin` is on, by sound where none is found
 * exactly: the matcher of the greeting's and the closing's lists.
 */
export class TolerantMatcher {
  readonly exact: PhraseMatcher;
  readonly bySound: PinyinMatcher | undefined;

  constructor(phrases: readonly string[], { pinyin }: { pinyin: boolean }) {
    this.exact = new PhraseMatcher(phrases);
    this.bySound = pinyin ? new PinyinMatcher(phrases) : undefined;
  }

  get phrases(): readonly string[] {
    return this.exact.phrases;
  }

  /**
   * Exact occurrences; where there are none, those heard by sound (so that text said as written never
   * costs a pinyin reading).
   */
  findAll(text: string): Occurrence[] {
    const exact = this.exact.findAll(text);
    if (exact.length > 0 || !this.bySound || this.bySound.size === 0) return exact;
    return this.bySound.findAll(text);
  }

  test(text: string): boolean {
    return this.exact.test(text) || (this.bySound !== undefined && this.bySound.size > 0 && this.bySound.test(text));
  }
}
