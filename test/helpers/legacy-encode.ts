/**
 * Encoders for what Excel writes as plain "CSV" on Chinese Windows: GBK (code page 936, "CSV (逗号分隔)") and
 * Big5 (code page 950, Traditional). Node decodes both but has no encoder, and the project takes no dependency
 * for one: each table is built once by decoding every two-byte sequence and reversing the map.
 */

export type LegacyEncoding = 'gbk' | 'big5';

const tables = new Map<LegacyEncoding, Map<string, Buffer>>();

function table(encoding: LegacyEncoding): Map<string, Buffer> {
  const known = tables.get(encoding);
  if (known) return known;
  const map = new Map<string, Buffer>();
  const decoder = new TextDecoder(encoding, { fatal: true });
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      let char: string;
      try {
        char = decoder.decode(Uint8Array.of(lead, trail));
      } catch {
        continue;
      }
      // One character per code (Big5 has a few twins): the first code found, as the encoders of either write it.
      if ([...char].length === 1 && !map.has(char)) map.set(char, Buffer.of(lead, trail));
    }
  }
  tables.set(encoding, map);
  return map;
}

/**
 * `text` in GBK or Big5. A character the encoding lacks throws, naming it; with `replacement` it is written as
 * that instead, as Excel does (`?`) when it saves Simplified text as Big5 or an emoji as GBK.
 */
export function encodeLegacy(text: string, encoding: LegacyEncoding, replacement?: string): Buffer {
  const map = table(encoding);
  const out: Buffer[] = [];
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    if (code < 0x80) {
      out.push(Buffer.of(code));
      continue;
    }
    const bytes = map.get(char) ?? (replacement === undefined ? undefined : Buffer.from(replacement, 'ascii'));
    if (!bytes) throw new Error(`${encoding} has no ${char} (U+${code.toString(16)})`);
    out.push(bytes);
  }
  return Buffer.concat(out);
}
