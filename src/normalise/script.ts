import * as OpenCC from 'opencc-js/t2cn';

// Built on first use: the dictionaries cost ~15 ms, which `callqa --help` should not pay.
let convert: ((text: string) => string) | undefined;

function converter(): (text: string) => string {
  if (convert) return convert;
  const built: (text: string) => string = OpenCC.Converter({ from: 'tw', to: 'cn' });
  convert = built;
  return built;
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;

/**
 * Traditional → Simplified script, guaranteed to keep the string's length so that every
 * index still points at the same character of the original (evidence is quoted from there).
 * OpenCC converts phrases; in the rare case a phrase changes length we fall back to
 * converting character by character.
 */
export function toSimplified(text: string): string {
  if (ASCII_ONLY.test(text)) return text;
  const conv = converter();
  const whole = conv(text);
  if (whole.length === text.length) return whole;
  let out = '';
  for (const ch of text) {
    const c = conv(ch);
    out += c.length === ch.length ? c : ch;
  }
  return out;
}
