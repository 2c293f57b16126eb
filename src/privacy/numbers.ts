/**
 * Finds personal numbers in text: a mainland resident ID (18 characters with a valid ISO 7064
 * MOD 11-2 check character and a plausible region and birth date) or a Taiwan national ID (a letter
 * and nine digits with a valid check digit, as seed 000's Traditional-script readers have), a bank card (16–19 digits
 * passing the Luhn check, with a card-issuer first digit) and a full mobile number (11 digits,
 * 1[3-9]…). Seed 000 "有效的客户信息管理·保密原则": 客户敏感信息如身份证号、银行账户等…访问权限严格控制.
 *
 * Numbers are read as agents type them and ASR writes them: half- or full-width digits, or
 * Chinese numerals (一三九…, 幺 for 1, 两/兩 for 2, 零/〇 for 0, 叉 for an ID's X), whole or in
 * groups broken by spaces or hyphens (138 1234 5678, 6222-0212-…, 幺三八 幺二三四 五六七八).
 *
 * Built for precision, since the privacy rule is 一票否决: a number is only ever made of whole
 * groups; a contiguous group of exactly the right shape always counts, but groups joined by
 * separators count only when the whole run of groups splits into personal numbers (a leading
 * country code 86 aside), so per-digit ASR spacing of a longer order number never yields a
 * "mobile" taken from its middle. A group glued to letters (an order code such as SF1381234…)
 * or to a decimal point or colon followed by digits (an amount, a time) is never a number.
 *
 * `src/privacy/mask.ts` is the broader report-side masker (any run of 7+ digits); this module is
 * the strict one: it masks only what it recognises.
 */

import { charTable, holdsAtLeast } from '../util/char-table.js';

export const PERSONAL_NUMBER_KINDS = ['id_card', 'bank_card', 'mobile'] as const;
export type PersonalNumberKind = (typeof PERSONAL_NUMBER_KINDS)[number];

export interface PersonalNumber {
  kind: PersonalNumberKind;
  /** Index in the text of the number's first character. */
  start: number;
  /** Index just past its last character (separators inside the span are kept). */
  end: number;
  /** The number as ASCII digits (an ID's check character as upper-case X). */
  digits: string;
}

const ARABIC = '0-9０-９';
const CHINESE = '零〇一二三四五六七八九幺两兩';
const X_ARABIC = 'xXｘＸ';
const X_CHINESE = '叉xXｘＸ';
const SEP = '(?:[ \\u3000]+|[ \\u3000]*[-－‐‑–][ \\u3000]*)';
const ARABIC_GROUP = `[${ARABIC}]+[${X_ARABIC}]?`;
const CHINESE_GROUP = `[${CHINESE}]+[${X_CHINESE}]?`;

interface Script {
  run: RegExp;
  group: RegExp;
  /** Whether a group next to this character (outside the run) is part of something else. */
  glued: (text: string, runStart: number, runEnd: number) => { first: boolean; last: boolean };
}

const ASCII_WORD = /[A-Za-z_ａ-ｚＡ-Ｚ]/;
const ARABIC_DIGIT = /[0-9０-９]/;
const POINT = /[.．:：]/;
const HAN = /\p{Script=Han}/u;

const SCRIPTS: Script[] = [
  {
    run: new RegExp(`${ARABIC_GROUP}(?:${SEP}${ARABIC_GROUP})*`, 'g'),
    group: new RegExp(ARABIC_GROUP, 'g'),
    glued(text, start, end) {
      const before = text[start - 1] ?? '';
      const after = text[end] ?? '';
      return {
        // SF1381234…, 1.38…, 10:30
        first: ASCII_WORD.test(before) || (POINT.test(before) && ARABIC_DIGIT.test(text[start - 2] ?? '')),
        // …5678abc, 13800.00, 10:30
        last: ASCII_WORD.test(after) || (POINT.test(after) && ARABIC_DIGIT.test(text[end + 1] ?? '')),
      };
    },
  },
  {
    run: new RegExp(`${CHINESE_GROUP}(?:${SEP}${CHINESE_GROUP})*`, 'g'),
    group: new RegExp(CHINESE_GROUP, 'g'),
    glued: () => ({ first: false, last: false }),
  },
];

const DIGIT_VALUE: Readonly<Record<string, string>> = {
  零: '0',
  〇: '0',
  一: '1',
  幺: '1',
  二: '2',
  两: '2',
  兩: '2',
  三: '3',
  四: '4',
  五: '5',
  六: '6',
  七: '7',
  八: '8',
  九: '9',
  叉: 'X',
};

/** One character as an ASCII digit or X; undefined when it is neither. */
function digitOf(ch: string): string | undefined {
  const code = ch.charCodeAt(0);
  if (code >= 0x30 && code <= 0x39) return ch;
  if (code >= 0xff10 && code <= 0xff19) return String.fromCharCode(code - 0xfee0);
  if (ch === 'x' || ch === 'X' || ch === 'ｘ' || ch === 'Ｘ') return 'X';
  return DIGIT_VALUE[ch];
}

/** The digits of a text, as ASCII (X for an ID's check character); everything else dropped. */
export function digitsOf(text: string): string {
  let out = '';
  for (const ch of text) out += digitOf(ch) ?? '';
  return out;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';
/** Province-level codes: 11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71 (Taiwan), 81–83 (HK, Macau, Taiwan permits). */
const ID_REGION = /^(?:1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[1-3])/;

/** The ISO 7064 MOD 11-2 check character of the first 17 digits of a resident ID. */
export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (ID_WEIGHTS[i] as number);
  return ID_CHECK[sum % 11] as string;
}

function plausibleBirthDate(yyyymmdd: string): boolean {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** An 18-character mainland resident ID: region, birth date, sequence, valid check character. */
export function isResidentId(digits: string): boolean {
  if (!/^\d{17}[\dX]$/.test(digits) || !ID_REGION.test(digits)) return false;
  return plausibleBirthDate(digits.slice(6, 14)) && residentIdCheckChar(digits) === digits[17];
}

/** The Luhn (mod 10) check over a string of digits. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** 17 or 18 characters with an ID's region and birth date: an ID (perhaps misheard or cut short), not a card. */
export function shapedLikeResidentId(digits: string): boolean {
  return (digits.length === 17 || digits.length === 18) && ID_REGION.test(digits) && plausibleBirthDate(digits.slice(6, 14));
}

/**
 * A bank card: 16–19 digits, Luhn-valid, starting as issuers' cards do (3 JCB/Amex, 4 Visa, 5 and
 * 2221–2720 Mastercard, 6 UnionPay, 8 and 9 domestic). Timestamps (1…, 20…) and zero-padded
 * order numbers never start so, and a 17–18-digit number shaped like an ID is not taken for a card.
 */
export function isBankCard(digits: string): boolean {
  if (!/^\d{16,19}$/.test(digits) || !luhnValid(digits) || shapedLikeResidentId(digits)) return false;
  if (/^[345689]/.test(digits)) return true;
  const four = Number(digits.slice(0, 4));
  return four >= 2221 && four <= 2720;
}

/** A full mainland mobile number: 11 digits, 13x–19x. */
export function isMobile(digits: string): boolean {
  return /^1[3-9]\d{9}$/.test(digits);
}

/** Letter values of a Taiwan national ID (身分證字號), A=10 … Z=33 as the issuer assigns them. */
const TW_LETTER: Readonly<Record<string, number>> = Object.fromEntries('ABCDEFGHJKLMNPQRSTUVXYWZIO'.split('').map((letter, i) => [letter, 10 + i]));

/** A Taiwan national ID: a letter, 1 or 2 (or 8 or 9, a resident certificate), 8 digits, the last a check digit. */
export function isTaiwanId(id: string): boolean {
  if (!/^[A-Z][1289]\d{8}$/.test(id)) return false;
  const value = TW_LETTER[id[0] as string] as number;
  let sum = Math.floor(value / 10) + (value % 10) * 9;
  for (let i = 1; i <= 8; i++) sum += Number(id[i]) * (9 - i);
  return (sum + Number(id[9])) % 10 === 0;
}

/** A Taiwan ID in text, half- or full-width, not glued to other letters or digits. */
const TAIWAN_ID = /(?<![A-Za-zＡ-Ｚａ-ｚ0-9０-９])[A-Za-zＡ-Ｚａ-ｚ][1289１２８９][0-9０-９]{8}(?![A-Za-zＡ-Ｚａ-ｚ0-9０-９])/g;

/** What personal number a string of digits is, if any (an 18-digit valid ID wins over a card). */
export function classifyDigits(digits: string): PersonalNumberKind | undefined {
  if (isResidentId(digits)) return 'id_card';
  if (isMobile(digits)) return 'mobile';
  if (isBankCard(digits)) return 'bank_card';
  return undefined;
}

interface Group {
  start: number;
  end: number;
  digits: string;
  /** Glued to letters, a decimal point or a colon: part of something else. */
  unusable: boolean;
}

const MAX_DIGITS = 19;
const MIN_DIGITS = 11;
/** The characters a group's digits are read from (an ID's check X aside). */
const NUMERAL = new RegExp(`[${ARABIC}${CHINESE}]`);
const COUNTRY_CODES = new Set(['86', '0086']);
/** charTable(NUMERAL), looked up once (charTable finds a table by its regex in a Map: a lookup a text). */
let numerals: Uint8Array | undefined;
const numeralTable = () => (numerals ??= charTable(NUMERAL));
/** A Taiwan ID's digits (TAIWAN_ID: a letter and nine digits): text with fewer NUMERAL characters holds none. */
const TAIWAN_ID_DIGITS = 9;

/**
 * Whether a text may hold a number the readers here find (findPersonalNumbers, findDigitRuns of nine digits or
 * more): false proves it holds none, after one pass over its characters. The shortest is a Taiwan ID's nine.
 */
export function mayHoldNumber(text: string): boolean {
  return holdsAtLeast(text, numeralTable(), TAIWAN_ID_DIGITS);
}

function groupsOf(script: Script, text: string, start: number, end: number): Group[] {
  const groups: Group[] = [];
  const run = text.slice(start, end);
  script.group.lastIndex = 0;
  for (const m of run.matchAll(script.group)) {
    const from = start + (m.index ?? 0);
    groups.push({ start: from, end: from + m[0].length, digits: digitsOf(m[0]), unusable: false });
  }
  const glued = script.glued(text, start, end);
  const first = groups[0];
  const last = groups[groups.length - 1];
  if (first && glued.first) first.unusable = true;
  if (last && glued.last) last.unusable = true;
  return groups;
}

interface Segment {
  from: number;
  to: number;
  kind: PersonalNumberKind;
  digits: string;
}

/** Segments i..j (inclusive) of consecutive usable groups that make a personal number. */
function segmentsFrom(groups: Group[], i: number): Segment[] {
  const out: Segment[] = [];
  let digits = '';
  for (let j = i; j < groups.length; j++) {
    const g = groups[j] as Group;
    if (g.unusable) break;
    digits += g.digits;
    if (digits.length > MAX_DIGITS) break;
    const kind = classifyDigits(digits);
    if (kind) out.push({ from: i, to: j, kind, digits });
  }
  return out;
}

/**
 * The personal numbers of one run of groups: the fewest numbers that split the whole run (a
 * leading country code may stand alone); failing that, only single groups that are numbers.
 */
function numbersOfRun(groups: Group[]): { segments: Segment[]; complete: boolean } {
  const n = groups.length;
  // best[i]: the fewest segments covering groups i..n-1, with the first of them.
  const best: ({ count: number; segment?: Segment } | undefined)[] = new Array(n + 1);
  best[n] = { count: 0 };
  for (let i = n - 1; i >= 0; i--) {
    for (const seg of segmentsFrom(groups, i)) {
      const rest = best[seg.to + 1];
      const current = best[i];
      if (rest && (!current || rest.count + 1 <= current.count)) best[i] = { count: rest.count + 1, segment: seg };
    }
  }
  let i = 0;
  const first = groups[0];
  if (!best[0] && n > 1 && first && COUNTRY_CODES.has(first.digits) && best[1]) i = 1;
  if (best[i]) {
    const segments: Segment[] = [];
    while (i < n) {
      const step = best[i]?.segment as Segment;
      segments.push(step);
      i = step.to + 1;
    }
    return { segments, complete: true };
  }
  const singles = groups.flatMap((g, k): Segment[] => {
    const kind = g.unusable ? undefined : classifyDigits(g.digits);
    return kind ? [{ from: k, to: k, kind, digits: g.digits }] : [];
  });
  return { segments: singles, complete: false };
}

/** A Chinese run may end in a numeral that begins the next word: …五六七八一下, …两个. */
const WORD_NUMERAL = /[一两兩]$/;

/** The Taiwan IDs (A123456789) in a text: letters are no numerals, so they are read apart. Their digits keep the letter. */
function taiwanIds(text: string): PersonalNumber[] {
  const found: PersonalNumber[] = [];
  if (!/[A-Za-zＡ-Ｚａ-ｚ]/.test(text)) return found;
  TAIWAN_ID.lastIndex = 0;
  for (const m of text.matchAll(TAIWAN_ID)) {
    const id = m[0].replace(/[Ａ-Ｚａ-ｚ０-９]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0)).toUpperCase();
    const start = m.index ?? 0;
    if (isTaiwanId(id)) found.push({ kind: 'id_card', start, end: start + m[0].length, digits: id });
  }
  return found;
}

/** The personal numbers in a text, in order, with their spans and kinds. */
export function findPersonalNumbers(text: string): PersonalNumber[] {
  // Most text holds too few numerals for any number: one pass over the table says so, before the Taiwan IDs' regex.
  if (!mayHoldNumber(text)) return [];
  const found: PersonalNumber[] = taiwanIds(text);
  // The shortest personal number (a mobile) has 11 digits: text with fewer digit characters holds no other.
  if (!holdsAtLeast(text, numeralTable(), MIN_DIGITS)) return found;
  for (const script of SCRIPTS) {
    script.run.lastIndex = 0;
    for (const m of text.matchAll(script.run)) {
      const start = m.index ?? 0;
      const end = start + m[0].length;
      const full = groupsOf(script, text, start, end);
      let result = numbersOfRun(full);
      let groups = full;
      if (!result.complete && script === SCRIPTS[1] && WORD_NUMERAL.test(m[0]) && HAN.test(text[end] ?? '')) {
        const shortEnd =
          start +
          m[0]
            .slice(0, -1)
            .trimEnd()
            .replace(/[-－‐‑–]\s*$/u, '')
            .trimEnd().length;
        const shortened = groupsOf(script, text, start, shortEnd);
        const retry = numbersOfRun(shortened);
        if (retry.complete || retry.segments.length > result.segments.length) {
          result = retry;
          groups = shortened;
        }
      }
      for (const seg of result.segments) {
        const from = groups[seg.from] as Group;
        const to = groups[seg.to] as Group;
        found.push({ kind: seg.kind, start: from.start, end: to.end, digits: seg.digits });
      }
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/** A run of digits as read from text: its span and its digits (an ID's check character as X). */
export interface DigitRun {
  start: number;
  end: number;
  digits: string;
}

/**
 * Every run of at least `minDigits` digits (half- or full-width, or Chinese numerals; groups joined by
 * spaces or hyphens read as one run, a leading country code dropped) that is not glued to letters, a
 * decimal point or a colon: the raw material for numbers that no checksum proves but words name
 * ("卡号是…", "身份证号…"). findPersonalNumbers is the strict reader.
 */
export function findDigitRuns(text: string, minDigits: number): DigitRun[] {
  const found: DigitRun[] = [];
  if (!holdsAtLeast(text, numeralTable(), minDigits)) return found;
  for (const script of SCRIPTS) {
    script.run.lastIndex = 0;
    for (const m of text.matchAll(script.run)) {
      const start = m.index ?? 0;
      const groups = groupsOf(script, text, start, start + m[0].length);
      if (groups.some((g) => g.unusable)) continue;
      const first = groups.length > 1 && COUNTRY_CODES.has((groups[0] as Group).digits) ? 1 : 0;
      const kept = groups.slice(first);
      const digits = kept.map((g) => g.digits).join('');
      if (digits.length < minDigits) continue;
      found.push({ start: (kept[0] as Group).start, end: (kept[kept.length - 1] as Group).end, digits });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/** How many digits stay visible at each end: 110105********1234, 622202*********0123, 138****5678. */
const KEEP: Readonly<Record<PersonalNumberKind, readonly [number, number]>> = {
  id_card: [6, 4],
  bank_card: [6, 4],
  mobile: [3, 4],
};

/** Masks the middle digits of the numbers given (found in this text), keeping separators and the text's length. */
export function maskNumbers(text: string, numbers: readonly PersonalNumber[]): string {
  if (numbers.length === 0) return text;
  const chars = text.split('');
  for (const n of numbers) {
    // A Taiwan ID's letter is no digit: its nine digits keep two ahead and three behind (A12****789).
    const letter = /^[A-Z]/.test(n.digits);
    const [head, tail] = letter ? [2, 3] : KEEP[n.kind];
    const total = letter ? n.digits.length - 1 : n.digits.length;
    let seen = 0;
    for (let i = n.start; i < n.end; i++) {
      if (digitOf(chars[i] as string) === undefined) continue;
      if (seen >= head && seen < total - tail) chars[i] = '*';
      seen++;
    }
  }
  return chars.join('');
}

/**
 * Masks every personal number this module recognises (resident ID, bank card, mobile), for text
 * leaving the machine (an LLM prompt): only recognised numbers change, the length stays the same.
 */
export function maskPersonalNumbersStrict(text: string): string {
  return maskNumbers(text, findPersonalNumbers(text));
}
