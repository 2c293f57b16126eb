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
  let seen = 0;
  for (let i = 0; i < text.length; i++) if (table[text.charCodeAt(i)] === 1 && ++seen >= n) return true;
  return n <= 0;
}
