import { CHAR_READINGS, READ_ALONE, RULE_WORDS, WORDS } from './pinyin-table.js';

/**
 * pinyin-pro's toneless readings, from its data (pinyin-table.ts, generated from it by scripts/pinyin-table.mjs)
 * in place of pinyin-pro itself: loaded, pinyin-pro's dictionaries and word automaton cost every thread that reads
 * by sound ~26 MB, where the table costs under 1 MB. Each function gives what the pinyin-pro call it names gives
 * (test/match/pinyin-reader.test.ts compares them on every Han character and on phrases).
 */

/** Each character's readings, by code point: the index of its list in `lists`, + 1, for the BMP; the rest in a Map. */
interface CharTable {
  lists: (readonly string[])[];
  bmp: Uint16Array;
  astral: Map<number, number>;
  alone: Map<string, string>;
}

let table: CharTable | undefined;

function charTable(): CharTable {
  if (table !== undefined) return table;
  const lists: (readonly string[])[] = [];
  const bmp = new Uint16Array(0x10000);
  const astral = new Map<number, number>();
  let last = '';
  for (const line of CHAR_READINGS) {
    const colon = line.indexOf(':');
    const readings = line.slice(0, colon);
    if (readings !== last) lists.push(readings.split(' '));
    last = readings;
    for (const char of line.slice(colon + 1)) {
      const code = char.codePointAt(0) as number;
      if (code < 0x10000) bmp[code] = lists.length;
      else astral.set(code, lists.length);
    }
  }
  const alone = new Map<string, string>();
  for (const entry of READ_ALONE) {
    const colon = entry.indexOf(':');
    alone.set(entry.slice(0, colon), entry.slice(colon + 1));
  }
  table = { lists, bmp, astral, alone };
  return table;
}

/** A character's readings (toneless, with ü), the first its own; undefined for one pinyin-pro does not read. */
function known(char: string): readonly string[] | undefined {
  const { lists, bmp, astral } = charTable();
  const code = char.codePointAt(0) as number;
  const at = char.length === 1 || code > 0xffff ? (code < 0x10000 ? bmp[code] : astral.get(code)) : undefined;
  return at ? lists[at - 1] : undefined;
}

function withV(reading: string): string {
  return reading.replace(/ü/g, 'v');
}

/** `pinyin(char, { toneType: 'none', type: 'array', multiple: true, v: true })`: every reading of one character, or the character itself. */
export function readingsOf(char: string): string[] {
  const readings = known(char);
  return readings === undefined ? [char] : readings.map(withV);
}

/** `pinyin(char, { toneType: 'none', type: 'array' })[0]`: one character read alone, or the character itself. */
export function readingOf(char: string): string {
  return charTable().alone.get(char) ?? known(char)?.[0] ?? char;
}

/** The longest word pinyin-pro knows, in characters. */
const LONGEST_WORD = 5;

/** pinyin-pro's words: readings by word, and whether the word is a rule's (less likely) rather than the dictionary's. */
interface Word {
  readings: string[];
  rule: boolean;
}

/**
 * pinyin-pro's words that occur in the texts, by word: a table of those only, made for the phrases being read and
 * let go with them, where one of all its 4,184 words would be kept by every thread for the few phrases it compiles.
 */
function wordsWithin(texts: readonly (readonly string[])[]): Map<string, Word> {
  const pieces = new Set<string>();
  /** The first code unit of each piece: most entries are passed over on it, no string made. */
  const firsts = new Set<number>();
  for (const chars of texts) {
    for (let i = 0; i < chars.length; i++) {
      firsts.add((chars[i] as string).charCodeAt(0));
      for (let length = 2; length <= LONGEST_WORD && i + length <= chars.length; length++) pieces.add(chars.slice(i, i + length).join(''));
    }
  }
  const words = new Map<string, Word>();
  for (const [lines, rule] of [
    [WORDS, false],
    [RULE_WORDS, true],
  ] as const) {
    for (const line of lines) {
      for (let start = 0; start < line.length; ) {
        let end = line.indexOf(',', start);
        if (end < 0) end = line.length;
        if (firsts.has(line.charCodeAt(start))) {
          const colon = line.indexOf(':', start);
          const word = line.slice(start, colon);
          if (pieces.has(word)) words.set(word, { readings: line.slice(colon + 1, end).split(' '), rule });
        }
        start = end + 1;
      }
    }
  }
  return words;
}

/** pinyin-pro's probabilities (common/constant): a character no word holds, a dictionary word, a rule's word. */
const UNKNOWN = 1e-13;
const DICT = 2e-8;
const RULE = 1e-12;

/** A word met in the text: where it starts (in characters) and how many it has. */
interface Met {
  index: number;
  length: number;
  word: Word;
}

/** What pinyin-pro's word automaton finds with surnames off: every word in the text, by where it ends, the longer first at each end. */
function wordsIn(chars: readonly string[], table: Map<string, Word>): Met[] {
  const met: Met[] = [];
  for (let end = 0; end < chars.length; end++) {
    for (let length = Math.min(LONGEST_WORD, end + 1); length >= 2; length--) {
      const index = end - length + 1;
      const word = table.get(chars.slice(index, end + 1).join(''));
      if (word !== undefined) met.push({ index, length, word });
    }
  }
  return met;
}

interface Step {
  probability: number;
  decimal: number;
  met?: Met;
  nextIndex: number;
}

/** pinyin-pro's choice of one of two ways to read on from a character (getMaxProbability): the second at a tie. */
function likelier(a: Step | undefined, b: Step): Step {
  if (a === undefined) return b;
  if (a.decimal < b.decimal) return a;
  if (a.decimal === b.decimal) return a.probability > b.probability ? a : b;
  return b;
}

/** pinyin-pro's guard against underflow (checkDecimal): a probability too small carried into `decimal`. */
function carried(step: Step): Step {
  if (step.probability < 1e-300) {
    step.probability *= 1e300;
    step.decimal += 1;
  }
  return step;
}

/**
 * The words pinyin-pro reads the text by (its maxProbability segmentation, with the same arithmetic, so that ties
 * fall as they do there): from the end, each character's likeliest way on, a word or the character alone.
 */
function segment(met: readonly Met[], length: number): Met[] {
  const dp: Step[] = [];
  const terminal: Step = { probability: 1, decimal: 0, nextIndex: length };
  let m = met.length - 1;
  for (let i = length - 1; i >= 0; i--) {
    const suffix = i + 1 >= length ? terminal : (dp[i + 1] as Step);
    const nextIndex = suffix.met ? i + 1 : suffix.nextIndex;
    for (let w = met[m]; w !== undefined && w.index + w.length - 1 === i; w = met[--m]) {
      const probability = (w.word.rule ? RULE : DICT) * suffix.probability;
      dp[w.index] = likelier(dp[w.index], carried({ probability, decimal: suffix.decimal, met: w, nextIndex }));
    }
    dp[i] = likelier(dp[i], carried({ probability: UNKNOWN * suffix.probability, decimal: 0, nextIndex }));
  }
  const chosen: Met[] = [];
  for (let index = 0; index < length; ) {
    const step = dp[index] as Step;
    if (step.met) chosen.push(step.met);
    index = step.nextIndex;
  }
  return chosen;
}

/**
 * pinyin-pro's reading of a character no word holds (processSepecialPinyin), with v for ü: 了 first or after a
 * character it does not read is liao, 々 repeats the reading before it; a character it does not read is itself (as is).
 */
function alone(chars: readonly string[], i: number, repeats: boolean): string {
  const char = chars[i] as string;
  const before = i > 0 ? (chars[i - 1] as string) : undefined;
  if (repeats && char === '々') return withV((before !== undefined ? known(before)?.[0] : undefined) ?? 'tong');
  if (char === '了' && (before === undefined || known(before) === undefined)) return 'liao';
  const own = known(char)?.[0];
  return own === undefined ? char : withV(own);
}

/** The text's characters as pinyin-pro splits them (splitString): a surrogate pair is one, a lone surrogate one too. */
function charsOf(text: string): string[] {
  const chars: string[] = [];
  for (let i = 0; i < text.length; ) {
    const code = text.charCodeAt(i);
    const pair = code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    chars.push(text.slice(i, pair ? i + 2 : i + 1));
    i += pair ? 2 : 1;
  }
  return chars;
}

/**
 * `pinyin(text, { toneType: 'none', type: 'array', v: true })` for each text: the text read in context, one reading a
 * character (银行 is yin hang, 行为 xing wei), a character pinyin-pro does not read given as itself.
 */
export function phrasesReadings(texts: readonly string[]): string[][] {
  const split = texts.map(charsOf);
  const table = wordsWithin(split);
  return split.map((chars, t) => {
    const out: string[] = new Array(chars.length);
    const repeats = (texts[t] as string).includes('々');
    let i = 0;
    for (const w of segment(wordsIn(chars, table), chars.length)) {
      for (; i < w.index; i++) out[i] = alone(chars, i, repeats);
      for (let j = 0; j < w.length; j++, i++) out[i] = withV(w.word.readings[j] || '');
    }
    for (; i < chars.length; i++) out[i] = alone(chars, i, repeats);
    return out;
  });
}

/** phrasesReadings of one text. */
export function phraseReadings(text: string): string[] {
  return phrasesReadings([text])[0] as string[];
}
