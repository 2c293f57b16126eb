import { charTest } from './char-table.js';

/** `\p{Script=Han}` of one code unit, tested once a code unit (charTest). */
const isHanByScript = charTest(/\p{Script=Han}/u);

/**
 * Whether a UTF-16 code unit is a Han character: the common block by range, the rest (extension A,
 * compatibility ideographs) by `\p{Script=Han}` once per code unit. A surrogate half is never one, nor NaN
 * (charCodeAt past the end).
 */
export function isHanCode(code: number): boolean {
  if (code >= 0x4e00 && code <= 0x9fff) return true;
  if (!(code >= 0x3400)) return false;
  return isHanByScript(code);
}
