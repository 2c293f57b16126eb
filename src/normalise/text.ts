import type { NormalisedText } from '../model/call.js';
import { toSimplified, triggerTable } from './script.js';

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

/** Per UTF-16 code unit: 1 = normalisation maps it to another (full-width, A–Z), 2 = the script conversion may change it (toSimplified decides), 4 = white space. */
let codeFlags: Uint8Array | undefined;
/** Per UTF-16 code unit: what it becomes (half-width, lower case). */
let mapped: Uint16Array | undefined;

function flags(): Uint8Array {
  if (codeFlags) return codeFlags;
  const table = new Uint8Array(0x10000);
  const to = new Uint16Array(0x10000);
  const script = triggerTable();
  for (let code = 0; code < 0x10000; code++) {
    let half = halfWidth(code);
    if (half >= 0x41 && half <= 0x5a) half += 0x20;
    to[code] = half;
    const space = SPACE.test(String.fromCharCode(halfWidth(code)));
    table[code] = (half !== code ? 1 : 0) | (script[code] === 1 ? 2 : 0) | (space ? 4 : 0);
  }
  mapped = to;
  codeFlags = table;
  return table;
}

/** A reused buffer for the texts normalisation builds (a Buffer over it reads it back as UTF-16). */
let units = new Uint16Array(1024);
let unitBytes = Buffer.from(units.buffer);

/** Makes the reused buffer hold at least `n` code units. */
function reserveUnits(n: number): void {
  if (units.length >= n) return;
  units = new Uint16Array(Math.max(n, 2 * units.length));
  unitBytes = Buffer.from(units.buffer);
}

/** The text with every code unit mapped (no white space in it: the length stays). */
function mapEach(original: string): string {
  const to = mapped as Uint16Array;
  const n = original.length;
  reserveUnits(n);
  for (let i = 0; i < n; i++) units[i] = to[original.charCodeAt(i)] as number;
  return unitBytes.toString('utf16le', 0, 2 * n);
}

/** 0, 1, 2, … shared by every text that normalisation leaves in place (views of it are never written to). */
let identity = new Uint32Array(0);
/** The views of `identity` made so far, by length: texts of one length share one (a view costs more to make than to look up). */
let identityViews: Uint32Array[] = [];

function identityMap(length: number): Uint32Array {
  if (identity.length < length) {
    identity = new Uint32Array(Math.max(length, 2 * identity.length, 1024));
    for (let i = 0; i < identity.length; i++) identity[i] = i;
    identityViews = [];
  }
  let view = identityViews[length];
  if (view === undefined) {
    view = identity.subarray(0, length);
    identityViews[length] = view;
  }
  return view;
}

/**
 * Prepares text for matching: Traditional → Simplified, full-width → half-width, whitespace
 * between Han characters removed (ASR output such as "不 行"), other whitespace runs folded to
 * one space, ASCII letters lower-cased. Keeps a map from every output index to the original.
 * Text that needs none of it (most Simplified Chinese) is found so in one pass and kept as it is.
 */
export function normaliseText(original: string): NormalisedText {
  const table = flags();
  let seen = 0;
  for (let i = 0; i < original.length; i++) seen |= table[original.charCodeAt(i)] as number;
  if ((seen & 4) === 0) {
    // Character for character: the map is the identity.
    const text = (seen & 1) === 0 ? original : mapEach(original);
    return { text: (seen & 2) === 0 ? text : toSimplified(text), toOriginal: identityMap(original.length) };
  }
  // Spaces go before the script conversion: OpenCC reads a lone 么 (from ASR's "什 么") as 幺.
  // Built in the reused buffer, code unit by code unit (the tables say what each becomes and which are spaces).
  const to = mapped as Uint16Array;
  const n = original.length;
  reserveUnits(n);
  const map = new Uint32Array(n);
  let k = 0;
  let i = 0;
  while (i < n) {
    const code = original.charCodeAt(i);
    if (((table[code] as number) & 4) !== 0) {
      let j = i + 1;
      while (j < n && ((table[original.charCodeAt(j)] as number) & 4) !== 0) j++;
      const before = k > 0 ? String.fromCharCode(units[k - 1] as number) : undefined;
      const after = j < n ? original[j] : undefined;
      const dropped = before === undefined || after === undefined || (isHan(before) && isHan(after));
      if (!dropped) {
        units[k] = 0x20;
        map[k++] = i;
      }
      i = j;
      continue;
    }
    units[k] = to[code] as number;
    map[k++] = i;
    i++;
  }
  const text = unitBytes.toString('utf16le', 0, 2 * k);
  // Length-preserving, so the map still points every character at its original.
  return { text: toSimplified(text), toOriginal: map.slice(0, k) };
}
