import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isHanCode } from '../util/han.js';

/**
 * Word boundaries in Chinese text, so that a phrase matches words and not characters that happen to
 * sit side by side: 不行 is not in 不行驶 (不/行驶), 行 is not in 银行 or 行李, 请 is not in 请问 or 申请.
 *
 * Segmentation is jieba's (`@node-rs/jieba`: a dictionary with word frequencies, the segmenter most
 * Chinese NLP work uses), loaded on first need (~0.2 s, once per thread), and run only on the few
 * characters around a match, never on whole transcripts: a call without matches costs nothing here.
 * Where jieba cannot load (no prebuilt binary for the platform), ICU's dictionary segmenter
 * (`Intl.Segmenter`) stands in.
 *
 * A boundary is a cut of jieba's segmentation, or the edge of a dictionary word inside a long word
 * (jieba's search mode): 谢谢您 is one word to jieba, but 谢谢 ends inside it at a boundary of its own;
 * 银行卡 holds 银行, never 行.
 */

type Cut = (text: string) => string[];

/**
 * Words of jieba's dictionary seen at least this often in its corpus. The whole dictionary (349,000 words)
 * costs each worker thread ~54 MB; the 105,000 words seen 10 times or more cost ~21 MB and cut the same
 * everyday service talk (the rarest words, names of plants and places, only ever join characters a match
 * would have to cut through anyway).
 */
const MIN_WORD_FREQUENCY = 10;

/**
 * jieba's dictionary (lines "word frequency tag"), less the words seen under MIN_WORD_FREQUENCY times:
 * filtered as bytes, without making a string of each of its 349,000 lines.
 */
function commonWords(dictionary: Buffer): Buffer {
  const out = Buffer.allocUnsafe(dictionary.length);
  let length = 0;
  let start = 0;
  while (start < dictionary.length) {
    let end = dictionary.indexOf(0x0a, start);
    if (end < 0) end = dictionary.length;
    // The frequency: the digits after the first space.
    let i = dictionary.indexOf(0x20, start);
    let frequency = 0;
    if (i >= 0 && i < end) {
      for (i++; i < end && dictionary[i] !== undefined && (dictionary[i] as number) >= 0x30 && (dictionary[i] as number) <= 0x39; i++) {
        frequency = frequency * 10 + (dictionary[i] as number) - 0x30;
      }
    }
    if (frequency >= MIN_WORD_FREQUENCY) {
      length += dictionary.copy(out, length, start, end);
      out[length++] = 0x0a;
    }
    start = end + 1;
  }
  return out.subarray(0, length);
}

interface Segmenter {
  cut: Cut;
  /** The dictionary words inside a long word (jieba's search mode), the word itself among them. */
  inner: Cut;
}

let segmenter: Segmenter | undefined;

function load(): Segmenter {
  try {
    const require = createRequire(import.meta.url);
    const { Jieba } = require('@node-rs/jieba') as typeof import('@node-rs/jieba');
    const jieba = Jieba.withDict(commonWords(readFileSync(require.resolve('@node-rs/jieba/dict.txt'))));
    return { cut: (text) => jieba.cut(text, false), inner: (word) => jieba.cutForSearch(word, false) };
  } catch {
    const icu = new Intl.Segmenter('zh', { granularity: 'word' });
    const cut: Cut = (text) => Array.from(icu.segment(text), (s) => s.segment);
    return { cut, inner: () => [] };
  }
}

function isHan(text: string, i: number): boolean {
  return isHanCode(text.charCodeAt(i));
}

/** Characters of context each side of a match: enough for the segmenter to see the words around it. */
const CONTEXT = 12;

/** For each index 0…window.length, 1 where a word starts or ends. */
function boundaries(window: string): Uint8Array {
  segmenter ??= load();
  const marks = new Uint8Array(window.length + 1);
  marks[0] = 1;
  marks[window.length] = 1;
  let at = 0;
  for (const word of segmenter.cut(window)) {
    if (word.length >= 3) {
      for (const inner of segmenter.inner(word)) {
        if (inner.length >= word.length) continue;
        const i = word.indexOf(inner);
        if (i < 0) continue;
        marks[at + i] = 1;
        marks[at + i + inner.length] = 1;
      }
    }
    at += word.length;
    if (at > window.length) break;
    marks[at] = 1;
  }
  return marks;
}

/**
 * Windows segmented recently (an utterance is checked by several rules' phrase lists in turn, and the same
 * few thousand windows recur from call to call), with their boundaries as bits (bit i: index i): a two-way
 * set-associative table, a window's set chosen by a hash of its code units, so that a window is looked up
 * in the text where it lies, never cut out of it, and only windows of up to CACHED_LENGTH code units (all
 * of a match of a few characters and its context) are kept: under 1 MB.
 */
const CACHED_LENGTH = 31;
const SETS = 4096;
const cachedWindow: (string | undefined)[] = new Array(SETS * 2).fill(undefined);
const cachedMarks = new Int32Array(SETS * 2);

/** The set of the window [from, to) of `text`. */
function setOf(text: string, from: number, to: number): number {
  let h = to - from;
  for (let i = from; i < to; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x9e3779b1);
  return ((h ^ (h >>> 15)) & (SETS - 1)) * 2;
}

/** The boundaries of the window [from, to) of `text` (its length at most CACHED_LENGTH), as bits. */
function boundaryBits(text: string, from: number, to: number): number {
  const length = to - from;
  const set = setOf(text, from, to);
  const first = cachedWindow[set];
  if (first !== undefined && first.length === length && text.startsWith(first, from)) return cachedMarks[set] as number;
  const second = cachedWindow[set + 1];
  const secondMarks = cachedMarks[set + 1] as number;
  let bits = secondMarks;
  let window = second;
  if (second === undefined || second.length !== length || !text.startsWith(second, from)) {
    window = text.slice(from, to);
    const marks = boundaries(window);
    bits = 0;
    for (let i = 0; i <= length; i++) if (marks[i] === 1) bits |= 1 << i;
  }
  // The window just used first in its set, the other second (the least recently used one goes).
  cachedWindow[set + 1] = first;
  cachedMarks[set + 1] = cachedMarks[set] as number;
  cachedWindow[set] = window;
  cachedMarks[set] = bits;
  return bits;
}

/**
 * Whether [start, end) of `text` begins and ends at word boundaries. Only an edge between two Han
 * characters needs the segmenter: beside punctuation, digits, Latin letters or the ends of the text,
 * an edge is a boundary (Latin words keep matching as they always did: "thank" in "thanks").
 */
export function isWordAligned(text: string, start: number, end: number): boolean {
  const cutsStart = start > 0 && isHan(text, start - 1) && isHan(text, start);
  const cutsEnd = end < text.length && isHan(text, end - 1) && isHan(text, end);
  if (!cutsStart && !cutsEnd) return true;
  // The run of Han characters around the match, up to CONTEXT characters each side.
  let from = start;
  while (from > 0 && start - from < CONTEXT && isHan(text, from - 1)) from--;
  let to = end;
  while (to < text.length && to - end < CONTEXT && isHan(text, to)) to++;
  if (to - from > CACHED_LENGTH) {
    const marks = boundaries(text.slice(from, to));
    return (!cutsStart || marks[start - from] === 1) && (!cutsEnd || marks[end - from] === 1);
  }
  const bits = boundaryBits(text, from, to);
  return (!cutsStart || ((bits >>> (start - from)) & 1) === 1) && (!cutsEnd || ((bits >>> (end - from)) & 1) === 1);
}
