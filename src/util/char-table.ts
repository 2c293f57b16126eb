const tables = new WeakMap<RegExp, Uint8Array>();

/**
 * 1 for each UTF-16 code unit the one-character pattern matches (a character class): built once per
 * pattern, on first use, so the table and the pattern it stands for can never disagree.
 */
export function charTable(pattern: RegExp): Uint8Array {
  let table = tables.get(pattern);
  if (!table) {
    table = new Uint8Array(0x10000);
    const re = new RegExp(`^(?:${pattern.source})$`, pattern.flags.replace(/[gy]/g, ''));
    for (let code = 0; code < 0x10000; code++) if (re.test(String.fromCharCode(code))) table[code] = 1;
    tables.set(pattern, table);
  }
  return table;
}

/** Whether the text holds at least `n` of the table's characters: a quick proof that nothing longer can be in it. */
export function holdsAtLeast(text: string, table: Uint8Array, n: number): boolean {
  let need = n;
  if (need <= 0) return true;
  // Read only while the characters left could still make up the number (a short turn is not read at all).
  for (let i = 0, length = text.length; length - i >= need; i++) if (table[text.charCodeAt(i)] === 1 && --need === 0) return true;
  return false;
}

/**
 * A one-character pattern's test of a UTF-16 code unit (`text.charCodeAt(i)`), looked up in a table filled as
 * code units are met (0: not yet tested, 1: matches, 2: does not): for patterns a text is read against one
 * character at a time, where a whole charTable up front would test 65,536 characters few texts hold.
 */
export function charTest(pattern: RegExp): (code: number) => boolean {
  const known = new Uint8Array(0x10000);
  const one = new RegExp(`^(?:${pattern.source})$`, pattern.flags.replace(/[gy]/g, ''));
  return (code) => {
    let k = known[code] as number;
    if (k === 0) {
      k = one.test(String.fromCharCode(code)) ? 1 : 2;
      known[code] = k;
    }
    return k === 1;
  };
}
