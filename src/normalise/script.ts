import * as OpenCC from 'opencc-js/t2cn';

// Built on first use: the dictionaries cost ~15 ms, which `callqa --help` should not pay.
let convert: ((text: string) => string) | undefined;
/** Built on first use, like the converter. */
let triggers: Triggers | undefined;

function converter(): (text: string) => string {
  if (convert) return convert;
  const built: (text: string) => string = OpenCC.Converter({ from: 'tw', to: 'cn' });
  convert = built;
  return built;
}

type Dict = string | readonly (readonly [string, string])[];

/**
 * Where the conversion might change a text. OpenCC rewrites text only where a dictionary key whose
 * value differs from it occurs, stage after stage; a stage that changes nothing hands the next
 * stage the same text. So a text holding no such key, of any dictionary of the chain, comes out as
 * it went in. `single`: characters that change alone (a text holding one is converted); `starts`
 * and `seconds`: the first two characters of every longer key that changes. Surrogates are all in
 * `single`: astral text is converted as before.
 */
interface Triggers {
  single: Uint8Array;
  /** For a code unit that starts a pair: 1 + its index in `seconds`; 0 for the others. */
  starts: Uint16Array;
  /** The second code units of the pairs, by first code unit (numbers: no two-character string a lookup). */
  seconds: Set<number>[];
}

function triggerTables(): Triggers {
  if (triggers) return triggers;
  const single = new Uint8Array(0x10000);
  const starts = new Uint16Array(0x10000);
  const seconds: Set<number>[] = [];
  single.fill(1, 0xd800, 0xe000);
  const config = (OpenCC.Locale as unknown as { configs: Record<string, { normalizationChain?: Dict[][]; conversionChain?: Dict[][] }> }).configs.tw2s;
  const dicts = [...(config?.normalizationChain ?? []), ...(config?.conversionChain ?? [])].flat();
  for (const dict of dicts) {
    const entries = typeof dict === 'string' ? dict.split('|').map((e) => e.split(' ')) : dict;
    for (const [key = '', value] of entries) {
      if (key === value || key === '') continue;
      if (key.length === 1) single[key.charCodeAt(0)] = 1;
      else {
        const first = key.charCodeAt(0);
        if (starts[first] === 0) starts[first] = seconds.push(new Set());
        (seconds[(starts[first] as number) - 1] as Set<number>).add(key.charCodeAt(1));
      }
    }
  }
  // Only a full table proves anything: a chain we could not read converts every text.
  if (dicts.length === 0) single.fill(1);
  triggers = { single, starts, seconds };
  return triggers;
}

/** 1 for each code unit that can start a change (alone, or as the first of a pair): text with none is never converted. */
export function triggerTable(): Uint8Array {
  const { single, starts } = triggerTables();
  return single.map((one, c) => one | (starts[c] === 0 ? 0 : 1));
}

/** Whether the script conversion may change this text (false: it certainly leaves it as it is). */
export function mayNeedConversion(text: string): boolean {
  const { single, starts, seconds } = triggerTables();
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (single[c] === 1) return true;
    const pair = starts[c] as number;
    if (pair !== 0 && i + 1 < n && (seconds[pair - 1] as Set<number>).has(text.charCodeAt(i + 1))) return true;
  }
  return false;
}

/**
 * Traditional → Simplified script, guaranteed to keep the string's length so that every
 * index still points at the same character of the original (evidence is quoted from there).
 * OpenCC converts phrases; in the rare case a phrase changes length we fall back to
 * converting character by character. Text that no dictionary can change is returned untouched.
 */
export function toSimplified(text: string): string {
  if (!mayNeedConversion(text)) return text;
  // Scripted lines (请问还有什么可以帮您) come back call after call: short ones are remembered.
  if (text.length > MEMO_LENGTH) return convertKeepingLength(text);
  let converted = memo.get(text);
  if (converted === undefined) {
    if (memo.size >= MEMO_ENTRIES) memo.clear();
    converted = convertKeepingLength(text);
    memo.set(text, converted);
  }
  return converted;
}

/** Conversions of short texts already made (a pure function of the text), at most MEMO_ENTRIES of them. */
const memo = new Map<string, string>();
const MEMO_ENTRIES = 20_000;
const MEMO_LENGTH = 48;

function convertKeepingLength(text: string): string {
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
