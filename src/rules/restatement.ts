import { PhraseMatcher } from '../match/phrases.js';
import { syllable } from './homophones.js';

/**
 * Content overlap between an agent's clause and what the customer said, for confirm-understanding: the
 * Han characters left once function words (我, 的, 了, 一下, 这个…) are taken out, compared as pairs of
 * neighbouring characters (bigrams: 多扣, 扣五, 五十) read by their sound, so that ASR's homophones
 * (宽代 for 宽带) still meet, and as single characters. Digits and Latin letters are no content: reading
 * back a phone number restates no need. Linear in the text.
 */

const HAN = /\p{Script=Han}/u;

const characterwiseOf = new WeakMap<PhraseMatcher, WeakMap<PhraseMatcher, PhraseMatcher>>();
const NO_EXTRA = new PhraseMatcher([]);

/**
 * Function words (and any extra list) matched as characters, wherever they stand, not as words: the
 * same character must go from every text alike (的 from 的话费 as from 我的), or the two sides of a
 * comparison would keep different characters. Built once per rubric.
 */
export function characterwise(functionWords: PhraseMatcher, extra: PhraseMatcher = NO_EXTRA): PhraseMatcher {
  let byExtra = characterwiseOf.get(functionWords);
  if (!byExtra) {
    byExtra = new WeakMap();
    characterwiseOf.set(functionWords, byExtra);
  }
  let m = byExtra.get(extra);
  if (!m) {
    m = new PhraseMatcher([...functionWords.phrases, ...extra.phrases], { words: false });
    byExtra.set(extra, m);
  }
  return m;
}

/** The content characters of text[from, to): Han characters outside function words (see characterwise), in order. */
export function contentOf(text: string, functionWords: PhraseMatcher, from = 0, to = text.length): string {
  const slice = from === 0 && to === text.length ? text : text.slice(from, to);
  let out = '';
  let next = 0;
  for (const occ of functionWords.find(slice)) {
    out += hanOnly(slice, next, occ.start);
    next = Math.max(next, occ.end);
  }
  return out + hanOnly(slice, next, slice.length);
}

function hanOnly(text: string, from: number, to: number): string {
  let out = '';
  for (let i = from; i < to; i++) {
    const ch = text[i] as string;
    if (HAN.test(ch)) out += ch;
  }
  return out;
}

/** The sound of a pair of neighbouring content characters: the unit the overlap counts. */
export function bigrams(content: string): Set<string> {
  const keys = new Set<string>();
  for (let i = 0; i + 1 < content.length; i++) keys.add(`${soundOf(content, i)} ${soundOf(content, i + 1)}`);
  return keys;
}

function soundOf(content: string, i: number): string {
  return syllable(content.charCodeAt(i)) ?? (content[i] as string);
}

/** What the customer has said so far, added turn by turn as the call is read. */
export class CustomerContent {
  readonly bigrams = new Set<string>();
  readonly chars = new Set<string>();
  /** Each customer turn's own bigrams (turns with any), for a short need echoed whole (我要退货 → 退货，对吗). */
  readonly turns: Set<string>[] = [];

  add(content: string): void {
    const own = bigrams(content);
    for (const k of own) this.bigrams.add(k);
    for (const ch of content) this.chars.add(ch);
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

/** The overlap of a clause's content with the customer's. */
export function overlap(content: string, customer: CustomerContent): Overlap {
  const own = bigrams(content);
  let shared = 0;
  for (const k of own) if (customer.bigrams.has(k)) shared++;
  let runs = 0;
  let inRun = false;
  for (let i = 0; i + 1 < content.length; i++) {
    const hit = customer.bigrams.has(`${soundOf(content, i)} ${soundOf(content, i + 1)}`);
    if (hit && !inRun) runs++;
    inRun = hit;
  }
  let chars = 0;
  for (const ch of new Set(content)) if (customer.chars.has(ch)) chars++;
  let covers = false;
  if (shared > 0) {
    for (const turn of customer.turns) {
      let inTurn = 0;
      for (const k of turn) if (own.has(k)) inTurn++;
      if (inTurn * 2 >= turn.size) {
        covers = true;
        break;
      }
    }
  }
  return { shared, runs, chars, covers };
}
