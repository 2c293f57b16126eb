import type { NormalisedText } from '../model/call.js';
import { toSimplified } from './script.js';

const HAN = /\p{Script=Han}/u;
const SPACE = /\s/;

function isHan(ch: string | undefined): boolean {
  return ch !== undefined && HAN.test(ch);
}

/** Full-width ASCII forms (Ａ，１，！) and the ideographic space become their half-width selves. */
function halfWidth(code: number): number {
  if (code >= 0xff01 && code <= 0xff5e) return code - 0xfee0;
  if (code === 0x3000) return 0x20;
  return code;
}

/**
 * Prepares text for matching: Traditional → Simplified, full-width → half-width, whitespace
 * between Han characters removed (ASR output such as "不 行"), other whitespace runs folded to
 * one space, ASCII letters lower-cased. Keeps a map from every output index to the original.
 */
export function normaliseText(original: string): NormalisedText {
  // Spaces go before the script conversion: OpenCC reads a lone 么 (from ASR's "什 么") as 幺.
  const simplified = original;
  const out: number[] = [];
  const map: number[] = [];
  let i = 0;
  const n = simplified.length;
  while (i < n) {
    let code = halfWidth(simplified.charCodeAt(i));
    const ch = String.fromCharCode(code);
    if (SPACE.test(ch)) {
      let j = i;
      while (j < n && SPACE.test(String.fromCharCode(halfWidth(simplified.charCodeAt(j))))) j++;
      const before = out.length > 0 ? String.fromCharCode(out[out.length - 1] as number) : undefined;
      const after = j < n ? simplified[j] : undefined;
      const dropped = before === undefined || after === undefined || (isHan(before) && isHan(after));
      if (!dropped) {
        out.push(0x20);
        map.push(i);
      }
      i = j;
      continue;
    }
    if (code >= 0x41 && code <= 0x5a) code += 0x20;
    out.push(code);
    map.push(i);
    i++;
  }
  // Build the string in chunks: String.fromCharCode(...out) overflows the stack on long text.
  let text = '';
  for (let k = 0; k < out.length; k += 8192) text += String.fromCharCode(...out.slice(k, k + 8192));
  // Length-preserving, so the map still points every character at its original.
  return { text: toSimplified(text), toOriginal: Uint32Array.from(map) };
}
