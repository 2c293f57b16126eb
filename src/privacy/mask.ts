/**
 * Masks personal numbers (phone, ID, bank card) in text bound for a report, written in digits
 * (full- or half-width, with spaces or hyphens as ASR and agents write them) or in Chinese
 * numerals (一三九…, 幺 for 1). Seed 000 "客户信息": ID numbers and bank accounts are sensitive.
 */
const DIGIT_RUN = /[0-9０-９](?:[ -]?[0-9０-９]){6,}[xX]?/g;
const CHINESE_DIGIT_RUN = /[零〇一二三四五六七八九幺两](?: ?[零〇一二三四五六七八九幺两]){6,}/g;
const DIGIT = /[0-9０-９零〇一二三四五六七八九幺两xX]/;

/** How many digits stay visible at each end, by the number's length. */
function keep(digits: number): [number, number] {
  if (digits >= 15) return [6, 4]; // ID card, bank card: 110105********1234
  if (digits >= 11) return [3, 4]; // mobile: 138****5678
  return [0, 2];
}

function maskRun(run: string): string {
  let digits = 0;
  for (const ch of run) if (DIGIT.test(ch)) digits++;
  const [head, tail] = keep(digits);
  let seen = 0;
  let out = '';
  for (const ch of run) {
    if (!DIGIT.test(ch)) {
      out += ch;
      continue;
    }
    out += seen < head || seen >= digits - tail ? ch : '*';
    seen++;
  }
  return out;
}

export function maskPersonalNumbers(text: string): string {
  return text.replace(DIGIT_RUN, maskRun).replace(CHINESE_DIGIT_RUN, maskRun);
}
