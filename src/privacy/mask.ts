import { charTable, holdsAtLeast } from '../util/char-table.js';

/**
 * Masks personal numbers (phone, ID, bank card) in text bound for a report, written in digits
 * (full- or half-width, with spaces or hyphens as ASR and agents write them) or in Chinese
 * numerals (一三九…, 幺 for 1). Seed 000 "客户信息": ID numbers and bank accounts are sensitive.
 *
 * A run of 7 or more digits is masked. Digits broken by single spaces or hyphens are read as one
 * number only when together they make 11 or more (138 1234 5678), so dates (2026-03-01) and short
 * figures (订单 299 2026) stay readable; a group of 7 or more digits is always a number of its own.
 */
const DIGIT_RUN = /[0-9０-９](?:[ -]?[0-9０-９])*[xXｘＸ]?/g;
const CHINESE_DIGIT_RUN = /[零〇一二三四五六七八九幺两](?: ?[零〇一二三四五六七八九幺两])*/g;
const DIGIT = /[0-9０-９零〇一二三四五六七八九幺两xXｘＸ]/;
const SEPARATOR = /([ -])/;
const ALONE = 7;
const JOINED = 11;

/** How many digits stay visible at each end, by the number's length. */
function keep(digits: number): [number, number] {
  if (digits >= 15) return [6, 4]; // ID card, bank card: 110105********1234
  if (digits >= JOINED) return [3, 4]; // mobile: 138****5678
  return [0, 2];
}

function countDigits(text: string): number {
  let n = 0;
  for (const ch of text) if (DIGIT.test(ch)) n++;
  return n;
}

function maskNumber(text: string): string {
  const digits = countDigits(text);
  const [head, tail] = keep(digits);
  let seen = 0;
  let out = '';
  for (const ch of text) {
    if (!DIGIT.test(ch)) {
      out += ch;
      continue;
    }
    out += seen < head || seen >= digits - tail ? ch : '*';
    seen++;
  }
  return out;
}

/** Splits a run at its separators into numbers, and masks those long enough to be personal. */
function maskRun(run: string): string {
  const parts = run.split(SEPARATOR); // groups at even indices, separators at odd
  let out = '';
  let cluster = ''; // short groups joined by separators, read as one number
  let groups = 0;
  let separator = ''; // a separator waiting to see whether the next group joins the cluster
  const flush = () => {
    if (cluster !== '') out += countDigits(cluster) >= (groups > 1 ? JOINED : ALONE) ? maskNumber(cluster) : cluster;
    cluster = '';
    groups = 0;
  };
  parts.forEach((part, i) => {
    if (i % 2 === 1) {
      separator = part;
      return;
    }
    if (countDigits(part) >= ALONE) {
      flush();
      out += separator + maskNumber(part);
    } else if (cluster === '') {
      out += separator;
      cluster = part;
      groups = 1;
    } else {
      cluster += separator + part;
      groups++;
    }
    separator = '';
  });
  flush();
  return out + separator;
}

export function maskPersonalNumbers(text: string): string {
  // A masked number has at least ALONE characters DIGIT counts: text with fewer has nothing to mask.
  if (!holdsAtLeast(text, charTable(DIGIT), ALONE)) return text;
  return text.replace(DIGIT_RUN, maskRun).replace(CHINESE_DIGIT_RUN, maskRun);
}

/**
 * A decoding error names the byte where the file went wrong: "not valid UTF-8: byte 0xff at byte
 * offset 1234567 (…)". That number is callqa's, the place in the file, not a person's: it stays.
 */
const OWN_BYTE_OFFSET = /^not valid [^:]{1,40}: byte 0x[0-9a-f]{2} at byte offset \d+/;

/** An error message for a report: personal numbers masked, but not the byte offset callqa wrote into it. */
export function maskErrorMessage(text: string): string {
  const own = OWN_BYTE_OFFSET.exec(text)?.[0];
  return own === undefined ? maskPersonalNumbers(text) : own + maskPersonalNumbers(text.slice(own.length));
}
