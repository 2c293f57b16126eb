/**
 * Encoders for the legacy Chinese encodings callqa detects (Node decodes GB18030 and Big5 but has no
 * encoder): each table is built once by decoding every two-byte code of the encoding.
 */

const tables = new Map<string, Map<string, Uint8Array>>();

function table(encoding: 'gb18030' | 'big5'): Map<string, Uint8Array> {
  let map = tables.get(encoding);
  if (map) return map;
  map = new Map();
  const decoder = new TextDecoder(encoding, { fatal: true });
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      let char: string;
      try {
        char = decoder.decode(Uint8Array.of(lead, trail));
      } catch {
        continue;
      }
      if (!map.has(char)) map.set(char, Uint8Array.of(lead, trail));
    }
  }
  tables.set(encoding, map);
  return map;
}

/** `text` in GBK (GB18030's two-byte part) or Big5; throws on a character the encoding lacks. */
export function encodeLegacy(text: string, encoding: 'gb18030' | 'big5'): Buffer {
  const map = table(encoding);
  const out: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    if (code < 0x80) {
      out.push(code);
      continue;
    }
    const bytes = map.get(char);
    if (!bytes) throw new Error(`${encoding} has no ${char} (U+${code.toString(16)})`);
    out.push(...bytes);
  }
  return Buffer.from(out);
}

/** `text` in UTF-16 with its byte order mark. */
export function utf16(text: string, order: 'le' | 'be'): Buffer {
  const le = Buffer.from(`\ufeff${text}`, 'utf16le');
  return order === 'le' ? le : le.swap16();
}
