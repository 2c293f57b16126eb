import { PhraseMatcher } from '../match/phrases.js';
import { normaliseText } from '../normalise/text.js';
import { syllable } from './homophones.js';
import { memoPair } from '../util/memo.js';
import { isHanCode } from '../util/han.js';

/**
 * Content overlap between an agent's clause and what the customer said, for confirm-understanding: the
 * Han characters left once function words (我, 的, 了, 一下, 这个…) are taken out, compared as pairs of
 * neighbouring characters (bigrams: 多扣, 扣五, 五十) read by their sound, so that ASR's homophones
 * (宽代 for 宽带) still meet, and as single characters. Digits and Latin letters are no content: reading
 * back a phone number restates no need. Linear in the text.
 */

/**
 * Function words (and any extra list) taken out as characters, wherever they stand, not as words: the
 * same character must go from every text alike (的 from 的话费 as from 我的), or the two sides of a
 * comparison would keep different characters. Single characters are a table (no search, nothing made
 * per hit: 的 and 了 are everywhere), longer words one automaton. Built once per rubric.
 */
export class ContentFilter {
  private readonly single = new Uint8Array(0x10000);
  private readonly multi: PhraseMatcher | undefined;

  constructor(words: readonly string[]) {
    const longer: string[] = [];
    for (const w of words) {
      const text = normaliseText(w).text;
      if (text.length === 1) this.single[text.charCodeAt(0)] = 1;
      else if (text.length > 1) longer.push(text);
    }
    this.multi = longer.length > 0 ? new PhraseMatcher(longer, { normalised: true, words: false }) : undefined;
  }

  /** The content characters of text[from, to): Han characters outside function words, in order (taken a run at a time). */
  contentOf(text: string, from = 0, to = text.length): string {
    const slice = from === 0 && to === text.length ? text : text.slice(from, to);
    const words = this.multi?.find(slice) ?? [];
    let out = '';
    /** Where the run of content characters being read starts (-1: none). */
    let run = -1;
    let w = 0;
    for (let i = 0; i < slice.length; i++) {
      while (w < words.length && (words[w] as { end: number }).end <= i) w++;
      const word = words[w];
      const code = slice.charCodeAt(i);
      if ((word === undefined || word.start > i) && this.single[code] === 0 && isHanCode(code)) {
        if (run < 0) run = i;
      } else if (run >= 0) {
        out += slice.slice(run, i);
        run = -1;
      }
    }
    return run < 0 ? out : run === 0 ? slice : out + slice.slice(run);
  }
}

const filters = memoPair(
  (functionWords: PhraseMatcher, extra: PhraseMatcher) => new ContentFilter([...functionWords.phrases, ...extra.phrases].filter((p) => !p.startsWith('/'))),
);
const NO_EXTRA = new PhraseMatcher([]);

/** The content filter of a list of function words and any extra list (built once per pair of option values). */
export function characterwise(functionWords: PhraseMatcher, extra: PhraseMatcher = NO_EXTRA): ContentFilter {
  return filters(functionWords, extra);
}

/** The content characters of text[from, to) (see ContentFilter). */
export function contentOf(text: string, filter: ContentFilter, from = 0, to = text.length): string {
  return filter.contentOf(text, from, to);
}

/** Each sound (a syllable, or a character pinyin cannot read) as a small number, assigned on first sight. */
const soundIds = new Map<string, number>();
/** Code unit → its sound's number + 1 (0: not read yet); a table, not a Map, as it is read twice a pair. */
const idOfCode = new Int32Array(0x10000);

/** The sound of a code unit as a number (the same for two characters read alike), for comparing sounds without strings. */
export function soundId(code: number): number {
  const known = idOfCode[code] as number;
  if (known !== 0) return known - 1;
  const sound = syllable(code) ?? String.fromCharCode(code);
  let id = soundIds.get(sound);
  if (id === undefined) {
    id = soundIds.size;
    soundIds.set(sound, id);
  }
  idOfCode[code] = id + 1;
  return id;
}

/**
 * What HomophoneMatcher (homophones.ts) may find in a text, ruled out cheaply: it finds a phrase only where the
 * text's syllables (its Han characters, others skipped) hold all of the phrase's in a row, so a text whose syllables
 * hold no pair of neighbouring syllables of any phrase in a row holds no phrase by sound. One pair a phrase (of its
 * pairs, the one with fewest of the syllables every reply is full of: 您的心情 → xin qing, not nin de; the last at a
 * tie), looked up a character as sound numbers, where the reader spells the whole text out as pinyin.
 */
export class SoundPairs {
  /** Pair keys; null when a phrase the reader keeps has fewer than two syllables (nothing can be ruled out). */
  private readonly pairs: Set<number> | null;

  constructor(phrases: readonly string[]) {
    this.pairs = soundPairsOf(phrases);
  }

  /** False only where HomophoneMatcher.find over the same phrases finds nothing. */
  mayHold(text: string): boolean {
    const pairs = this.pairs;
    if (pairs === null) return true;
    let before = -1;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (!isHanCode(code) || syllable(code) === undefined) continue;
      const id = soundId(code);
      if (before >= 0 && pairs.has(before * SOUND_PAIR + id)) return true;
      before = id;
    }
    return false;
  }
}

/** A pair's key: two sound numbers (keys of two pairs may meet past 0xffff sounds: then a text is read for nothing, never skipped). */
const SOUND_PAIR = 0x10000;
const HAN = /\p{Script=Han}/u;
/** Syllables of the words every reply is full of (您, 你, 我, 的, 是, 了, 不, 们…): a pair of them rules little out. */
const COMMON_SYLLABLES = new Set(['nin', 'ni', 'wo', 'de', 'shi', 'le', 'bu', 'men', 'zhe', 'na', 'you', 'yi', 'ge', 'hao', 'gei', 'wei']);

function soundPairsOf(phrases: readonly string[]): Set<number> | null {
  const pairs = new Set<number>();
  for (const phrase of phrases) {
    if (phrase.startsWith('/')) continue;
    const text = normaliseText(phrase).text;
    const ids: number[] = [];
    const common: number[] = [];
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      const sound = syllable(code);
      if (sound === undefined) continue;
      ids.push(soundId(code));
      common.push(COMMON_SYLLABLES.has(sound) ? 1 : 0);
    }
    // One syllable or none: the reader leaves out a phrase of fewer than two Han characters, but not one whose
    // characters pinyin cannot all read.
    if (ids.length < 2) {
      if (text.length >= 2 && [...text].every((ch) => HAN.test(ch))) return null;
      continue;
    }
    let best = 0;
    for (let k = 1; k + 1 < ids.length; k++) {
      if ((common[k] as number) + (common[k + 1] as number) <= (common[best] as number) + (common[best + 1] as number)) best = k;
    }
    pairs.add((ids[best] as number) * SOUND_PAIR + (ids[best + 1] as number));
  }
  return pairs;
}

/** The key of the pair of neighbouring content characters at i: a number (no string made per pair). */
function pairKey(content: string, i: number): number {
  return soundId(content.charCodeAt(i)) * 0x10000 + soundId(content.charCodeAt(i + 1));
}

/** The sounds of the pairs of neighbouring content characters: the unit the overlap counts. */
export function bigrams(content: string): Set<number> {
  const keys = new Set<number>();
  for (let i = 0; i + 1 < content.length; i++) keys.add(pairKey(content, i));
  return keys;
}

/** What the customer has said so far, added turn by turn as the call is read. */
export class CustomerContent {
  readonly bigrams = new Set<number>();
  /** Content characters, by code unit (content holds Han characters of the BMP only: one unit each). */
  readonly chars = new Set<number>();
  /** Each customer turn's own bigrams (turns with any), for a short need echoed whole (我要退货 → 退货，对吗). */
  readonly turns: Set<number>[] = [];

  add(content: string): void {
    const own = bigrams(content);
    for (const k of own) this.bigrams.add(k);
    for (let i = 0; i < content.length; i++) this.chars.add(content.charCodeAt(i));
    if (own.size > 0) this.turns.push(own);
  }
}

/** How much an agent's clause shares with what the customer said. */
export interface Overlap {
  /** Bigrams the clause shares with the customer's turns. */
  shared: number;
  /**
   * Stretches of the clause the shared bigrams make: 洗衣机 shared alone is one stretch (a topic named), 上个月话费…
   * 多扣…五十 several (a matter restated).
   */
  runs: number;
  /** Distinct content characters it shares. */
  chars: number;
  /** It holds at least half the bigrams of one of the customer's turns (a short need repeated back). */
  covers: boolean;
}

/** The distinct pair keys of the clause being measured (a clause is short: a list searched, no Set made per clause). */
let ownKeys = new Float64Array(64);

/** The overlap of a clause's content with the customer's. */
export function overlap(content: string, customer: CustomerContent): Overlap {
  // Each pair's key once, and whether the customer said it.
  if (ownKeys.length < content.length) ownKeys = new Float64Array(2 * content.length);
  const own = ownKeys;
  let distinct = 0;
  let shared = 0;
  let runs = 0;
  let inRun = false;
  for (let i = 0; i + 1 < content.length; i++) {
    const key = pairKey(content, i);
    const hit = customer.bigrams.has(key);
    if (hit && !inRun) runs++;
    inRun = hit;
    let seen = false;
    for (let j = 0; j < distinct; j++) {
      if (own[j] === key) {
        seen = true;
        break;
      }
    }
    if (seen) continue;
    own[distinct++] = key;
    if (hit) shared++;
  }
  // Distinct shared characters: a code unit counted where it first occurs (content is Han of the BMP, a unit each).
  let chars = 0;
  for (let i = 0; i < content.length; i++) {
    const code = content.charCodeAt(i);
    if (!customer.chars.has(code)) continue;
    let first = true;
    for (let j = 0; j < i; j++) {
      if (content.charCodeAt(j) === code) {
        first = false;
        break;
      }
    }
    if (first) chars++;
  }
  let covers = false;
  if (shared > 0) {
    for (const turn of customer.turns) {
      // The keys both hold, counted over the clause's (fewer than a turn's, as a rule).
      let inTurn = 0;
      for (let j = 0; j < distinct; j++) if (turn.has(own[j] as number)) inTurn++;
      if (inTurn * 2 >= turn.size) {
        covers = true;
        break;
      }
    }
  }
  return { shared, runs, chars, covers };
}
