const HAN = /\p{Script=Han}/u;

/** Code units from U+3400 outside U+4E00…U+9FFF as the regex read them: 0 not yet, 1 Han, 2 not (the regex runs once a code unit). */
const known = new Uint8Array(0x10000);

/**
 * Whether a UTF-16 code unit is a Han character: the common block by range, the rest (extension A,
 * compatibility ideographs) by `\p{Script=Han}` once per code unit. A surrogate half is never one, nor NaN
 * (charCodeAt past the end).
 */
export function isHanCode(code: number): boolean {
  if (code >= 0x4e00 && code <= 0x9fff) return true;
  if (!(code >= 0x3400)) return false;
  let k = known[code] as number;
  if (k === 0) {
    k = HAN.test(String.fromCharCode(code)) ? 1 : 2;
    known[code] = k;
  }
  return k === 1;
}
