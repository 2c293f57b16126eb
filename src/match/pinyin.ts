import { createRequire } from 'node:module';
import { isRegexPhrase, type Occurrence, PhraseMatcher } from './phrases.js';
import { normaliseText } from '../normalise/text.js';

/**
 * Homophone-tolerant matching (ASR writes 感谢您的来电 as 干些您的来电, 很高兴 as 很高心): a literal
 * phrase of Han characters also matches a stretch of text whose characters sound like its own, tones
 * ignored and the sounds ASR and southern accents mix up folded together (zh/z, ch/c, sh/s, n/l, -ng/-n,
 * 您/你). Phrases of fewer than MIN_SYLLABLES characters are never matched by sound: two syllables have too
 * many homophones (祝您 / 注音, 感谢 / 赶写).
 */
export const MIN_SYLLABLES = 3;

type PinyinFn = (text: string, options: Record<string, unknown>) => string[];
let pinyinFn: PinyinFn | undefined;

/** `pinyin-pro`, loaded on first use (~45 ms): only rubrics that match by sound, and only when exact matching missed, pay it. */
export function pinyinOf(): PinyinFn {
  pinyinFn ??= (createRequire(import.meta.url)('pinyin-pro') as { pinyin: PinyinFn }).pinyin;
  return pinyinFn;
}

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
const NONE: readonly string[] = [];

/** Characters of one text read by sound at most (its first and last halves of this, when longer). */
export const SOUND_SCAN = 2000;
const readingsByChar = new Map<string, readonly string[]>();

/** Every reading of one Han character, folded (还: hai, huan): the text is read without context, so a polyphone matches any of its readings. */
function readings(char: string): readonly string[] {
  let keys = readingsByChar.get(char);
  if (keys === undefined) {
    const all = pinyinOf()(char, { toneType: 'none', type: 'array', multiple: true, v: true });
    keys = [...new Set(all.map(foldSyllable))];
    readingsByChar.set(char, keys);
  }
  return keys;
}

/** Whether a phrase is matched by sound: literal, Han characters only, at least MIN_SYLLABLES of them. */
export function soundsMatchable(normalised: string): boolean {
  const chars = [...normalised];
  return chars.length >= MIN_SYLLABLES && chars.every((c) => HAN.test(c));
}

interface Compiled {
  phrase: string;
  /** The phrase's syllables in context (还有 is hai you), folded. */
  keys: string[];
}

/**
 * Phrases matched by sound. The phrases' pinyin is compiled once, on first use, and kept with the
 * matcher (which lives as long as the rubric); text is read only when asked, character by character
 * (each character's readings are looked up once per process).
 */
export class PinyinMatcher {
  /** The phrases (as written) this matcher reads by sound. */
  readonly phrases: readonly string[];
  private readonly normalised: readonly string[];
  private compiled: Compiled[] | undefined;

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

  private compile(): Compiled[] {
    this.compiled ??= this.normalised.map((text, i) => ({
      phrase: this.phrases[i] as string,
      keys: pinyinOf()(text, { toneType: 'none', type: 'array', v: true }).map(foldSyllable),
    }));
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

  /** findAll on a stretch of text that starts at `offset` in the whole. */
  private scan(text: string, offset: number): Occurrence[] {
    const compiled = this.compile();
    const found: Occurrence[] = [];
    // Each character's start (code units) and readings; a character that is not Han has none.
    const starts: number[] = [];
    const keysAt: (readonly string[])[] = [];
    let i = 0;
    for (const char of text) {
      starts.push(i);
      keysAt.push(HAN.test(char) ? readings(char) : NONE);
      i += char.length;
    }
    starts.push(i);
    for (const { phrase, keys } of compiled) {
      for (let s = 0; s + keys.length <= keysAt.length; s++) {
        let k = 0;
        while (k < keys.length && keysAt[s + k]?.includes(keys[k] as string)) k++;
        if (k === keys.length) found.push({ start: offset + (starts[s] as number), end: offset + (starts[s + k] as number), phrase });
      }
    }
    return found;
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
   * costs a pinyin reading, and pinyin-pro is loaded only for text that needs it).
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
