import type { PreparedCall } from '../model/call.js';
import { normaliseText } from '../normalise/text.js';

/**
 * Checking the model's quotes against the call. A quote is verified when it occurs in ONE
 * utterance once both are normalised the same way: Traditional → Simplified, full-width →
 * half-width, lower case (`normaliseText`), then every space, punctuation mark and symbol
 * removed — so "您好，很高兴为您服务" matches "您好 很高興為您服務!".
 *
 * Decisions:
 * - Within one utterance only: a quote stitched from two turns is not something anybody said.
 * - A quote may leave words out with an ellipsis (…, ……, ..., ⋯): every fragment must then occur
 *   in the same utterance, in order, and each fragment must have at least 2 characters (so "好…的"
 *   cannot match nearly anything).
 * - A leading "[mm:ss]" and "坐席："/"客户：" label (as the transcript showed them) are ignored.
 * - The model saw personal numbers masked (138****5678, 一三八****五六七八): each "*" in a quote
 *   stands for exactly one digit (0-9, a Chinese numeral, an ID's X) or a literal "*", so a
 *   quote of the masked transcript verifies against the original, and nothing else does.
 * - A quote with fewer than 2 characters after normalisation is rejected.
 */

/** A masked digit in a quote. */
const MASK = '*';
/** What a masked digit may stand for in the normalised original (normaliseText makes 兩 → 两, Ｘ → x). */
const MASKED_DIGIT = '[0-9零〇一二三四五六七八九幺两x叉*]';
/** Spaces, punctuation and symbols, except "*" (a masked digit). */
const IGNORED = /[\s\p{P}\p{S}\p{Z}\p{Cc}\p{Cf}]/gu;
const ELLIPSIS = /…+|⋯+|\.{2,}|。{3,}/u;
const LEAD = /^\s*(?:\[\s*\d{1,3}:\d{2}(?::\d{2})?\s*\]\s*)?(?:(?:坐席|客户|客戶)\s*[：:]\s*)?/u;
const MIN_FRAGMENT = 2;

/** Normalised text without spaces, punctuation and symbols ("*" kept). */
export function compactText(text: string): string {
  return normaliseText(text).text.replace(IGNORED, (ch) => (ch === MASK ? ch : ''));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** A regular expression for one compact fragment: "*" matches one digit (or a literal "*"). */
function fragmentPattern(fragment: string): string {
  let out = '';
  for (const ch of fragment) out += ch === MASK ? MASKED_DIGIT : escapeRegExp(ch);
  return out;
}

/** The compact fragments of a quote, or undefined when it cannot be checked. */
function quoteMatcher(quote: string): RegExp | undefined {
  const fragments = quote
    .replace(LEAD, '')
    .split(ELLIPSIS)
    .map(compactText)
    .filter((f) => f !== '');
  if (fragments.length === 0) return undefined;
  if (fragments.some((f) => [...f].length < MIN_FRAGMENT)) return undefined;
  return new RegExp(fragments.map(fragmentPattern).join('.*?'), 'u');
}

export interface QuoteCheck {
  /** Quotes found in the transcript, as the model gave them (trimmed, duplicates dropped), in order. */
  verified: string[];
  /** Quotes not found (fabricated, paraphrased, stitched across turns, too short). */
  rejected: string[];
}

/** Sorts the model's quotes into those found in the call and those not (see the module notes). */
export function verifyQuotes(quotes: readonly string[], call: PreparedCall): QuoteCheck {
  const haystacks = call.utterances.map((u) => u.norm.text.replace(IGNORED, (ch) => (ch === MASK ? ch : '')));
  const verified: string[] = [];
  const rejected: string[] = [];
  for (const raw of quotes) {
    const quote = raw.trim();
    const matcher = quoteMatcher(quote);
    const found = matcher !== undefined && haystacks.some((h) => matcher.test(h));
    const list = found ? verified : rejected;
    if (!list.includes(quote)) list.push(quote);
  }
  return { verified, rejected };
}
